package dev.coffer.server;

import dev.coffer.server.auth.CertificateIdentity;
import dev.coffer.server.config.HostPort;
import dev.coffer.server.config.ServerConfig;
import dev.coffer.server.crypto.DevRootKeyFile;
import dev.coffer.server.crypto.KeyringException;
import dev.coffer.server.crypto.RootKeyProvider;
import dev.coffer.server.crypto.RootKeyProviders;
import dev.coffer.server.metrics.CofferMetrics;
import dev.coffer.server.metrics.MetricsHttpServer;
import dev.coffer.server.metrics.VaultInstrumentation;
import dev.coffer.server.service.assertions.AssertionRules;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Starts the Coffer server: {@code java -jar coffer-server.jar --dev --data-dir DIR
 * --listen 127.0.0.1:7443}. Prints {@code listening on HOST:PORT} once it serves. Without
 * {@code --dev} a root key must be configured, the data dir must be private to the service
 * user (see {@link DataDirectory}), and the first start of an empty vault writes the
 * bootstrap admin's token to a 0600 file, printing only its id (see
 * {@link BootstrapTokenHandover}). {@code /metrics} listens beyond loopback only with
 * {@code --metrics-listen-public}. SIGTERM stops it gracefully.
 */
@Command(name = "coffer-server", mixinStandardHelpOptions = true, version = "coffer-server 0.1.0",
    description = "Runs the Coffer secrets vault (gRPC).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped cleanly", "2:bad configuration (message on stderr)",
        "1:failed at runtime"},
    footer = {"%nOffline restore of a backup into a new data dir (no server running on it):",
        "  coffer-server restore --from DIR --data-dir NEW (--root-key URI | --dev-root-key FILE)",
        "  (see coffer-server restore --help)"})
public final class CofferServerMain implements Callable<Integer> {

  @Option(names = "--data-dir", required = true, description = "Directory of the vault's data, "
      + "created mode 0700; without --dev, one that group or others can access is refused.")
  Path dataDir;

  @Option(names = "--listen", defaultValue = "127.0.0.1:7443",
      description = "HOST:PORT to listen on (port 0 picks a free one). Default: ${DEFAULT-VALUE}.")
  String listen;

  @Spec CommandSpec spec;

  @Option(names = "--dev", description = "Development mode: create and use a root key file in "
      + "the data dir. Never use in production.")
  boolean dev;

  @Option(names = "--root-key", defaultValue = "${env:COFFER_ROOT_KEY}",
      description = "Root key URI (env COFFER_ROOT_KEY): file:///etc/coffer/root-key.json, "
          + "env://VARIABLE, fd://N (0 = stdin), aws-kms://arn:aws:kms:REGION:ACCOUNT:key/ID "
          + "or gcp-kms://projects/P/locations/L/keyRings/R/cryptoKeys/K.")
  String rootKey;

  @Option(names = "--kms-credentials", defaultValue = "${env:COFFER_KMS_CREDENTIALS}",
      description = "Credentials file for an aws-kms:// or gcp-kms:// root key (env "
          + "COFFER_KMS_CREDENTIALS): AWS, a properties file with accessKey and secretKey; "
          + "Google, a service account JSON key. Default: the cloud's default credentials.")
  Path kmsCredentials;

  @Option(names = "--bootstrap-token-file",
      description = "On the first start of an empty vault, write the bootstrap admin's token "
          + "to this new file (mode 0600; an existing file is never overwritten). Default: "
          + "DATA_DIR/bootstrap-token, or stdout with --dev.")
  Path bootstrapTokenFile;

  @Option(names = "--bootstrap-token-stdout",
      description = "Print the bootstrap admin's token on stdout instead of writing it to a "
          + "file (the default with --dev). Anything that captures stdout (a journal, a log "
          + "collector) then keeps a copy.")
  boolean bootstrapTokenStdout;

  @Option(names = "--tls-cert", description = "PEM certificate chain for TLS on the gRPC port "
      + "(with --tls-key). Without TLS the server listens on loopback only.")
  Path tlsCert;

  @Option(names = "--tls-key", description = "PEM private key (PKCS#8) for --tls-cert.")
  Path tlsKey;

  @Option(names = "--tls-reload-seconds", defaultValue = "60",
      description = "How often the TLS files are re-read, so a renewed certificate is used "
          + "without a restart. Default: ${DEFAULT-VALUE}.")
  long tlsReloadSeconds;

  @Option(names = "--tls-client-ca", description = "PEM CA bundle for client certificates "
      + "(mutual TLS; needs --tls-cert). Clients may then present a certificate signed by it "
      + "instead of, or together with, a bearer token; certificates stay optional.")
  Path tlsClientCa;

  @Option(names = "--mtls-identity", defaultValue = "spiffe",
      description = "How a client certificate names its principal: spiffe = URI SAN "
          + "spiffe://<trust-domain>/tenants/<tenant>/principals/<principal>; dns = DNS SAN "
          + "<principal>.<tenant>.<suffix>; cn = subject CN <tenant>/<principal>. "
          + "Default: ${DEFAULT-VALUE}.")
  String mtlsIdentity;

  @Option(names = "--mtls-trust-domain",
      description = "SPIFFE trust domain of client certificates (required with "
          + "--mtls-identity spiffe).")
  String mtlsTrustDomain;

  @Option(names = "--mtls-dns-suffix",
      description = "DNS suffix of client certificates (required with --mtls-identity dns).")
  String mtlsDnsSuffix;

  @Option(names = "--backup-dir", description = "Directory for online backups (coffer admin "
      + "backup). Default with --dev: DATA_DIR/backups; otherwise backups are refused.")
  Path backupDir;

  @Option(names = "--verify-failures-per-minute", defaultValue = "10",
      description = "Failed verifications allowed per client per minute. Default: ${DEFAULT-VALUE}.")
  long verifyFailuresPerMinute;

  @Option(names = "--read-cache-mb", defaultValue = "64",
      description = "MiB of Java heap for the read cache of records and index entries in "
          + "front of the database (sealed bytes and metadata only, never a plaintext); 0 "
          + "turns it off. Default: ${DEFAULT-VALUE}.")
  long readCacheMb;

  @Option(names = "--metrics-listen", defaultValue = ServerConfig.DEFAULT_METRICS_LISTEN,
      description = "HOST:PORT of the Prometheus endpoint (GET /metrics), or 'off'; port 0 "
          + "picks a free one. The metrics carry no secrets (counts labelled by tenant id, RPC "
          + "method and status only) but answer without authentication, so an address other "
          + "than loopback also needs --metrics-listen-public. Default: ${DEFAULT-VALUE}.")
  String metricsListen;

  @Option(names = "--metrics-listen-public",
      description = "Allow --metrics-listen on an address other than loopback (a Prometheus "
          + "on another host or pod); restrict who reaches the port (firewall, "
          + "NetworkPolicy).")
  boolean metricsListenPublic;

  @Option(names = "--metrics-statistics-seconds", defaultValue = "30",
      description = "How often the metrics of secrets, grants and requests are recomputed "
          + "(a bounded scan of the store). Default: ${DEFAULT-VALUE}.")
  long metricsStatisticsSeconds;

  @Option(names = "--assertion-audience", split = ",", paramLabel = "AUD",
      description = "An aud value client assertions are accepted for when a "
          + "VerifyClientAssertion request names none (your authorization server's issuer or "
          + "token endpoint URL); repeat or separate with ','.")
  List<String> assertionAudiences = new ArrayList<>();

  @Option(names = "--assertion-max-lifetime-seconds", defaultValue = "300",
      description = "Longest a client assertion may live (exp minus iat). Default: "
          + "${DEFAULT-VALUE}.")
  long assertionMaxLifetimeSeconds;

  @Option(names = "--assertion-clock-skew-seconds", defaultValue = "60",
      description = "Clock skew allowed on exp, nbf and iat of client assertions. Default: "
          + "${DEFAULT-VALUE}.")
  long assertionClockSkewSeconds;

  private final PrintStream out;
  private final PrintStream err;
  private final RootKeyProviders rootKeys;

  CofferServerMain(PrintStream out, PrintStream err) {
    this(out, err, RootKeyProviders.standard());
  }

  /** With {@code rootKeys} resolving {@code --root-key} (tests inject the environment). */
  CofferServerMain(PrintStream out, PrintStream err, RootKeyProviders rootKeys) {
    this.out = out;
    this.err = err;
    this.rootKeys = rootKeys;
  }

  public static void main(String[] args) {
    NettyLeakSampling.offUnlessSet();
    System.exit(run(args));
  }

  /**
   * {@code restore ...} runs the offline {@link RestoreCommand}; anything else starts the server.
   * Dispatched here rather than as a picocli subcommand so the server's own required options do
   * not apply to the restore.
   */
  static int run(String... args) {
    if (args.length > 0 && RestoreCommand.NAME.equals(args[0])) {
      return RestoreCommand.execute(System.out, System.err,
          java.util.Arrays.copyOfRange(args, 1, args.length));
    }
    CofferServerMain main = new CofferServerMain(System.out, System.err);
    return new CommandLine(main).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig config;
    RootKeyProvider root;
    AssertionRules assertionRules;
    try {
      config = config();
      assertionRules = assertionRules();
      DataDirectory.check(config.dataDir(), config.dev());
      root = rootKey(config);
    } catch (ConfigException | KeyringException e) {
      err.println("coffer-server: " + e.getMessage());
      return 2;
    }
    ServerTransport transport;
    CertificateIdentity clientCertificates;
    try {
      clientCertificates = clientCertificates();
      transport = transport();
    } catch (ConfigException | IllegalArgumentException e) {
      err.println("coffer-server: " + e.getMessage());
      return 2;
    }
    CofferMetrics metrics = config.metricsEnabled()
        ? CofferMetrics.create(config.metricsStatisticsPeriod()) : null;
    Vault vault;
    DataDirLock lock = null;
    try {
      DataDirectory.create(config.dbDir());
      lock = DataDirLock.acquire(config.dataDir());
      vault = Vault.open(config.dbDir(), root, Clock.systemUTC(), VaultSettings.defaults()
          .withVerifyFailuresPerMinute(config.verifyFailuresPerMinute())
          .withBackupDir(config.backupDir())
          .withReadCacheBytes(readCacheMb << 20),
          metrics == null ? VaultInstrumentation.none() : metrics.vault());
    } catch (ConfigException | KeyringException e) {
      err.println("coffer-server: " + e.getMessage());
      if (lock != null) {
        lock.close();
      }
      transport.close();
      return 2;
    }
    DataDirLock dataDirLock = lock;
    if (!config.dev()) {
      DataDirectory.restrictDatabase(config.dbDir());
    }
    CofferServer server = new CofferServer(
        NettyServerBuilder.forAddress(new InetSocketAddress(config.listenHost(),
            config.listenPort()), transport.credentials()), vault, Clock.systemUTC(),
        config.maxInboundMessageBytes(), metrics, clientCertificates, assertionRules);
    MetricsHttpServer metricsHttp = null;
    String failure = null;
    try {
      metricsHttp = serveMetrics(config, metrics, config.dev() && !metricsListenGiven());
      bootstrapTokenHandover(config).bootstrapIfEmpty(vault.bootstrap());
      server.start();
    } catch (ConfigException e) {
      failure = e.getMessage();
    } catch (IOException e) {
      failure = "cannot listen on " + config.listenHost() + ":" + config.listenPort() + " ("
          + e.getMessage() + "); pass another --listen HOST:PORT";
    }
    if (failure != null) {
      err.println("coffer-server: " + failure);
      if (metricsHttp != null) {
        metricsHttp.close();
      }
      vault.close();
      dataDirLock.close();
      transport.close();
      return 2;
    }
    MetricsHttpServer metricsEndpoint = metricsHttp;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.stop(config.shutdownGrace());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        if (metricsEndpoint != null) {
          metricsEndpoint.close();
        }
        vault.close();
        dataDirLock.close();
        transport.close();
      }
    }, "coffer-shutdown"));
    if (!transport.isTls()) {
      err.println("coffer-server: serving plaintext gRPC on loopback only; use --tls-cert and "
          + "--tls-key to serve other hosts");
    }
    if (metricsHttp != null) { // before "listening on", which says the server is ready
      out.println("metrics on http://" + config.metricsHost() + ":"
          + metricsHttp.address().getPort() + MetricsHttpServer.PATH);
    }
    out.println("listening on " + config.listenHost() + ":" + server.port());
    out.flush();
    server.awaitTermination();
    return 0;
  }

  /** Where the bootstrap token goes: the configured file, or stdout when asked for. */
  private BootstrapTokenHandover bootstrapTokenHandover(ServerConfig config) {
    return config.bootstrapTokenFile() == null ? BootstrapTokenHandover.toStdout(out)
        : BootstrapTokenHandover.toFile(config.bootstrapTokenFile(), out);
  }

  private RootKeyProvider rootKey(ServerConfig config) {
    if (config.dev()) {
      DevRootKeyFile key = DevRootKeyFile.loadOrCreate(config.devRootKeyFile());
      String banner = "!".repeat(78);
      err.println(banner);
      err.println("!! DEVELOPMENT MODE: the root key is a plain file next to the data:");
      err.println("!!   " + config.devRootKeyFile() + (key.created() ? " (created now)" : ""));
      err.println("!! Anyone who can read the data dir can decrypt every vaulted secret.");
      err.println("!! Never use --dev in production; configure --root-key instead.");
      err.println(banner);
      return key;
    }
    if (config.rootKeyUri() == null || config.rootKeyUri().isBlank()) {
      throw new ConfigException("no root key configured: pass --root-key URI (file:///path, "
          + "env://VARIABLE, fd://N, aws-kms://..., gcp-kms://...; or set COFFER_ROOT_KEY), "
          + "or --dev for a development key in the data dir");
    }
    Path credentials = kmsCredentials == null || kmsCredentials.toString().isBlank()
        ? null : kmsCredentials;
    RootKeyProvider root = rootKeys.withKmsCredentials(credentials).open(config.rootKeyUri());
    err.println("coffer-server: root key: " + root.description());
    return root;
  }

  private ServerConfig config() {
    HostPort at = HostPort.parse(listen).orElseThrow(() -> new ConfigException(
        "--listen must be HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:7443"));
    String host = at.host();
    int port = at.port();
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ConfigException("--tls-cert and --tls-key go together");
    }
    if (tlsCert == null && !isLoopback(host)) {
      throw new ConfigException("--listen " + host + " is not a loopback address: plaintext "
          + "gRPC is allowed on loopback only; give --tls-cert and --tls-key");
    }
    if (tlsReloadSeconds < 1) {
      throw new ConfigException("--tls-reload-seconds must be at least 1");
    }
    if (verifyFailuresPerMinute < 1) {
      throw new ConfigException("--verify-failures-per-minute must be at least 1");
    }
    if (bootstrapTokenFile != null && bootstrapTokenStdout) {
      throw new ConfigException("--bootstrap-token-file and --bootstrap-token-stdout exclude "
          + "each other: choose where the bootstrap token goes");
    }
    if (readCacheMb < 0 || readCacheMb > 65_536) {
      throw new ConfigException("--read-cache-mb must be from 0 to 65536");
    }
    if (metricsStatisticsSeconds < 1) {
      throw new ConfigException("--metrics-statistics-seconds must be at least 1");
    }
    HostPort metricsAt = metricsListen();
    if (metricsAt != null && !metricsListenPublic && !isLoopback(metricsAt.host())) {
      throw new ConfigException("--metrics-listen " + metricsAt.host() + " is not a loopback "
          + "address: /metrics answers without authentication, so serving it to other hosts "
          + "also needs --metrics-listen-public (or keep --metrics-listen "
          + ServerConfig.DEFAULT_METRICS_LISTEN + ")");
    }
    Path data = dataDir.toAbsolutePath().normalize();
    Path tokenFile = bootstrapTokenFile != null ? bootstrapTokenFile.toAbsolutePath().normalize()
        : dev || bootstrapTokenStdout ? null
        : data.resolve(BootstrapTokenHandover.DEFAULT_FILE_NAME);
    return new ServerConfig(data, host, port, dev,
        dev ? null : rootKey, tokenFile, verifyFailuresPerMinute,
        ServerConfig.DEFAULT_MAX_INBOUND_MESSAGE_BYTES, ServerConfig.DEFAULT_SHUTDOWN_GRACE,
        metricsAt == null ? null : metricsAt.host(),
        metricsAt == null ? 0 : metricsAt.port(),
        Duration.ofSeconds(metricsStatisticsSeconds),
        backupDir != null ? backupDir.toAbsolutePath().normalize()
            : dev ? dataDir.toAbsolutePath().normalize().resolve("backups") : null);
  }

  /** The {@code --assertion-*} flags, checked. */
  private AssertionRules assertionRules() {
    if (assertionMaxLifetimeSeconds < 1 || assertionMaxLifetimeSeconds > 86_400) {
      throw new ConfigException("--assertion-max-lifetime-seconds must be from 1 to 86400");
    }
    if (assertionClockSkewSeconds < 0 || assertionClockSkewSeconds > 600) {
      throw new ConfigException("--assertion-clock-skew-seconds must be from 0 to 600");
    }
    List<String> audiences = new ArrayList<>();
    for (String aud : assertionAudiences) {
      String a = aud.strip();
      if (a.isEmpty() || a.length() > 512) {
        throw new ConfigException("--assertion-audience values must be 1 to 512 characters");
      }
      audiences.add(a);
    }
    return new AssertionRules(audiences, Duration.ofSeconds(assertionMaxLifetimeSeconds),
        Duration.ofSeconds(assertionClockSkewSeconds));
  }

  /** {@code --metrics-listen} as an address, or null for "off". */
  private HostPort metricsListen() {
    if (metricsListen.trim().toLowerCase(Locale.ROOT).equals("off")) {
      return null;
    }
    return HostPort.parse(metricsListen).orElseThrow(() -> new ConfigException(
        "--metrics-listen must be HOST:PORT (port 0 to 65535), e.g. "
            + ServerConfig.DEFAULT_METRICS_LISTEN + ", or off"));
  }

  /** Whether {@code --metrics-listen} was given, rather than left at its default. */
  private boolean metricsListenGiven() {
    return spec != null && spec.commandLine().getParseResult() != null
        && spec.commandLine().getParseResult().hasMatchedOption("--metrics-listen");
  }

  /**
   * Starts the metrics endpoint (null when off); ConfigException when it cannot bind, except
   * that {@code orFreePort} (development mode with the default address) takes a free port
   * instead, so a second dev server or a busy 9464 never stops a first walk-through.
   */
  private MetricsHttpServer serveMetrics(ServerConfig config, CofferMetrics metrics,
      boolean orFreePort) {
    if (metrics == null) {
      return null;
    }
    String at = config.metricsHost() + ":" + config.metricsPort();
    try {
      return MetricsHttpServer.start(new InetSocketAddress(config.metricsHost(),
          config.metricsPort()), metrics::scrape);
    } catch (IOException | RuntimeException e) {
      if (!orFreePort) {
        throw new ConfigException("cannot serve metrics on " + at + " (" + e.getMessage()
            + "); pass another --metrics-listen HOST:PORT, or --metrics-listen off");
      }
    }
    out.println("metrics: " + at + " is in use; serving /metrics on a free port instead");
    try {
      return MetricsHttpServer.start(new InetSocketAddress(config.metricsHost(), 0),
          metrics::scrape);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("cannot serve metrics on " + config.metricsHost() + " ("
          + e.getMessage() + "); pass --metrics-listen HOST:PORT, or --metrics-listen off");
    }
  }

  private ServerTransport transport() {
    return tlsCert == null ? ServerTransport.plaintext()
        : ServerTransport.tls(tlsCert, tlsKey, tlsReloadSeconds, tlsClientCa);
  }

  /**
   * How client certificates map to principals (see {@link CertificateIdentity}), or null
   * without {@code --tls-client-ca}.
   */
  private CertificateIdentity clientCertificates() {
    if (tlsClientCa == null) {
      if (mtlsTrustDomain != null || mtlsDnsSuffix != null) {
        throw new ConfigException("--mtls-trust-domain and --mtls-dns-suffix need "
            + "--tls-client-ca");
      }
      return null;
    }
    if (tlsCert == null) {
      throw new ConfigException("--tls-client-ca needs TLS: give --tls-cert and --tls-key");
    }
    String mode = mtlsIdentity.trim().toLowerCase(Locale.ROOT);
    try {
      switch (mode) {
        case "spiffe":
          if (mtlsTrustDomain == null || mtlsTrustDomain.isBlank()) {
            throw new ConfigException("--mtls-identity spiffe needs --mtls-trust-domain NAME");
          }
          return CertificateIdentity.spiffe(mtlsTrustDomain.trim());
        case "dns":
          if (mtlsDnsSuffix == null || mtlsDnsSuffix.isBlank()) {
            throw new ConfigException("--mtls-identity dns needs --mtls-dns-suffix SUFFIX");
          }
          return CertificateIdentity.dns(mtlsDnsSuffix.trim());
        case "cn":
          return CertificateIdentity.commonName();
        default:
          throw new ConfigException("--mtls-identity must be spiffe, dns or cn");
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--mtls-trust-domain / --mtls-dns-suffix: " + e.getMessage());
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** A configuration error, reported on stderr with exit code 2. */
  static final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConfigException(String message) {
      super(message);
    }
  }
}
