package dev.coffer.client;

import com.google.protobuf.Message;
import dev.coffer.api.v1.AccessRequest;
import dev.coffer.api.v1.AccessServiceGrpc;
import dev.coffer.api.v1.ApplicationServiceGrpc;
import dev.coffer.api.v1.ApproveAccessRequestRequest;
import dev.coffer.api.v1.AuditEvent;
import dev.coffer.api.v1.AuditServiceGrpc;
import dev.coffer.api.v1.ExportAuditEventsRequest;
import dev.coffer.api.v1.ListAuditEventsRequest;
import dev.coffer.api.v1.ListAuditEventsResponse;
import dev.coffer.api.v1.VerifyAuditChainRequest;
import dev.coffer.api.v1.VerifyAuditChainResponse;
import dev.coffer.api.v1.CancelAccessRequestRequest;
import dev.coffer.api.v1.CreateAccessRequestRequest;
import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.api.v1.CreateApplicationResponse;
import dev.coffer.api.v1.CreateGrantRequest;
import dev.coffer.api.v1.CreateTenantRequest;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.api.v1.DeleteSecretRequest;
import dev.coffer.api.v1.DeleteSecretResponse;
import dev.coffer.api.v1.DenyAccessRequestRequest;
import dev.coffer.api.v1.GetAccessRequestRequest;
import dev.coffer.api.v1.GetGrantRequest;
import dev.coffer.api.v1.GetPrincipalRequest;
import dev.coffer.api.v1.GetSecretRequest;
import dev.coffer.api.v1.Grant;
import dev.coffer.api.v1.GrantServiceGrpc;
import dev.coffer.api.v1.IssueTokenRequest;
import dev.coffer.api.v1.IssueTokenResponse;
import dev.coffer.api.v1.ListAccessRequestsRequest;
import dev.coffer.api.v1.ListAccessRequestsResponse;
import dev.coffer.api.v1.ListGrantsRequest;
import dev.coffer.api.v1.ListGrantsResponse;
import dev.coffer.api.v1.ListSecretsRequest;
import dev.coffer.api.v1.LifecycleEvent;
import dev.coffer.api.v1.LifecycleServiceGrpc;
import dev.coffer.api.v1.ListSecretsResponse;
import dev.coffer.api.v1.WatchLifecycleRequest;
import dev.coffer.api.v1.Principal;
import dev.coffer.api.v1.PrincipalServiceGrpc;
import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.api.v1.RevealSecretResponse;
import dev.coffer.api.v1.RevokeGrantRequest;
import dev.coffer.api.v1.RevokeSecretRequest;
import dev.coffer.api.v1.RotateSecretRequest;
import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.SecretServiceGrpc;
import dev.coffer.api.v1.StoreCredentialRequest;
import dev.coffer.api.v1.Tenant;
import dev.coffer.api.v1.TenantServiceGrpc;
import dev.coffer.api.v1.TokenServiceGrpc;
import dev.coffer.api.v1.VerifySecretRequest;
import dev.coffer.api.v1.VerifySecretResponse;
import dev.coffer.api.v1.WhoAmIRequest;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A test-local in-process server standing in for Coffer: it records every request, its headers
 * and its deadline, and answers with {@link #answer} (a response message, or a Throwable to fail
 * with). It checks nothing: it exists to see what the client sends and how it prints replies.
 */
public final class FakeCofferServer implements AutoCloseable {
  public final List<Message> requests = new CopyOnWriteArrayList<>();
  public final List<Metadata> headers = new CopyOnWriteArrayList<>();
  public final List<Deadline> deadlines = new CopyOnWriteArrayList<>();
  /** The headers of the call being handled, so a request and its headers are kept together. */
  private static final Context.Key<Metadata> CALL_HEADERS = Context.key("call-headers");
  public volatile Function<Message, Object> answer =
      req -> Status.UNIMPLEMENTED.withDescription("not scripted").asRuntimeException();

  private final String name = InProcessServerBuilder.generateName();
  private final Server server;

  public FakeCofferServer() throws IOException {
    ServerInterceptor capture =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, Metadata md, ServerCallHandler<ReqT, RespT> next) {
            return Contexts.interceptCall(Context.current().withValue(CALL_HEADERS, md), call,
                md, next);
          }
        };
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(ServerInterceptors.intercept(new Secrets(), capture))
            .addService(ServerInterceptors.intercept(new Applications(), capture))
            .addService(ServerInterceptors.intercept(new Principals(), capture))
            .addService(ServerInterceptors.intercept(new Tokens(), capture))
            .addService(ServerInterceptors.intercept(new Tenants(), capture))
            .addService(ServerInterceptors.intercept(new Access(), capture))
            .addService(ServerInterceptors.intercept(new Grants(), capture))
            .addService(ServerInterceptors.intercept(new Audit(), capture))
            .addService(ServerInterceptors.intercept(new Lifecycle(), capture))
            .addService(ServerInterceptors.intercept(new Scopes(), capture))
            .addService(ServerInterceptors.intercept(new Assertions(), capture))
            .addService(ServerInterceptors.intercept(new Leaks(), capture))
            .addService(ServerInterceptors.intercept(new Admin(), capture))
            .addService(ServerInterceptors.intercept(new Cluster(), capture))
            .addService(ServerInterceptors.intercept(new Login(), capture))
            .addService(ServerInterceptors.intercept(new Issuers(), capture))
            .build()
            .start();
  }

  /** A client wired to this server with the real credentials, deadline and retry plumbing. */
  public CofferClient connect(ClientConfig config) {
    return CofferClient.create(config, InProcessChannelBuilder.forName(name).directExecutor());
  }

  /** The last request, of the given type. */
  public <T extends Message> T last(Class<T> type) {
    return type.cast(requests.get(requests.size() - 1));
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  /**
   * Records a request with its call's headers at the same index of {@link #requests} and
   * {@link #headers}, even when calls run concurrently (a background token exchange beside a
   * call).
   */
  private synchronized void record(Message request) {
    requests.add(request);
    headers.add(CALL_HEADERS.get());
  }

  @SuppressWarnings("unchecked")
  private <T> void handle(Message request, StreamObserver<T> observer) {
    record(request);
    deadlines.add(Context.current().getDeadline());
    Object reply = answer.apply(request);
    if (reply instanceof Throwable t) {
      observer.onError(t);
    } else {
      observer.onNext((T) reply);
      observer.onCompleted();
    }
  }

  private final class Secrets extends SecretServiceGrpc.SecretServiceImplBase {
    @Override
    public void createSecret(CreateSecretRequest r, StreamObserver<CreateSecretResponse> o) {
      handle(r, o);
    }

    @Override
    public void getSecret(GetSecretRequest r, StreamObserver<Secret> o) {
      handle(r, o);
    }

    @Override
    public void listSecrets(ListSecretsRequest r, StreamObserver<ListSecretsResponse> o) {
      handle(r, o);
    }

    @Override
    public void revokeSecret(RevokeSecretRequest r, StreamObserver<Secret> o) {
      handle(r, o);
    }

    @Override
    public void deleteSecret(DeleteSecretRequest r, StreamObserver<DeleteSecretResponse> o) {
      handle(r, o);
    }

    @Override
    public void verifySecret(VerifySecretRequest r, StreamObserver<VerifySecretResponse> o) {
      handle(r, o);
    }

    @Override
    public void revealSecret(RevealSecretRequest r, StreamObserver<RevealSecretResponse> o) {
      handle(r, o);
    }

    @Override
    public void rotateSecret(RotateSecretRequest r, StreamObserver<CreateSecretResponse> o) {
      handle(r, o);
    }

    @Override
    public void unquarantineSecret(dev.coffer.api.v1.UnquarantineSecretRequest r,
        StreamObserver<Secret> o) {
      handle(r, o);
    }

    @Override
    public void storeCredential(StoreCredentialRequest r, StreamObserver<Secret> o) {
      handle(r, o);
    }
  }

  private final class Tenants extends TenantServiceGrpc.TenantServiceImplBase {
    @Override
    public void createTenant(CreateTenantRequest r, StreamObserver<Tenant> o) {
      handle(r, o);
    }

    @Override
    public void getTenant(dev.coffer.api.v1.GetTenantRequest r, StreamObserver<Tenant> o) {
      handle(r, o);
    }

    @Override
    public void updateTenantPolicy(dev.coffer.api.v1.UpdateTenantPolicyRequest r,
        StreamObserver<Tenant> o) {
      handle(r, o);
    }
  }

  private final class Login extends dev.coffer.api.v1.LoginServiceGrpc.LoginServiceImplBase {
    @Override
    public void login(dev.coffer.api.v1.LoginRequest r,
        StreamObserver<dev.coffer.api.v1.LoginResponse> o) {
      handle(r, o);
    }

    @Override
    public void listLoginIssuers(dev.coffer.api.v1.ListLoginIssuersRequest r,
        StreamObserver<dev.coffer.api.v1.ListLoginIssuersResponse> o) {
      handle(r, o);
    }
  }

  private final class Issuers
      extends dev.coffer.api.v1.TrustedIssuerServiceGrpc.TrustedIssuerServiceImplBase {
    @Override
    public void createTrustedIssuer(dev.coffer.api.v1.CreateTrustedIssuerRequest r,
        StreamObserver<dev.coffer.api.v1.TrustedIssuer> o) {
      handle(r, o);
    }

    @Override
    public void getTrustedIssuer(dev.coffer.api.v1.GetTrustedIssuerRequest r,
        StreamObserver<dev.coffer.api.v1.TrustedIssuer> o) {
      handle(r, o);
    }

    @Override
    public void listTrustedIssuers(dev.coffer.api.v1.ListTrustedIssuersRequest r,
        StreamObserver<dev.coffer.api.v1.ListTrustedIssuersResponse> o) {
      handle(r, o);
    }

    @Override
    public void deleteTrustedIssuer(dev.coffer.api.v1.DeleteTrustedIssuerRequest r,
        StreamObserver<dev.coffer.api.v1.TrustedIssuer> o) {
      handle(r, o);
    }
  }

  private final class Access extends AccessServiceGrpc.AccessServiceImplBase {
    @Override
    public void createAccessRequest(
        CreateAccessRequestRequest r, StreamObserver<AccessRequest> o) {
      handle(r, o);
    }

    @Override
    public void getAccessRequest(GetAccessRequestRequest r, StreamObserver<AccessRequest> o) {
      handle(r, o);
    }

    @Override
    public void listAccessRequests(
        ListAccessRequestsRequest r, StreamObserver<ListAccessRequestsResponse> o) {
      handle(r, o);
    }

    @Override
    public void approveAccessRequest(
        ApproveAccessRequestRequest r, StreamObserver<AccessRequest> o) {
      handle(r, o);
    }

    @Override
    public void denyAccessRequest(DenyAccessRequestRequest r, StreamObserver<AccessRequest> o) {
      handle(r, o);
    }

    @Override
    public void cancelAccessRequest(
        CancelAccessRequestRequest r, StreamObserver<AccessRequest> o) {
      handle(r, o);
    }
  }

  private final class Grants extends GrantServiceGrpc.GrantServiceImplBase {
    @Override
    public void createGrant(CreateGrantRequest r, StreamObserver<Grant> o) {
      handle(r, o);
    }

    @Override
    public void getGrant(GetGrantRequest r, StreamObserver<Grant> o) {
      handle(r, o);
    }

    @Override
    public void listGrants(ListGrantsRequest r, StreamObserver<ListGrantsResponse> o) {
      handle(r, o);
    }

    @Override
    public void revokeGrant(RevokeGrantRequest r, StreamObserver<Grant> o) {
      handle(r, o);
    }
  }

  /**
   * For the server-streaming export, {@link #answer} returns an {@code Iterable} of messages to
   * send in order; a Throwable in it ends the stream with that error at that point.
   */
  @SuppressWarnings("unchecked")
  private <T> void handleStream(Message request, StreamObserver<T> observer) {
    record(request);
    deadlines.add(Context.current().getDeadline());
    Object reply = answer.apply(request);
    if (reply instanceof Throwable t) {
      observer.onError(t);
      return;
    }
    for (Object message : (Iterable<?>) reply) {
      if (message instanceof Throwable t) {
        observer.onError(t);
        return;
      }
      observer.onNext((T) message);
    }
    observer.onCompleted();
  }

  /**
   * The last element of a scripted watch answer that keeps the stream open after the events
   * before it, until the client cancels; {@link #watchCancelled} then counts down.
   */
  public static final Object HOLD_OPEN = new Object();

  public final CountDownLatch watchCancelled = new CountDownLatch(1);

  /** For WatchLifecycle, {@link #answer} returns an {@code Iterable} as for the export. */
  @SuppressWarnings("unchecked")
  private <T> void handleWatch(Message request, StreamObserver<T> observer) {
    ((ServerCallStreamObserver<T>) observer).setOnCancelHandler(watchCancelled::countDown);
    record(request);
    deadlines.add(Context.current().getDeadline());
    Object reply = answer.apply(request);
    if (reply instanceof Throwable t) {
      observer.onError(t);
      return;
    }
    for (Object message : (Iterable<?>) reply) {
      if (message == HOLD_OPEN) {
        return;
      }
      if (message instanceof Throwable t) {
        observer.onError(t);
        return;
      }
      observer.onNext((T) message);
    }
    observer.onCompleted();
  }

  private final class Lifecycle extends LifecycleServiceGrpc.LifecycleServiceImplBase {
    @Override
    public void watchLifecycle(WatchLifecycleRequest r, StreamObserver<LifecycleEvent> o) {
      handleWatch(r, o);
    }
  }

  private final class Audit extends AuditServiceGrpc.AuditServiceImplBase {
    @Override
    public void listAuditEvents(ListAuditEventsRequest r, StreamObserver<ListAuditEventsResponse> o) {
      handle(r, o);
    }

    @Override
    public void exportAuditEvents(ExportAuditEventsRequest r, StreamObserver<AuditEvent> o) {
      handleStream(r, o);
    }

    @Override
    public void verifyAuditChain(VerifyAuditChainRequest r, StreamObserver<VerifyAuditChainResponse> o) {
      handle(r, o);
    }
  }

  private final class Applications extends ApplicationServiceGrpc.ApplicationServiceImplBase {
    @Override
    public void createApplication(
        CreateApplicationRequest r, StreamObserver<CreateApplicationResponse> o) {
      handle(r, o);
    }
  }

  private final class Principals extends PrincipalServiceGrpc.PrincipalServiceImplBase {
    @Override
    public void whoAmI(WhoAmIRequest r, StreamObserver<Principal> o) {
      handle(r, o);
    }

    @Override
    public void getPrincipal(GetPrincipalRequest r, StreamObserver<Principal> o) {
      handle(r, o);
    }
  }

  private final class Tokens extends TokenServiceGrpc.TokenServiceImplBase {
    @Override
    public void issueToken(IssueTokenRequest r, StreamObserver<IssueTokenResponse> o) {
      handle(r, o);
    }

    @Override
    public void revokeToken(dev.coffer.api.v1.RevokeTokenRequest r,
        StreamObserver<dev.coffer.api.v1.AccessToken> o) {
      handle(r, o);
    }

    @Override
    public void listTokens(dev.coffer.api.v1.ListTokensRequest r,
        StreamObserver<dev.coffer.api.v1.ListTokensResponse> o) {
      handle(r, o);
    }
  }

  private final class Scopes extends dev.coffer.api.v1.ScopeServiceGrpc.ScopeServiceImplBase {
    @Override
    public void createScope(dev.coffer.api.v1.CreateScopeRequest r,
        StreamObserver<dev.coffer.api.v1.Scope> o) {
      handle(r, o);
    }

    @Override
    public void getScope(dev.coffer.api.v1.GetScopeRequest r,
        StreamObserver<dev.coffer.api.v1.Scope> o) {
      handle(r, o);
    }

    @Override
    public void listScopes(dev.coffer.api.v1.ListScopesRequest r,
        StreamObserver<dev.coffer.api.v1.ListScopesResponse> o) {
      handle(r, o);
    }
  }

  private final class Assertions
      extends dev.coffer.api.v1.ClientAssertionServiceGrpc.ClientAssertionServiceImplBase {
    @Override
    public void getJwks(dev.coffer.api.v1.GetJwksRequest r,
        StreamObserver<dev.coffer.api.v1.GetJwksResponse> o) {
      handle(r, o);
    }

    @Override
    public void verifyClientAssertion(dev.coffer.api.v1.VerifyClientAssertionRequest r,
        StreamObserver<dev.coffer.api.v1.VerifyClientAssertionResponse> o) {
      handle(r, o);
    }
  }

  private final class Admin extends dev.coffer.api.v1.AdminServiceGrpc.AdminServiceImplBase {
    @Override
    public void getVaultStatus(dev.coffer.api.v1.GetVaultStatusRequest r,
        StreamObserver<dev.coffer.api.v1.VaultStatus> o) {
      handle(r, o);
    }
  }

  private final class Cluster extends dev.coffer.api.v1.ClusterServiceGrpc.ClusterServiceImplBase {
    @Override
    public void getClusterStatus(dev.coffer.api.v1.GetClusterStatusRequest r,
        StreamObserver<dev.coffer.api.v1.ClusterStatus> o) {
      handle(r, o);
    }

    @Override
    public void transferLeadership(dev.coffer.api.v1.TransferLeadershipRequest r,
        StreamObserver<dev.coffer.api.v1.TransferLeadershipResponse> o) {
      handle(r, o);
    }

    @Override
    public void takeSnapshot(dev.coffer.api.v1.TakeSnapshotRequest r,
        StreamObserver<dev.coffer.api.v1.TakeSnapshotResponse> o) {
      handle(r, o);
    }

    @Override
    public void removePeer(dev.coffer.api.v1.RemovePeerRequest r,
        StreamObserver<dev.coffer.api.v1.ClusterMembership> o) {
      handle(r, o);
    }

    @Override
    public void addPeer(dev.coffer.api.v1.AddPeerRequest r,
        StreamObserver<dev.coffer.api.v1.ClusterMembership> o) {
      handle(r, o);
    }
  }

  private final class Leaks extends dev.coffer.api.v1.LeakReportServiceGrpc.LeakReportServiceImplBase {
    @Override
    public void reportLeak(dev.coffer.api.v1.ReportLeakRequest r,
        StreamObserver<dev.coffer.api.v1.ReportLeakResponse> o) {
      handle(r, o);
    }
  }
}
