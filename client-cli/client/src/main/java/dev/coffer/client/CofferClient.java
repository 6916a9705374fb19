package dev.coffer.client;

import dev.coffer.api.v1.AdminServiceGrpc;
import dev.coffer.api.v1.AccessServiceGrpc;
import dev.coffer.api.v1.AccessServiceGrpc.AccessServiceBlockingStub;
import dev.coffer.api.v1.ApplicationServiceGrpc;
import dev.coffer.api.v1.ApplicationServiceGrpc.ApplicationServiceBlockingStub;
import dev.coffer.api.v1.AuditServiceGrpc;
import dev.coffer.api.v1.AuditServiceGrpc.AuditServiceBlockingStub;
import dev.coffer.api.v1.GrantServiceGrpc;
import dev.coffer.api.v1.GrantServiceGrpc.GrantServiceBlockingStub;
import dev.coffer.api.v1.LifecycleServiceGrpc;
import dev.coffer.api.v1.LifecycleServiceGrpc.LifecycleServiceBlockingStub;
import dev.coffer.api.v1.LocationServiceGrpc;
import dev.coffer.api.v1.LocationServiceGrpc.LocationServiceBlockingStub;
import dev.coffer.api.v1.LoginServiceGrpc;
import dev.coffer.api.v1.PrincipalServiceGrpc;
import dev.coffer.api.v1.PrincipalServiceGrpc.PrincipalServiceBlockingStub;
import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.api.v1.SecretServiceGrpc;
import dev.coffer.api.v1.SecretServiceGrpc.SecretServiceBlockingStub;
import dev.coffer.api.v1.TenantServiceGrpc;
import dev.coffer.api.v1.TenantServiceGrpc.TenantServiceBlockingStub;
import dev.coffer.api.v1.TokenServiceGrpc;
import dev.coffer.api.v1.TokenServiceGrpc.TokenServiceBlockingStub;
import dev.coffer.api.v1.TrustedIssuerServiceGrpc;
import dev.coffer.api.v1.VerifySecretRequest;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.concurrent.TimeUnit;

/**
 * A connection to a Coffer server: one {@link ManagedChannel} and a blocking stub per service.
 *
 * <p>Contract: every call carries the bearer token of {@link ClientConfig#tokenSupplier()}
 * (asked per call), or the Coffer token a {@link ClientConfig#tokenFileLogin()} exchanged its
 * JWT for, has a deadline of {@link ClientConfig#deadline()} unless the caller set one, and is
 * retried by
 * grpc-java on {@code UNAVAILABLE} when repeating it is harmless (see {@link RetryServiceConfig}).
 * Calls throw {@link io.grpc.StatusRuntimeException}; {@link CofferErrors} turns one into a
 * message. Thread-safe; close it once when done.
 *
 * <p>Security: neither the token nor a secret value is logged, kept beyond the call or put in
 * {@code toString}. Transport is plaintext by default; TLS plugs in through {@link
 * ClientConfig.Builder#channelCredentials(ChannelCredentials)}.
 */
public final class CofferClient implements AutoCloseable {

  private final ManagedChannel channel;
  private final SecretServiceBlockingStub secrets;
  private final ApplicationServiceBlockingStub applications;
  private final LocationServiceBlockingStub locations;
  private final TenantServiceBlockingStub tenants;
  private final PrincipalServiceBlockingStub principals;
  private final TokenServiceBlockingStub tokens;
  private final AccessServiceBlockingStub access;
  private final GrantServiceBlockingStub grants;
  private final AuditServiceBlockingStub audit;
  private final LifecycleServiceBlockingStub lifecycle;
  private final AdminServiceGrpc.AdminServiceBlockingStub admin;
  private final dev.coffer.api.v1.ClusterServiceGrpc.ClusterServiceBlockingStub cluster;
  private final dev.coffer.api.v1.ScopeServiceGrpc.ScopeServiceBlockingStub scopes;
  private final dev.coffer.api.v1.ClientAssertionServiceGrpc.ClientAssertionServiceBlockingStub
      assertions;
  private final dev.coffer.api.v1.LeakReportServiceGrpc.LeakReportServiceBlockingStub leaks;
  private final LoginServiceGrpc.LoginServiceBlockingStub login;
  private final TrustedIssuerServiceGrpc.TrustedIssuerServiceBlockingStub issuers;

  private CofferClient(ManagedChannel channel, CallCredentials credentials) {
    this.channel = channel;
    this.secrets = SecretServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials);
    this.applications =
        ApplicationServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials);
    this.locations = LocationServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials);
    this.tenants = TenantServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials);
    this.principals =
        PrincipalServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials);
    this.tokens = TokenServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials);
    this.access = AccessServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials);
    this.grants = GrantServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials);
    this.audit = AuditServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials);
    this.admin = AdminServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials);
    this.cluster = dev.coffer.api.v1.ClusterServiceGrpc.newBlockingStub(channel)
        .withCallCredentials(credentials);
    this.lifecycle =
        LifecycleServiceGrpc.newBlockingStub(channel)
            .withCallCredentials(credentials)
            .withOption(DeadlineInterceptor.UNBOUNDED, true);
    this.scopes = dev.coffer.api.v1.ScopeServiceGrpc.newBlockingStub(channel)
        .withCallCredentials(credentials);
    this.assertions = dev.coffer.api.v1.ClientAssertionServiceGrpc.newBlockingStub(channel)
        .withCallCredentials(credentials);
    // Leak reports need no token: whoever found a value may report it.
    this.leaks = dev.coffer.api.v1.LeakReportServiceGrpc.newBlockingStub(channel);
    // Sign-in needs no token: it is how a caller gets one.
    this.login = LoginServiceGrpc.newBlockingStub(channel);
    this.issuers = TrustedIssuerServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials);
  }

  /** Sign-in with a trusted issuer's JWT ({@code Login}, {@code ListLoginIssuers}); no token. */
  public LoginServiceGrpc.LoginServiceBlockingStub login() {
    return login;
  }

  /** The tenant's trusted issuers (tenant admins). */
  public TrustedIssuerServiceGrpc.TrustedIssuerServiceBlockingStub issuers() {
    return issuers;
  }

  /** Scopes (protected APIs that hold secrets like applications do). */
  public dev.coffer.api.v1.ScopeServiceGrpc.ScopeServiceBlockingStub scopes() {
    return scopes;
  }

  /** JWK Sets and client assertion checks of signed-JWT applications. */
  public dev.coffer.api.v1.ClientAssertionServiceGrpc.ClientAssertionServiceBlockingStub
      assertions() {
    return assertions;
  }

  /** Leaked-secret reports; sent without the bearer token. */
  public dev.coffer.api.v1.LeakReportServiceGrpc.LeakReportServiceBlockingStub leaks() {
    return leaks;
  }

  /** Connects to {@link ClientConfig#address()} with {@link ClientConfig#channelCredentials()}. */
  public static CofferClient create(ClientConfig config) {
    return create(config, Grpc.newChannelBuilder(config.address(), config.channelCredentials()));
  }

  /**
   * Connects over a transport the caller built (an in-process channel in tests, a custom
   * resolver); {@link ClientConfig#address()} and {@link ClientConfig#channelCredentials()} are
   * then unused.
   */
  public static CofferClient create(ClientConfig config, ManagedChannelBuilder<?> transport) {
    if (config.retries()) {
      transport.defaultServiceConfig(RetryServiceConfig.serviceConfig()).enableRetry();
    } else {
      transport.disableRetry();
    }
    ManagedChannel channel =
        transport
            .intercept(new DeadlineInterceptor(config.deadline()), new RefreshOnUnauthenticated())
            .build();
    CallCredentials credentials =
        config.tokenFileLogin() != null
            ? config.tokenFileLogin().credentials(LoginServiceGrpc.newBlockingStub(channel))
            : new BearerTokenCredentials(config.tokenSupplier());
    return new CofferClient(channel, credentials);
  }

  public SecretServiceBlockingStub secrets() {
    return secrets;
  }

  /**
   * The connection itself, for callers that need stubs of their own (asynchronous stubs, a
   * load generator). Calls on it get the configured deadline and retry policy but carry no
   * bearer token: add call credentials (e.g. {@link BearerTokenCredentials}) to the stub.
   * Closing stays this client's job.
   */
  public Channel channel() {
    return channel;
  }

  /** The standard gRPC health service (needs no token), with the configured deadline. */
  public HealthGrpc.HealthBlockingStub health() {
    return HealthGrpc.newBlockingStub(channel);
  }

  public ApplicationServiceBlockingStub applications() {
    return applications;
  }

  public LocationServiceBlockingStub locations() {
    return locations;
  }

  public TenantServiceBlockingStub tenants() {
    return tenants;
  }

  public PrincipalServiceBlockingStub principals() {
    return principals;
  }

  public TokenServiceBlockingStub tokens() {
    return tokens;
  }

  /** Access requests: ask for, decide and withdraw time-boxed access to a shared secret. */
  public AccessServiceBlockingStub access() {
    return access;
  }

  /** Grants: direct, listed and revoked rights to reveal one vaulted secret until a time. */
  public GrantServiceBlockingStub grants() {
    return grants;
  }

  /**
   * The audit trail: list and export the caller's tenant's events (tenant admins), verify the
   * chain (system administrator). Export is a server stream: give it a deadline long enough for
   * the whole trail.
   */
  public AuditServiceBlockingStub audit() {
    return audit;
  }

  /**
   * Lifecycle events: {@code WatchLifecycle} streams expiry warnings, expiries and state changes
   * until cancelled. Its calls get no default deadline (a watch is meant to stay open) and are never
   * retried; give one with {@code withDeadlineAfter} to bound a watch, and cancel it (for example
   * through a {@code Context.CancellableContext}) to stop early.
   */
  public LifecycleServiceBlockingStub lifecycle() {
    return lifecycle;
  }

  /** Vault administration (system administrator): status, KEK rotation, online backups. */
  public AdminServiceGrpc.AdminServiceBlockingStub admin() {
    return admin;
  }

  /**
   * A replicated cluster (system administrator): the node's view of the group, leadership,
   * snapshots, membership.
   */
  public dev.coffer.api.v1.ClusterServiceGrpc.ClusterServiceBlockingStub cluster() {
    return cluster;
  }

  /**
   * Returns the value of a vaulted secret the caller may read ({@code RevealSecret}, audited).
   *
   * @param secretId bare id or {@code secrets/{id}}
   */
  public String reveal(String secretId) {
    return secrets
        .revealSecret(RevealSecretRequest.newBuilder().setName(ResourceNames.secret(secretId)).build())
        .getValue();
  }

  /** Whether {@code value} is an active secret of application {@code clientId} (constant time). */
  public boolean verify(String clientId, String value) {
    return secrets
        .verifySecret(
            VerifySecretRequest.newBuilder().setClientId(clientId).setValue(value).build())
        .getMatch();
  }

  /** Shuts the channel down, waiting up to 5 s for calls in flight. */
  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "CofferClient[" + channel + "]";
  }
}
