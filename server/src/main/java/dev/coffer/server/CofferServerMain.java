package dev.coffer.server;

import dev.coffer.server.auth.CertificateIdentity;
import dev.coffer.server.cluster.ClusterTimeouts;
import dev.coffer.server.config.ClusterConfig;
import dev.coffer.server.config.ConfigException;
import dev.coffer.server.config.RaftTrustSeparation;
import dev.coffer.server.config.ServerConfig;
import dev.coffer.server.config.ServerConfigBuilder;
import dev.coffer.server.crypto.DevRootKeyFile;
import dev.coffer.server.crypto.KeyringException;
import dev.coffer.server.crypto.RootKeyProvider;
import dev.coffer.server.crypto.RootKeyProviders;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.metrics.CofferMetrics;
import dev.coffer.server.metrics.MetricsHttpServer;
import dev.coffer.server.metrics.VaultInstrumentation;
import dev.coffer.server.service.assertions.AssertionRules;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

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

  @Option(names = "--listen", defaultValue = ServerConfig.DEFAULT_LISTEN,
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

  @Option(names = "--tls-reload-seconds",
      defaultValue = "" + ServerConfig.DEFAULT_TLS_RELOAD_SECONDS,
      description = "How often the TLS files are re-read, so a renewed certificate is used "
          + "without a restart. Default: ${DEFAULT-VALUE}.")
  long tlsReloadSeconds;

  @Option(names = "--tls-client-ca", description = "PEM CA bundle for client certificates "
      + "(mutual TLS; needs --tls-cert). Clients may then present a certificate signed by it "
      + "instead of, or together with, a bearer token; certificates stay optional.")
  Path tlsClientCa;

  @Option(names = "--mtls-identity", defaultValue = ServerConfig.DEFAULT_MTLS_IDENTITY,
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

  @Option(names = "--verify-failures-per-minute",
      defaultValue = "" + ServerConfig.DEFAULT_VERIFY_FAILURES_PER_MINUTE,
      description = "Failed verifications allowed per client per minute. Default: ${DEFAULT-VALUE}.")
  long verifyFailuresPerMinute;

  @Option(names = "--read-cache-mb", defaultValue = "" + ServerConfig.DEFAULT_READ_CACHE_MB,
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

  @Option(names = "--metrics-statistics-seconds",
      defaultValue = "" + ServerConfig.DEFAULT_METRICS_STATISTICS_SECONDS,
      description = "How often the metrics of secrets, grants and requests are recomputed "
          + "(a bounded scan of the store). Default: ${DEFAULT-VALUE}.")
  long metricsStatisticsSeconds;

  @Option(names = "--assertion-audience", split = ",", paramLabel = "AUD",
      description = "An aud value client assertions are accepted for when a "
          + "VerifyClientAssertion request names none (your authorization server's issuer or "
          + "token endpoint URL); repeat or separate with ','.")
  List<String> assertionAudiences = new ArrayList<>();

  @Option(names = "--assertion-max-lifetime-seconds",
      defaultValue = "" + ServerConfig.DEFAULT_ASSERTION_MAX_LIFETIME_SECONDS,
      description = "Longest a client assertion may live (exp minus iat). Default: "
          + "${DEFAULT-VALUE}.")
  long assertionMaxLifetimeSeconds;

  @Option(names = "--assertion-clock-skew-seconds",
      defaultValue = "" + ServerConfig.DEFAULT_ASSERTION_CLOCK_SKEW_SECONDS,
      description = "Clock skew allowed on exp, nbf and iat of client assertions. Default: "
          + "${DEFAULT-VALUE}.")
  long assertionClockSkewSeconds;

  @Option(names = "--issuer-fetch-hosts", paramLabel = "HOST[,HOST...]",
      description = "The hosts the server may fetch trusted issuers' discovery documents and "
          + "JWK Sets from: exact host names or IP addresses, or *.SUFFIX for any name below "
          + "SUFFIX (never a bare *). Default: none, so only issuers with inline keys "
          + "(jwks_json) can be created; with --dev: any https host and http on loopback.")
  String issuerFetchHosts;

  @Option(names = "--cluster-node-id", paramLabel = "ID",
      description = "Run as a node of a replicated cluster under this id (with --cluster-address "
          + "and --cluster-peers).")
  String clusterNodeId;

  @Option(names = "--cluster-address", paramLabel = "HOST:PORT",
      description = "The Raft port this node listens on and its peers dial.")
  String clusterAddress;

  @Option(names = "--cluster-peers", paramLabel = "ID=HOST:PORT,...",
      description = "Every voter of the cluster, this node included.")
  String clusterPeers;

  @Option(names = "--cluster-init",
      description = "This node creates the cluster's keys when the group is empty (one node, "
          + "the first time).")
  boolean clusterInit;

  @Option(names = "--cluster-seed",
      description = "With --cluster-init and this node alone in --cluster-peers: start a new "
          + "cluster over the vault already in the data dir (a restored backup, or the survivor "
          + "of a lost majority); first start only, on an empty --cluster-dir.")
  boolean clusterSeed;

  @Option(names = "--cluster-join",
      description = "This node joins a running cluster: it waits, without campaigning or "
          + "voting, until a member adds it (coffer cluster add).")
  boolean clusterJoin;

  @Option(names = "--cluster-dir", paramLabel = "DIR",
      description = "The Raft log and snapshots. Default: DATA_DIR/raft.")
  Path clusterDir;

  @Option(names = "--cluster-tls-cert", description = "PEM certificate of this node's Raft port.")
  Path clusterTlsCert;

  @Option(names = "--cluster-tls-key", description = "PEM private key (PKCS#8) of "
      + "--cluster-tls-cert.")
  Path clusterTlsKey;

  @Option(names = "--cluster-tls-ca", description = "PEM CA the peers' Raft certificates must "
      + "chain to (mutual TLS; required outside --dev).")
  Path clusterTlsCa;

  @Option(names = "--cluster-election-timeout-ms", paramLabel = "MILLIS",
      defaultValue = "" + ClusterConfig.DEFAULT_ELECTION_TIMEOUT_MILLIS,
      description = "A follower that hears no leader for a random time between MILLIS and "
          + "twice it starts an election; the same on every node (default: ${DEFAULT-VALUE}).")
  long clusterElectionTimeoutMillis;

  @Option(names = "--cluster-max-clock-behind-ms", paramLabel = "MILLIS",
      defaultValue = "" + ClusterConfig.DEFAULT_MAX_CLOCK_BEHIND_MILLIS,
      description = "A node whose clock reads more than MILLIS behind most of its peers' stops "
          + "serving until it is right, as expiry is decided by the serving node's clock "
          + "(100 to 60000; default: ${DEFAULT-VALUE}).")
  long clusterMaxClockBehindMillis;

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
    CommonPoolParallelism.atLeastTwoUnlessSet();
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
          Arrays.copyOfRange(args, 1, args.length));
    }
    CofferServerMain main = new CofferServerMain(System.out, System.err);
    return new CommandLine(main).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig config;
    RootKeyProvider root;
    try {
      config = config();
      RaftTrustSeparation.check(config);
      DataDirectory.check(config.storage().dataDir(), config.dev());
      root = rootKey(config.rootKey());
    } catch (ConfigException | KeyringException e) {
      return refuse(e.getMessage());
    }
    ServerTransport transport;
    CertificateIdentity clientCertificates;
    try {
      clientCertificates = clientCertificates(config);
      transport = transport(config);
    } catch (ConfigException | IllegalArgumentException e) {
      return refuse(e.getMessage());
    }
    CofferMetrics metrics = config.metrics().isPresent()
        ? CofferMetrics.create(config.periods().statistics()) : null;
    Vault vault;
    DataDirLock lock = null;
    try {
      DataDirectory.create(config.storage().dbDir());
      lock = DataDirLock.acquire(config.storage().dataDir());
      VaultSettings settings = VaultSettings.defaults()
          .withVerifyFailuresPerMinute(config.verifyFailuresPerMinute())
          .withBackupDir(config.backupDir().orElse(null))
          .withReadCacheBytes(config.storage().readCacheBytes())
          .withIssuerFetchHosts(config.issuerFetchHosts());
      VaultInstrumentation instrumentation =
          metrics == null ? VaultInstrumentation.none() : metrics.vault();
      vault = config.cluster().isPresent()
          ? Vault.openClustered(config.storage().dbDir(), config.cluster().get(),
              ClusterTimeouts.DEFAULTS.withElectionTimeout(
                  config.cluster().get().electionTimeoutMillis()),
              root, Clock.systemUTC(), settings, instrumentation)
          : Vault.open(config.storage().dbDir(), root, Clock.systemUTC(), settings,
              instrumentation);
    } catch (ConfigException | KeyringException | CofferException e) {
      if (lock != null) {
        lock.close();
      }
      return refuse(e.getMessage());
    }
    DataDirLock dataDirLock = lock;
    if (!config.dev()) {
      DataDirectory.restrictDatabase(config.storage().dbDir());
    }
    err.println("coffer-server: trusted issuers' keys are fetched from "
        + config.issuerFetchHosts().describe());
    CofferServer server = server(config, vault, transport, metrics, clientCertificates);
    MetricsHttpServer metricsHttp = null;
    String failure = null;
    try {
      metricsHttp = serveMetrics(config, metrics);
      if (config.cluster().map(ClusterConfig::init).orElse(true)) {
        bootstrapTokenHandover(config).bootstrapIfEmpty(vault.directory().bootstrap());
      }
      server.start();
    } catch (ConfigException e) {
      failure = e.getMessage();
    } catch (IOException e) {
      failure = "cannot listen on " + config.listen().host() + ":" + config.listen().port()
          + " (" + e.getMessage() + "); pass another --listen HOST:PORT";
    }
    if (failure != null) {
      if (metricsHttp != null) {
        metricsHttp.close();
      }
      vault.close();
      dataDirLock.close();
      return refuse(failure);
    }
    MetricsHttpServer metricsEndpoint = metricsHttp;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.stop(config.listen().shutdownGrace());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        if (metricsEndpoint != null) {
          metricsEndpoint.close();
        }
        vault.close();
        dataDirLock.close();
      }
    }, "coffer-shutdown"));
    if (!transport.isTls()) {
      err.println("coffer-server: serving plaintext gRPC on loopback only; use --tls-cert and "
          + "--tls-key to serve other hosts");
    }
    if (metricsHttp != null) { // before "listening on", which says the server is ready
      out.println("metrics on http://" + config.metrics().orElseThrow().host() + ":"
          + metricsHttp.address().getPort() + MetricsHttpServer.PATH);
    }
    config.cluster().ifPresent(c -> out.println("cluster node " + c.nodeId() + ": Raft on "
        + c.address().host() + ":" + c.address().port() + ", " + c.peers().size() + " voters, "
        + "election timeout " + c.electionTimeoutMillis() + "-" + 2 * c.electionTimeoutMillis()
        + " ms, clock at most " + c.maxClockBehindMillis() + " ms behind its peers'"));
    out.println("listening on " + config.listen().host() + ":" + server.port());
    out.flush();
    server.awaitTermination();
    return 0;
  }

  /** The one place a refused start is reported: stderr, exit code 2. */
  private int refuse(String message) {
    err.println("coffer-server: " + message);
    return 2;
  }

  /** The flags, mapped onto the configuration (which checks them). */
  private ServerConfig config() {
    ServerConfigBuilder b = ServerConfig.builder(dataDir)
        .listen(listen)
        .dev(dev)
        .rootKeyUri(rootKey)
        .kmsCredentials(kmsCredentials)
        .bootstrapTokenFile(bootstrapTokenFile)
        .bootstrapTokenStdout(bootstrapTokenStdout)
        .tls(tlsCert, tlsKey)
        .tlsReloadSeconds(tlsReloadSeconds)
        .tlsClientCa(tlsClientCa)
        .mtlsIdentity(mtlsIdentity)
        .mtlsTrustDomain(mtlsTrustDomain)
        .mtlsDnsSuffix(mtlsDnsSuffix)
        .backupDir(backupDir)
        .verifyFailuresPerMinute(verifyFailuresPerMinute)
        .readCacheMb(readCacheMb)
        .metricsListenPublic(metricsListenPublic)
        .metricsStatisticsSeconds(metricsStatisticsSeconds)
        .assertionAudiences(assertionAudiences)
        .assertionMaxLifetimeSeconds(assertionMaxLifetimeSeconds)
        .assertionClockSkewSeconds(assertionClockSkewSeconds)
        .cluster(clusterNodeId, clusterAddress, clusterPeers)
        .clusterInit(clusterInit)
        .clusterSeed(clusterSeed)
        .clusterJoin(clusterJoin)
        .clusterDir(clusterDir)
        .clusterTls(clusterTlsCert, clusterTlsKey, clusterTlsCa)
        .clusterElectionTimeoutMillis(clusterElectionTimeoutMillis)
        .clusterMaxClockBehindMillis(clusterMaxClockBehindMillis)
        .issuerFetchHosts(issuerFetchHosts);
    if (metricsListenGiven()) {
      b.metricsListen(metricsListen);
    }
    return b.build();
  }

  private CofferServer server(ServerConfig config, Vault vault, ServerTransport transport,
      CofferMetrics metrics, CertificateIdentity clientCertificates) {
    ServerConfig.Assertions assertions = config.assertions();
    CofferServer.Builder b = CofferServer.builder(vault)
        .transport(NettyServerBuilder.forAddress(new InetSocketAddress(config.listen().host(),
            config.listen().port()), transport.credentials()))
        .clock(Clock.systemUTC())
        .maxInboundBytes(config.listen().maxInboundMessageBytes())
        .assertionRules(new AssertionRules(assertions.audiences(), assertions.maxLifetime(),
            assertions.clockSkew()));
    if (metrics != null) {
      b.metrics(metrics);
    }
    if (clientCertificates != null) {
      b.clientCertificates(clientCertificates);
    }
    transport.reloadJob().ifPresent(b::addBackgroundJob);
    return b.build();
  }

  /** Where the bootstrap token goes: the configured file, or stdout when asked for. */
  private BootstrapTokenHandover bootstrapTokenHandover(ServerConfig config) {
    return config.bootstrapTokenFile()
        .map(file -> BootstrapTokenHandover.toFile(file, out))
        .orElseGet(() -> BootstrapTokenHandover.toStdout(out));
  }

  private RootKeyProvider rootKey(ServerConfig.RootKey config) {
    if (config.dev()) {
      DevRootKeyFile key = DevRootKeyFile.loadOrCreate(config.devKeyFile());
      String banner = "!".repeat(78);
      err.println(banner);
      err.println("!! DEVELOPMENT MODE: the root key is a plain file next to the data:");
      err.println("!!   " + config.devKeyFile() + (key.created() ? " (created now)" : ""));
      err.println("!! Anyone who can read the data dir can decrypt every vaulted secret.");
      err.println("!! Never use --dev in production; configure --root-key instead.");
      err.println(banner);
      return key;
    }
    RootKeyProvider root = rootKeys.withKmsCredentials(config.kmsCredentials().orElse(null))
        .open(config.uri().orElseThrow());
    err.println("coffer-server: root key: " + root.description());
    return root;
  }

  /** Whether {@code --metrics-listen} was given, rather than left at its default. */
  private boolean metricsListenGiven() {
    return spec != null && spec.commandLine().getParseResult() != null
        && spec.commandLine().getParseResult().hasMatchedOption("--metrics-listen");
  }

  /**
   * Starts the metrics endpoint (null when off); ConfigException when it cannot bind, except
   * that {@link ServerConfig.Metrics#orFreePort} (development mode with the default address)
   * takes a free port instead, so a second dev server or a busy 9464 never stops a first
   * walk-through.
   */
  private MetricsHttpServer serveMetrics(ServerConfig config, CofferMetrics metrics) {
    if (metrics == null) {
      return null;
    }
    ServerConfig.Metrics endpoint = config.metrics().orElseThrow();
    String at = endpoint.host() + ":" + endpoint.port();
    try {
      return MetricsHttpServer.start(new InetSocketAddress(endpoint.host(), endpoint.port()),
          metrics::scrape);
    } catch (IOException | RuntimeException e) {
      if (!endpoint.orFreePort()) {
        throw new ConfigException("cannot serve metrics on " + at + " (" + e.getMessage()
            + "); pass another --metrics-listen HOST:PORT, or --metrics-listen off");
      }
    }
    out.println("metrics: " + at + " is in use; serving /metrics on a free port instead");
    try {
      return MetricsHttpServer.start(new InetSocketAddress(endpoint.host(), 0),
          metrics::scrape);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("cannot serve metrics on " + endpoint.host() + " ("
          + e.getMessage() + "); pass --metrics-listen HOST:PORT, or --metrics-listen off");
    }
  }

  private static ServerTransport transport(ServerConfig config) {
    return config.tls().map(tls -> ServerTransport.tls(tls.certFile(), tls.keyFile(),
            config.periods().tlsReload().toSeconds(),
            tls.clientCertificates().map(ServerConfig.ClientCertificates::caFile).orElse(null)))
        .orElseGet(ServerTransport::plaintext);
  }

  /**
   * How client certificates map to principals (see {@link CertificateIdentity}), or null
   * without {@code --tls-client-ca}.
   */
  private static CertificateIdentity clientCertificates(ServerConfig config) {
    ServerConfig.ClientCertificates mtls = config.tls()
        .flatMap(ServerConfig.Tls::clientCertificates).orElse(null);
    if (mtls == null) {
      return null;
    }
    try {
      switch (mtls.mode()) {
        case SPIFFE:
          return CertificateIdentity.spiffe(mtls.trustDomain().orElseThrow());
        case DNS:
          return CertificateIdentity.dns(mtls.dnsSuffix().orElseThrow());
        default:
          return CertificateIdentity.commonName();
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--mtls-trust-domain / --mtls-dns-suffix: " + e.getMessage());
    }
  }
}
