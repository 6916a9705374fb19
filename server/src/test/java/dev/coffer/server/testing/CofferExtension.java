package dev.coffer.server.testing;

import dev.coffer.server.CofferServer;
import dev.coffer.server.Vault;
import dev.coffer.server.crypto.RootKeyProvider;
import dev.coffer.server.metrics.CofferMetrics;
import dev.coffer.server.metrics.VaultInstrumentation;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one owner of a test's vault and in-process server, registered with
 * {@code @RegisterExtension} (like grpc-java's {@code GrpcCleanupRule}).
 *
 * <p>Contract: before each test (on an instance field) or before all tests of the class (on a
 * static field) it creates a fresh data directory of its own, opens a bootstrapped
 * {@link TestVault} there (real RocksDB, real Tink keysets, a {@link MutableClock}) and, unless
 * built with {@link #vaultOnly()}, a real server over it: an {@link InProcessServer}, or with
 * {@link #loopbackServer()} a Netty server on 127.0.0.1 (an ephemeral port, never another
 * interface). After the test (or the class) it closes the channel, the server and the vault, in
 * that order, and deletes the
 * directory, whether the test passed, failed or threw; a failure to open closes what was
 * already open. Two extensions in one class own two directories and two vaults. Tests write no
 * {@code @AfterEach}/{@code @AfterAll} of their own for them.
 *
 * <p>Security: it holds the bootstrap admin token only in memory, for the test's calls, and
 * never logs or prints it or any secret value; the directory with the dev root key is deleted
 * after use.
 */
public final class CofferExtension implements BeforeAllCallback, BeforeEachCallback,
    AfterEachCallback, AfterAllCallback {

  private enum Mode { VAULT_ONLY, IN_PROCESS, LOOPBACK }

  private final Mode mode;
  private final Instant clockStart;
  private final long verifyFailuresPerMinute;
  private final Function<Path, RootKeyProvider> rootKey;
  private final Supplier<CofferMetrics> metricsFactory;
  private final BiConsumer<Vault, CofferServer.Builder> configure;

  private boolean perClass;
  private Path dir;
  private CofferMetrics metrics;
  private TestVault vault;
  private InProcessServer coffer;
  private CofferServer loopback;

  private CofferExtension(Builder b) {
    this.mode = b.mode;
    this.clockStart = b.clockStart;
    this.verifyFailuresPerMinute = b.verifyFailuresPerMinute;
    this.rootKey = b.rootKey;
    this.metricsFactory = b.metrics;
    this.configure = b.configure;
  }

  /** A vault and an in-process server over it; adjust with the builder's methods. */
  public static Builder inProcessServer() {
    return new Builder(Mode.IN_PROCESS);
  }

  /**
   * A vault and a plaintext Netty server over it on 127.0.0.1, for clients that dial an address
   * ({@link #address()}); {@link Builder#server} may swap the transport (e.g. TLS on 127.0.0.1).
   */
  public static Builder loopbackServer() {
    return new Builder(Mode.LOOPBACK);
  }

  /** A vault alone (service, storage and metrics tests that need no gRPC). */
  public static Builder vaultOnly() {
    return new Builder(Mode.VAULT_ONLY);
  }

  /** What a test asks for; every part optional, each named. */
  public static final class Builder {
    private final Mode mode;
    private Instant clockStart = TestVault.START;
    private long verifyFailuresPerMinute = 5;
    private Function<Path, RootKeyProvider> rootKey = dir -> null;
    private Supplier<CofferMetrics> metrics;
    private BiConsumer<Vault, CofferServer.Builder> configure = (vault, server) -> { };

    private Builder(Mode mode) {
      this.mode = mode;
    }

    /** Where the vault's clock starts (default {@link TestVault#START}); it moves only by hand. */
    public Builder clockStart(Instant start) {
      this.clockStart = Objects.requireNonNull(start);
      return this;
    }

    /** The vault's budget of failed verifications per client and minute (default 5). */
    public Builder verifyFailuresPerMinute(long perMinute) {
      this.verifyFailuresPerMinute = perMinute;
      return this;
    }

    /** The root key, given the data directory (default: a dev root key file in it). */
    public Builder rootKey(Function<Path, RootKeyProvider> rootKey) {
      this.rootKey = Objects.requireNonNull(rootKey);
      return this;
    }

    /**
     * Metrics, made fresh for each vault: the vault is opened with their instrumentation and
     * the server (if any) with their interceptor and jobs; see {@link #metrics()}.
     */
    public Builder metrics(Supplier<CofferMetrics> metrics) {
      this.metrics = Objects.requireNonNull(metrics);
      return this;
    }

    /**
     * Adjusts the server's builder after the fixture's defaults (in-process transport, the
     * test clock, the metrics): background jobs, assertion rules, client certificates, ….
     */
    public Builder server(BiConsumer<Vault, CofferServer.Builder> configure) {
      if (mode == Mode.VAULT_ONLY) {
        throw new IllegalStateException("a vault-only fixture has no server to configure");
      }
      this.configure = Objects.requireNonNull(configure);
      return this;
    }

    public CofferExtension build() {
      return new CofferExtension(this);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    perClass = true;
    open();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    if (!perClass) {
      open();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (!perClass) {
      close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  private void open() throws IOException {
    dir = Files.createTempDirectory("coffer-test-");
    try {
      metrics = metricsFactory == null ? null : metricsFactory.get();
      vault = new TestVault(dir, new MutableClock(clockStart), verifyFailuresPerMinute,
          rootKey.apply(dir), metrics == null ? VaultInstrumentation.none() : metrics.vault());
      BiConsumer<Vault, CofferServer.Builder> adjust = (v, server) -> {
        if (metrics != null) {
          server.metrics(metrics);
        }
        configure.accept(v, server);
      };
      if (mode == Mode.IN_PROCESS) {
        coffer = new InProcessServer(vault, adjust);
      } else if (mode == Mode.LOOPBACK) {
        CofferServer.Builder server = CofferServer.builder(vault.vault)
            .transport(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)))
            .clock(vault.clock);
        adjust.accept(vault.vault, server);
        loopback = server.build().start();
      }
    } catch (IOException | RuntimeException | Error e) {
      try {
        close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private void close() throws Exception {
    Exception failure = null;
    try {
      if (coffer != null) {
        coffer.close(); // closes the vault too
      } else {
        if (loopback != null) {
          loopback.stop(Duration.ofSeconds(1));
        }
        if (vault != null) {
          vault.close();
        }
      }
    } catch (Exception e) {
      failure = e;
    } finally {
      coffer = null;
      loopback = null;
      vault = null;
      metrics = null;
    }
    try {
      deleteTree(dir);
    } catch (IOException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    } finally {
      dir = null;
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The data directory of this fixture's vault (its RocksDB is {@code dir().resolve("db")}). */
  public Path dir() {
    return live(dir);
  }

  /** The bootstrapped test vault. */
  public TestVault vault() {
    return live(vault);
  }

  /** The in-process server and its channel. */
  public InProcessServer coffer() {
    if (mode != Mode.IN_PROCESS) {
      throw new IllegalStateException("not built with inProcessServer()");
    }
    return live(coffer);
  }

  /** The loopback server (its {@code port()}, its jobs). */
  public CofferServer loopback() {
    if (mode != Mode.LOOPBACK) {
      throw new IllegalStateException("not built with loopbackServer()");
    }
    return live(loopback);
  }

  /** {@code 127.0.0.1:<port>} of the loopback server, for a client to dial. */
  public String address() {
    return "127.0.0.1:" + loopback().port();
  }

  /** The vault's (and server's) clock, moved by hand. */
  public MutableClock clock() {
    return vault().clock;
  }

  /** The bootstrap admin's token (a test value, never printed). */
  public String adminToken() {
    return vault().adminToken;
  }

  /** The metrics asked for with {@link Builder#metrics}. */
  public CofferMetrics metrics() {
    if (metricsFactory == null) {
      throw new IllegalStateException("built without metrics(…)");
    }
    return live(metrics);
  }

  private static <T> T live(T part) {
    if (part == null) {
      throw new IllegalStateException("not open: use it inside a test (or @BeforeEach), "
          + "or register the extension on a static field for @BeforeAll");
    }
    return part;
  }
}
