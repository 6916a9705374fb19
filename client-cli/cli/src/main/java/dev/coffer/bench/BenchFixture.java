package dev.coffer.bench;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.coffer.api.v1.ApplicationServiceGrpc;
import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.api.v1.CreateApplicationResponse;
import dev.coffer.api.v1.CreateGrantRequest;
import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateTenantRequest;
import dev.coffer.api.v1.DeleteSecretRequest;
import dev.coffer.api.v1.GrantServiceGrpc;
import dev.coffer.api.v1.IssueTokenRequest;
import dev.coffer.api.v1.IssueTokenResponse;
import dev.coffer.api.v1.ListSecretsRequest;
import dev.coffer.api.v1.ListSecretsResponse;
import dev.coffer.api.v1.OAuthFlow;
import dev.coffer.api.v1.PrincipalKind;
import dev.coffer.api.v1.RevokeGrantRequest;
import dev.coffer.api.v1.RevokeTokenRequest;
import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.SecretServiceGrpc;
import dev.coffer.api.v1.TokenServiceGrpc;
import dev.coffer.api.v1.SecretServiceGrpc.SecretServiceBlockingStub;
import dev.coffer.client.BearerTokenCredentials;
import dev.coffer.client.CofferClient;
import dev.coffer.client.CofferErrors;
import io.grpc.CallCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * Prepares a run's data in a tenant of its own and removes it afterwards. With the system
 * administrator's client it creates tenant {@code bench-<random>} and its first admin, the USER
 * {@value #OWNER}, whose token (7 days) it issues as the tenant's hand-over (the only token the
 * system administrator may issue inside another tenant); the owner then issues the token of the
 * SERVICE {@value #READER} it owns. Then, as the owner, {@code
 * apps} client-credentials applications (their initial secrets are the verify targets), an
 * application holding {@code secrets} vaulted, shared secrets (listed, and the first up to 256
 * revealed through a grant each to the reader), and an application that {@code create} adds to.
 *
 * <p>{@link #cleanUp} revokes the grants, deletes every secret the owner has (those made
 * during the run too) unless data is kept, and revokes both tokens. Coffer has no call to
 * delete tenants, principals or applications: those stay. It works after a partial prepare.
 *
 * <p>Security: the verify values and tokens stay in memory ({@link BenchData}); vaulted values
 * returned by creation are dropped at once; nothing is printed but counts and names.
 */
public final class BenchFixture {

  static final String OWNER = "bench-owner";
  static final String READER = "bench-reader";
  static final String ENVIRONMENT = "bench";
  private static final Duration TOKEN_TTL = Duration.newBuilder().setSeconds(7 * 86_400).build();
  private static final long GRANT_SECONDS = 7 * 86_400;
  private static final int CLEANUP_PAGE = 1000;
  private static final int MAX_CLEANUP_PAGES = 1_000_000;

  private final CofferClient admin;
  private final BenchPlan plan;
  private final ProgressLine out;
  private final Clock clock;
  private final int threads;
  private final List<String> tokens = new CopyOnWriteArrayList<>();
  private final List<String> grants = new CopyOnWriteArrayList<>();
  private volatile String tenantId;
  private volatile CallCredentials owner;

  /** @param admin a client with the system administrator's token */
  public BenchFixture(CofferClient admin, BenchPlan plan, ProgressLine out, Clock clock) {
    this.admin = admin;
    this.plan = plan;
    this.out = out;
    this.clock = clock;
    this.threads = Math.min(plan.concurrency(), 16);
  }

  /**
   * Creates the data; nothing when only {@code health} is measured (it needs no data and no
   * token, so a bare server such as {@code coffer bench-baseline} can be measured).
   *
   * @throws FixtureException naming the step whose call failed
   */
  public BenchData prepare() throws InterruptedException {
    if (plan.operations().equals(Set.of(Operation.HEALTH))) {
      return new BenchData(null, List.of(), List.of(), "", "", null, null);
    }
    long startMillis = clock.millis();
    String tenant = "bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    try {
      admin.tenants().createTenant(CreateTenantRequest.newBuilder().setTenantId(tenant).build());
    } catch (StatusRuntimeException e) {
      boolean denied = e.getStatus().getCode() == Status.Code.PERMISSION_DENIED;
      throw new FixtureException("create tenant " + tenant, e, denied
          ? "coffer bench needs the system administrator's token (it makes a tenant of its own)"
          : "");
    }
    tenantId = tenant;
    CallCredentials ownerCreds = principal(OWNER, PrincipalKind.USER, admin.tokens());
    owner = ownerCreds;
    CallCredentials readerCreds = principal(READER, PrincipalKind.SERVICE,
        TokenServiceGrpc.newBlockingStub(admin.channel()).withCallCredentials(ownerCreds));
    out.note("preparing tenant " + tenant + ": " + plan.apps() + " applications, "
        + plan.secrets() + " vaulted secrets, " + plan.revealTargets() + " grants");
    var apps = ApplicationServiceGrpc.newBlockingStub(admin.channel())
        .withCallCredentials(ownerCreds);
    List<CreateApplicationResponse> verifyApps = parallel("applications", plan.apps(),
        i -> apps.createApplication(app(String.format("bench_app_%05d", i),
            OAuthFlow.CLIENT_CREDENTIALS)));
    String store = plan.secrets() == 0 ? "" : step("create application bench_store",
        () -> apps.createApplication(app("bench_store", OAuthFlow.AUTHORIZATION_CODE)))
        .getApplication().getName();
    String created = !plan.operations().contains(Operation.CREATE) ? ""
        : step("create application bench_created", () -> apps.createApplication(
            app("bench_created", OAuthFlow.AUTHORIZATION_CODE))).getApplication().getName();
    SecretServiceBlockingStub secrets = SecretServiceGrpc.newBlockingStub(admin.channel())
        .withCallCredentials(ownerCreds);
    int granted = plan.revealTargets();
    List<String> stored = parallel("vaulted secrets", plan.secrets(), i -> {
      Secret s = secrets.createSecret(CreateSecretRequest.newBuilder().setParent(store)
          .setLocation("/").setDisplayName(String.format("bench-%07d", i)).setVaulted(true)
          .setSharingEnabled(true).build()).getSecret();
      return i < granted ? s.getName() : null; // the rest are only listed: keep nothing
    });
    List<String> revealTargets = List.copyOf(stored.subList(0, granted));
    grant(ownerCreds, revealTargets);
    List<BenchData.VerifyTarget> verify = verifyApps.stream().map(r ->
        new BenchData.VerifyTarget(r.getApplication().getClientId(), r.getInitialSecretValue()))
        .toList();
    out.note(String.format(java.util.Locale.ROOT, "prepared in %.1fs",
        (clock.millis() - startMillis) / 1000.0));
    return new BenchData(tenant, verify, revealTargets, store, created, ownerCreds, readerCreds);
  }

  /** The tenant made by {@link #prepare}, or null if it got no further than that. */
  public String tenantId() {
    return tenantId;
  }

  /**
   * Creates {@code id} (a USER is the tenant's admin; a SERVICE is owned by {@value #OWNER})
   * and has {@code issuer} issue its token.
   */
  private CallCredentials principal(String id, PrincipalKind kind,
      TokenServiceGrpc.TokenServiceBlockingStub issuer) {
    step("create principal " + id, () -> admin.principals().createPrincipal(
        CreatePrincipalRequest.newBuilder().setTenantId(tenantId).setPrincipalId(id)
            .setKind(kind).setAdmin(kind == PrincipalKind.USER)
            .setOwner(kind == PrincipalKind.SERVICE ? OWNER : "").build()));
    IssueTokenResponse issued = step("issue a token for " + id, () -> issuer
        .issueToken(IssueTokenRequest.newBuilder().setTenantId(tenantId).setPrincipalId(id)
            .setTtl(TOKEN_TTL).setDescription("coffer bench").build()));
    tokens.add(issued.getToken().getName());
    String value = issued.getValue();
    return new BearerTokenCredentials(() -> value);
  }

  private void grant(CallCredentials ownerCreds, List<String> secretNames)
      throws InterruptedException {
    var stub = GrantServiceGrpc.newBlockingStub(admin.channel()).withCallCredentials(ownerCreds);
    Instant until = clock.instant().plusSeconds(GRANT_SECONDS);
    Timestamp expire = Timestamp.newBuilder().setSeconds(until.getEpochSecond()).build();
    parallel("grants", secretNames.size(), i -> {
      String name = stub.createGrant(CreateGrantRequest.newBuilder()
          .setSecret(secretNames.get(i)).setGrantee(READER).setExpireTime(expire).build())
          .getName();
      grants.add(name);
      return name;
    });
  }

  private static CreateApplicationRequest app(String name, OAuthFlow flow) {
    return CreateApplicationRequest.newBuilder().setClientName(name)
        .setEnvironment(ENVIRONMENT).setFlow(flow).build();
  }

  /** Makes {@code count} things on a few threads; their results in index order. */
  private <T> List<T> parallel(String what, int count, IntFunction<T> make)
      throws InterruptedException {
    AtomicReferenceArray<T> made = new AtomicReferenceArray<>(count);
    BoundedParallel.Outcome outcome = BoundedParallel.run(count, threads, true,
        i -> made.set(i, make.apply(i)),
        done -> out.progress("preparing: " + done + "/" + count + " " + what));
    if (outcome.firstFailure() != null) {
      throw new FixtureException("create " + what, outcome.firstFailure(), "");
    }
    List<T> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      list.add(made.get(i));
    }
    return list;
  }

  private static <T> T step(String step, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw new FixtureException(step, e, "");
    }
  }

  /**
   * Removes what {@link #prepare} and the run made (see the class comment); never throws a
   * call's failure, counts it instead.
   */
  public Cleanup cleanUp(boolean keepData) throws InterruptedException {
    Failures failures = new Failures();
    long grantsRevoked = 0;
    long deleted = 0;
    CallCredentials ownerCreds = owner;
    if (!keepData && ownerCreds != null) {
      var grantStub = GrantServiceGrpc.newBlockingStub(admin.channel())
          .withCallCredentials(ownerCreds);
      grantsRevoked = failures.absorb(BoundedParallel.run(grants.size(), threads, false,
          i -> grantStub.revokeGrant(RevokeGrantRequest.newBuilder()
              .setName(grants.get(i)).build()),
          done -> out.progress("cleaning up: " + done + "/" + grants.size() + " grants")));
      SecretServiceBlockingStub secrets = SecretServiceGrpc.newBlockingStub(admin.channel())
          .withCallCredentials(ownerCreds);
      List<String> names = ownedSecrets(secrets, failures);
      deleted = failures.absorb(BoundedParallel.run(names.size(), threads, false,
          i -> secrets.deleteSecret(DeleteSecretRequest.newBuilder()
              .setName(names.get(i)).build()),
          done -> out.progress("cleaning up: " + done + "/" + names.size() + " secrets")));
    }
    long revoked = failures.absorb(BoundedParallel.run(tokens.size(), 1, false,
        i -> admin.tokens().revokeToken(RevokeTokenRequest.newBuilder()
            .setName(tokens.get(i)).build()), done -> { }));
    out.clear();
    return new Cleanup(tenantId, keepData, deleted, grantsRevoked, revoked, failures.count,
        failures.first);
  }

  /** Every secret the owner can list, whatever the application (so those of the run too). */
  private static List<String> ownedSecrets(SecretServiceBlockingStub secrets,
      Failures failures) {
    List<String> names = new ArrayList<>();
    String token = "";
    for (int page = 0; page < MAX_CLEANUP_PAGES; page++) {
      ListSecretsResponse r;
      try {
        r = secrets.listSecrets(ListSecretsRequest.newBuilder().setPageSize(CLEANUP_PAGE)
            .setPageToken(token).build());
      } catch (RuntimeException e) {
        failures.add(e);
        break;
      }
      r.getSecretsList().forEach(s -> names.add(s.getName()));
      token = r.getNextPageToken();
      if (token.isEmpty()) {
        break;
      }
    }
    return names;
  }

  /** Failed cleanup calls: how many, and the first as one line. */
  private static final class Failures {
    long count;
    String first = "";

    void add(RuntimeException e) {
      count++;
      if (first.isEmpty()) {
        first = CofferErrors.describe(e);
      }
    }

    /** Counts a batch's failures; returns its successes. */
    long absorb(BoundedParallel.Outcome outcome) {
      if (outcome.failed() > 0) {
        count += outcome.failed() - 1;
        add(outcome.firstFailure());
      }
      return outcome.succeeded();
    }
  }
}
