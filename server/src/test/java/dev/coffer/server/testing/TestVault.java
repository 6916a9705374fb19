package dev.coffer.server.testing;

import dev.coffer.server.Vault;
import dev.coffer.server.VaultSettings;
import dev.coffer.server.config.IssuerFetchHosts;
import dev.coffer.server.metrics.VaultInstrumentation;
import dev.coffer.server.crypto.DevRootKeyFile;
import dev.coffer.server.crypto.RootKeyProvider;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.service.directory.BootstrapService;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.directory.Tokens;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A real vault (RocksDB in a temp dir, real Tink keysets from a dev root key) with a
 * movable clock, bootstrapped, for service and gRPC tests. Like a {@code --dev} server it
 * fetches trusted issuers' keys from any host the URL rules accept (loopback http included).
 */
public final class TestVault implements AutoCloseable {

  public static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

  public final MutableClock clock;
  public final Path dir;
  public final Vault vault;
  public final String adminToken;

  public TestVault(Path dir) {
    this(dir, 5);
  }

  public TestVault(Path dir, long verifyFailuresPerMinute) {
    this(dir, verifyFailuresPerMinute, DevRootKeyFile.loadOrCreate(dir.resolve("root.json")));
  }

  /** Under another root key (a KMS, an injected key). */
  public TestVault(Path dir, RootKeyProvider root) {
    this(dir, 5, root);
  }

  private TestVault(Path dir, long verifyFailuresPerMinute, RootKeyProvider root) {
    this(dir, new MutableClock(START), verifyFailuresPerMinute, root,
        VaultInstrumentation.none());
  }

  /** Fetching trusted issuers' keys only from {@code fetchHosts} (as --issuer-fetch-hosts). */
  public TestVault(Path dir, IssuerFetchHosts fetchHosts) {
    this(dir, new MutableClock(START), 5, null, VaultInstrumentation.none(), fetchHosts);
  }

  /**
   * Every part given: the clock, the verify failure budget per minute, the root key ({@code
   * null}: a dev root key file in {@code dir}) and the vault's instrumentation (e.g. {@code
   * CofferMetrics.vault()}). Tests ask for them by name through {@link CofferExtension}.
   */
  TestVault(Path dir, MutableClock clock, long verifyFailuresPerMinute, RootKeyProvider root,
      VaultInstrumentation instrumentation) {
    this(dir, clock, verifyFailuresPerMinute, root, instrumentation, IssuerFetchHosts.anyHost());
  }

  private TestVault(Path dir, MutableClock clock, long verifyFailuresPerMinute,
      RootKeyProvider root, VaultInstrumentation instrumentation, IssuerFetchHosts fetchHosts) {
    this.dir = dir;
    this.clock = clock;
    this.vault = Vault.open(dir.resolve("db"),
        root != null ? root : DevRootKeyFile.loadOrCreate(dir.resolve("root.json")), clock,
        VaultSettings.defaults().withVerifyFailuresPerMinute(verifyFailuresPerMinute)
            .withBackupDir(dir.resolve("backups"))
            .withIssuerFetchHosts(fetchHosts), instrumentation);
    this.adminToken = vault.directory().bootstrap().bootstrapIfEmpty().map(Tokens.Issued::value)
        .map(v -> {
          try (v) {
            return v.reveal();
          }
        }).orElse(null);
  }

  public CallContext admin() {
    return as(vault.directory().principals().get(systemCtx(), BootstrapService.DEFAULT_TENANT,
        BootstrapService.ADMIN));
  }

  public CallContext as(Principal p) {
    return new CallContext(p, "req-test", "test");
  }

  /** Creates a principal in {@code tenant} (as the system admin) and returns its context. */
  public CallContext newPrincipal(String tenant, String id, boolean admin) {
    return as(vault.directory().principals().create(admin(), tenant, id, PrincipalKind.USER,
        admin));
  }

  /**
   * Issues a token for an existing principal, returning its value, as an admin of the
   * principal's own tenant would (the system administrator may not, beyond a tenant's first
   * admin). For a USER this revokes the tokens it held.
   */
  public String tokenFor(String tenant, String id) {
    CallContext issuer = BootstrapService.DEFAULT_TENANT.equals(tenant) ? admin()
        : tenantAdmin(tenant);
    try (var value = vault.directory().tokens().issue(issuer, tenant, id, null, "test").value()) {
      return value.reveal();
    }
  }

  /** A tenant admin of {@code tenant} for service calls (not stored: it has no token). */
  public CallContext tenantAdmin(String tenant) {
    return new CallContext(new Principal(tenant, "fixture-admin", PrincipalKind.USER, true,
        false, START), "req-test", "test");
  }

  private CallContext systemCtx() {
    return new CallContext(new Principal(BootstrapService.DEFAULT_TENANT,
        BootstrapService.ADMIN, PrincipalKind.USER, true, true, START), "req-test", "test");
  }

  @Override
  public void close() {
    vault.close();
  }
}
