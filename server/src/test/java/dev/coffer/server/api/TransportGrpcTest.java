package dev.coffer.server.api;

import static dev.coffer.server.testing.GrpcAssertions.assertReason;
import static dev.coffer.server.testing.GrpcAssertions.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import dev.coffer.api.v1.AccessServiceGrpc;
import dev.coffer.api.v1.AdminServiceGrpc;
import dev.coffer.api.v1.ApplicationServiceGrpc;
import dev.coffer.api.v1.AuditServiceGrpc;
import dev.coffer.api.v1.ClientAssertionServiceGrpc;
import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.GrantServiceGrpc;
import dev.coffer.api.v1.LeakReportServiceGrpc;
import dev.coffer.api.v1.LifecycleServiceGrpc;
import dev.coffer.api.v1.LocationServiceGrpc;
import dev.coffer.api.v1.PrincipalServiceGrpc;
import dev.coffer.api.v1.ScopeServiceGrpc;
import dev.coffer.api.v1.SecretServiceGrpc;
import dev.coffer.api.v1.TenantServiceGrpc;
import dev.coffer.api.v1.TokenServiceGrpc;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.GrpcAssertions;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.RawBytes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Authentication and transport-level faults, for every RPC of the API. */
class TransportGrpcTest {

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.inProcessServer().build();
  InProcessServer coffer;

  @BeforeEach
  void setUp() {
    coffer = fixture.coffer();
  }

  static List<MethodDescriptor<?, ?>> allMethods() {
    List<MethodDescriptor<?, ?>> methods = new ArrayList<>();
    for (ServiceDescriptor s : List.of(TenantServiceGrpc.getServiceDescriptor(),
        PrincipalServiceGrpc.getServiceDescriptor(), TokenServiceGrpc.getServiceDescriptor(),
        LocationServiceGrpc.getServiceDescriptor(), ApplicationServiceGrpc.getServiceDescriptor(),
        SecretServiceGrpc.getServiceDescriptor(), AccessServiceGrpc.getServiceDescriptor(),
        GrantServiceGrpc.getServiceDescriptor(), AuditServiceGrpc.getServiceDescriptor(),
        LifecycleServiceGrpc.getServiceDescriptor(), ScopeServiceGrpc.getServiceDescriptor(),
        ClientAssertionServiceGrpc.getServiceDescriptor(),
        LeakReportServiceGrpc.getServiceDescriptor(), AdminServiceGrpc.getServiceDescriptor(),
        dev.coffer.api.v1.ClusterServiceGrpc.getServiceDescriptor(),
        dev.coffer.api.v1.TrustedIssuerServiceGrpc.getServiceDescriptor(),
        dev.coffer.api.v1.LoginServiceGrpc.getServiceDescriptor())) {
      methods.addAll(s.getMethods());
    }
    return methods;
  }

  /** The RPCs that need a principal: all but the leak report and the two sign-in RPCs. */
  static List<MethodDescriptor<?, ?>> authenticatedMethods() {
    List<MethodDescriptor<?, ?>> methods = new ArrayList<>(allMethods());
    methods.remove(LeakReportServiceGrpc.getReportLeakMethod());
    methods.remove(dev.coffer.api.v1.LoginServiceGrpc.getLoginMethod());
    methods.remove(dev.coffer.api.v1.LoginServiceGrpc.getListLoginIssuersMethod());
    return methods;
  }

  private Object call(MethodDescriptor<?, ?> method, String token) {
    Channel channel = ClientInterceptors.intercept(coffer.channel, InProcessServer.bearer(token));
    if (method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
      // A stream may stay open: its first response, or its status, is the outcome.
      return ClientCalls.blockingServerStreamingCall(channel, erased(method),
          CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS), prototype(method))
          .hasNext();
    }
    return ClientCalls.blockingUnaryCall(channel, erased(method),
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), prototype(method));
  }

  @Test
  void everyRpc_withoutToken_isUnauthenticated() {
    assertEquals(62, allMethods().size(), "the table must list every RPC");
    List<MethodDescriptor<?, ?>> methods = authenticatedMethods();
    assertEquals(59, methods.size());
    for (MethodDescriptor<?, ?> m : methods) {
      assertReason(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED", () -> call(m, null));
    }
  }

  @Test
  void leakReport_needsNoToken_butStillChecksItsInput() {
    for (String token : new String[] {null, "cfr_at_" + "x".repeat(49)}) {
      GrpcAssertions.assertInvalidField("value",
          () -> call(LeakReportServiceGrpc.getReportLeakMethod(), token));
    }
  }

  @Test
  void everyRpc_withUnknownOrMalformedToken_isUnauthenticated() {
    String unknown = coffer.vault.tokenFor("default", "admin").substring(0, 20) + "x";
    for (MethodDescriptor<?, ?> m : authenticatedMethods()) {
      assertReason(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED", () -> call(m, unknown));
      assertReason(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED",
          () -> call(m, "cfr_at_" + "x".repeat(49)));
    }
  }

  @Test
  void expiredAndRevokedTokens_areRefusedWithTheirReason() {
    String token = coffer.vault.tokenFor("default", "admin");
    coffer.principals(token).whoAmI(WhoAmIRequest.getDefaultInstance());
    coffer.vault.clock.advance(Duration.ofDays(31));
    assertReason(Status.Code.UNAUTHENTICATED, "TOKEN_EXPIRED",
        () -> coffer.principals(token).whoAmI(WhoAmIRequest.getDefaultInstance()));
    String fresh = coffer.vault.tokenFor("default", "admin");
    var meta = coffer.principals(fresh).whoAmI(WhoAmIRequest.getDefaultInstance());
    assertEquals("admin", meta.getPrincipalId());
  }

  @Test
  void garbageRequestBytes_areInvalidArgument() {
    MethodDescriptor<byte[], byte[]> raw = SecretServiceGrpc.getCreateSecretMethod()
        .toBuilder(BYTES, BYTES).build();
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02, (byte) 0x80};
    Channel channel = ClientInterceptors.intercept(coffer.channel,
        InProcessServer.bearer(coffer.vault.adminToken));
    coffer.principals(coffer.vault.adminToken).whoAmI(
        dev.coffer.api.v1.WhoAmIRequest.getDefaultInstance()); // first sign-in is a write
    long auditBefore = coffer.vault.vault.kernel().audit().lastSequence();
    GrpcAssertions.assertInvalidField("request",
        () -> ClientCalls.blockingUnaryCall(channel, raw,
            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), garbage));
    assertEquals(auditBefore, coffer.vault.vault.kernel().audit().lastSequence());
  }

  @Test
  void unknownEnumValues_areInvalidNamingTheField() {
    String admin = coffer.vault.adminToken;
    GrpcAssertions.assertInvalidField("kind", () -> coffer
        .principals(admin).createPrincipal(CreatePrincipalRequest.newBuilder()
            .setPrincipalId("bob").setKindValue(42).build()));
    GrpcAssertions.assertInvalidField("security_type", () -> coffer
        .apps(admin).createApplication(CreateApplicationRequest.newBuilder()
            .setClientName("payments_api").setEnvironment("production")
            .setSecurityTypeValue(7).build()));
  }

  @Test
  void healthCheck_needsNoToken_andServes() {
    HealthCheckResponse r = HealthGrpc.newBlockingStub(coffer.channel)
        .check(HealthCheckRequest.newBuilder().setService("coffer.v1.SecretService").build());
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, r.getStatus());
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = RawBytes.MARSHALLER;

  @SuppressWarnings("unchecked")
  private static MethodDescriptor<Message, Object> erased(MethodDescriptor<?, ?> m) {
    return (MethodDescriptor<Message, Object>) m;
  }

  private static Message prototype(MethodDescriptor<?, ?> m) {
    return (Message) ((MethodDescriptor.PrototypeMarshaller<?>) m.getRequestMarshaller())
        .getMessagePrototype();
  }
}
