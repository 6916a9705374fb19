package dev.coffer.server.config;

import dev.coffer.server.config.ServerConfig.Assertions;
import dev.coffer.server.config.ServerConfig.ClientCertificates;
import dev.coffer.server.config.ServerConfig.IdentityMode;
import dev.coffer.server.config.ServerConfig.Listen;
import dev.coffer.server.config.ServerConfig.Metrics;
import dev.coffer.server.config.ServerConfig.Periods;
import dev.coffer.server.config.ServerConfig.RootKey;
import dev.coffer.server.config.ServerConfig.Storage;
import dev.coffer.server.config.ServerConfig.Tls;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a {@link ServerConfig} from the values an operator gives, as the server's flags
 * name them. Every part not set keeps the default {@link ServerConfig} declares; a
 * {@code null} Path or String means "not given" (as an absent flag). {@link #build} checks
 * everything at once and throws a {@link ConfigException} whose message names the flag, so
 * the rules are tested without a command line. Opens no file and no socket, except that
 * a host name is resolved to decide whether it is a loopback address.
 *
 * <p>Security: never reads the root key or a TLS key; messages name flags and files only.
 */
public final class ServerConfigBuilder {

  private final Path dataDir;
  private String listen = ServerConfig.DEFAULT_LISTEN;
  private boolean dev;
  private String rootKeyUri;
  private Path kmsCredentials;
  private Path bootstrapTokenFile;
  private boolean bootstrapTokenStdout;
  private Path tlsCert;
  private Path tlsKey;
  private long tlsReloadSeconds = ServerConfig.DEFAULT_TLS_RELOAD_SECONDS;
  private Path tlsClientCa;
  private String mtlsIdentity = ServerConfig.DEFAULT_MTLS_IDENTITY;
  private String mtlsTrustDomain;
  private String mtlsDnsSuffix;
  private Path backupDir;
  private long verifyFailuresPerMinute = ServerConfig.DEFAULT_VERIFY_FAILURES_PER_MINUTE;
  private long readCacheMb = ServerConfig.DEFAULT_READ_CACHE_MB;
  private String metricsListen; // null: the default address, not given
  private boolean metricsListenPublic;
  private long metricsStatisticsSeconds = ServerConfig.DEFAULT_METRICS_STATISTICS_SECONDS;
  private List<String> assertionAudiences = List.of();
  private String clusterNodeId;
  private String clusterAddress;
  private String clusterPeers;
  private boolean clusterInit;
  private boolean clusterSeed;
  private boolean clusterJoin;
  private Path clusterDir;
  private Path clusterTlsCert;
  private Path clusterTlsKey;
  private Path clusterTlsCa;
  private long clusterElectionTimeoutMillis = ClusterConfig.DEFAULT_ELECTION_TIMEOUT_MILLIS;
  private long clusterMaxClockBehindMillis = ClusterConfig.DEFAULT_MAX_CLOCK_BEHIND_MILLIS;
  private long assertionMaxLifetimeSeconds = ServerConfig.DEFAULT_ASSERTION_MAX_LIFETIME_SECONDS;
  private long assertionClockSkewSeconds = ServerConfig.DEFAULT_ASSERTION_CLOCK_SKEW_SECONDS;
  private String issuerFetchHosts;

  ServerConfigBuilder(Path dataDir) {
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
  }

  /** {@code --listen HOST:PORT}; default {@value ServerConfig#DEFAULT_LISTEN}. */
  public ServerConfigBuilder listen(String hostPort) {
    this.listen = Objects.requireNonNull(hostPort, "hostPort");
    return this;
  }

  /** {@code --dev}: a development root key file in the data dir; default off. */
  public ServerConfigBuilder dev(boolean dev) {
    this.dev = dev;
    return this;
  }

  /** {@code --root-key URI}; required without {@link #dev}, ignored with it. */
  public ServerConfigBuilder rootKeyUri(String uri) {
    this.rootKeyUri = uri;
    return this;
  }

  /** {@code --kms-credentials FILE} for a cloud KMS root key; blank means not given. */
  public ServerConfigBuilder kmsCredentials(Path file) {
    this.kmsCredentials = file;
    return this;
  }

  /** {@code --bootstrap-token-file}; default DATA_DIR/bootstrap-token, stdout with dev. */
  public ServerConfigBuilder bootstrapTokenFile(Path file) {
    this.bootstrapTokenFile = file;
    return this;
  }

  /** {@code --bootstrap-token-stdout}; default off (on with dev). */
  public ServerConfigBuilder bootstrapTokenStdout(boolean stdout) {
    this.bootstrapTokenStdout = stdout;
    return this;
  }

  /** {@code --tls-cert} and {@code --tls-key}: both or neither; default neither. */
  public ServerConfigBuilder tls(Path certFile, Path keyFile) {
    this.tlsCert = certFile;
    this.tlsKey = keyFile;
    return this;
  }

  /** {@code --tls-reload-seconds}; default {@value ServerConfig#DEFAULT_TLS_RELOAD_SECONDS}. */
  public ServerConfigBuilder tlsReloadSeconds(long seconds) {
    this.tlsReloadSeconds = seconds;
    return this;
  }

  /** {@code --tls-client-ca FILE}: mutual TLS; default none. */
  public ServerConfigBuilder tlsClientCa(Path caFile) {
    this.tlsClientCa = caFile;
    return this;
  }

  /** {@code --mtls-identity spiffe|dns|cn}; default {@value ServerConfig#DEFAULT_MTLS_IDENTITY}. */
  public ServerConfigBuilder mtlsIdentity(String mode) {
    this.mtlsIdentity = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /** {@code --mtls-trust-domain}; required with the spiffe identity. */
  public ServerConfigBuilder mtlsTrustDomain(String trustDomain) {
    this.mtlsTrustDomain = trustDomain;
    return this;
  }

  /** {@code --mtls-dns-suffix}; required with the dns identity. */
  public ServerConfigBuilder mtlsDnsSuffix(String suffix) {
    this.mtlsDnsSuffix = suffix;
    return this;
  }

  /** {@code --backup-dir}; default DATA_DIR/backups with dev, otherwise backups refused. */
  public ServerConfigBuilder backupDir(Path dir) {
    this.backupDir = dir;
    return this;
  }

  /** {@code --verify-failures-per-minute}; default 10. */
  public ServerConfigBuilder verifyFailuresPerMinute(long perMinute) {
    this.verifyFailuresPerMinute = perMinute;
    return this;
  }

  /** {@code --read-cache-mb}, 0 to 65536; default {@value ServerConfig#DEFAULT_READ_CACHE_MB}. */
  public ServerConfigBuilder readCacheMb(long mebibytes) {
    this.readCacheMb = mebibytes;
    return this;
  }

  /**
   * {@code --metrics-listen HOST:PORT} or {@code off}, when given; default
   * {@value ServerConfig#DEFAULT_METRICS_LISTEN}, where development mode falls back to a
   * free port when it is busy.
   */
  public ServerConfigBuilder metricsListen(String hostPortOrOff) {
    this.metricsListen = Objects.requireNonNull(hostPortOrOff, "hostPortOrOff");
    return this;
  }

  /** {@code --metrics-listen-public}; default off (loopback only). */
  public ServerConfigBuilder metricsListenPublic(boolean allowed) {
    this.metricsListenPublic = allowed;
    return this;
  }

  /** {@code --metrics-statistics-seconds}; default 30. */
  public ServerConfigBuilder metricsStatisticsSeconds(long seconds) {
    this.metricsStatisticsSeconds = seconds;
    return this;
  }

  /** {@code --assertion-audience}, repeatable; default none. */
  public ServerConfigBuilder assertionAudiences(List<String> audiences) {
    this.assertionAudiences = List.copyOf(audiences);
    return this;
  }

  /** {@code --assertion-max-lifetime-seconds}, 1 to 86400; default 300. */
  public ServerConfigBuilder assertionMaxLifetimeSeconds(long seconds) {
    this.assertionMaxLifetimeSeconds = seconds;
    return this;
  }

  /** {@code --assertion-clock-skew-seconds}, 0 to 600; default 60. */
  public ServerConfigBuilder assertionClockSkewSeconds(long seconds) {
    this.assertionClockSkewSeconds = seconds;
    return this;
  }

  /**
   * {@code --issuer-fetch-hosts HOST[,HOST...]}: the hosts trusted issuers' documents may be
   * fetched from; default none ({@code --dev}: any https host and http on loopback).
   */
  public ServerConfigBuilder issuerFetchHosts(String hosts) {
    this.issuerFetchHosts = hosts;
    return this;
  }

  /**
   * The checked configuration.
   *
   * @throws ConfigException naming the first flag that is wrong, in the order the server
   *     has always checked them
   */
  /**
   * {@code --cluster-node-id}, {@code --cluster-address}, {@code --cluster-peers}: this
   * server is a node of a replicated cluster (all three, or none: a single node).
   */
  public ServerConfigBuilder cluster(String nodeId, String address, String peers) {
    this.clusterNodeId = nodeId;
    this.clusterAddress = address;
    this.clusterPeers = peers;
    return this;
  }

  /** {@code --cluster-init}: this node creates the cluster's keys on an empty group. */
  public ServerConfigBuilder clusterInit(boolean init) {
    this.clusterInit = init;
    return this;
  }

  /**
   * {@code --cluster-seed}: with {@code --cluster-init}, start a new group of one over the
   * vault already in the data dir (a restored backup, a survivor of a lost majority).
   */
  public ServerConfigBuilder clusterSeed(boolean seed) {
    this.clusterSeed = seed;
    return this;
  }

  /** {@code --cluster-join}: wait, without campaigning or voting, until a member adds it. */
  public ServerConfigBuilder clusterJoin(boolean join) {
    this.clusterJoin = join;
    return this;
  }

  /** {@code --cluster-dir}: the Raft log and snapshots; default DATA_DIR/raft. */
  public ServerConfigBuilder clusterDir(Path dir) {
    this.clusterDir = dir;
    return this;
  }

  /** {@code --cluster-tls-cert}, {@code --cluster-tls-key}, {@code --cluster-tls-ca}. */
  public ServerConfigBuilder clusterTls(Path cert, Path key, Path ca) {
    this.clusterTlsCert = cert;
    this.clusterTlsKey = key;
    this.clusterTlsCa = ca;
    return this;
  }

  /**
   * {@code --cluster-election-timeout-ms}, 100 to 60000; default
   * {@value ClusterConfig#DEFAULT_ELECTION_TIMEOUT_MILLIS}.
   */
  public ServerConfigBuilder clusterElectionTimeoutMillis(long millis) {
    this.clusterElectionTimeoutMillis = millis;
    return this;
  }

  /**
   * {@code --cluster-max-clock-behind-ms}, 100 to 60000; default
   * {@value ClusterConfig#DEFAULT_MAX_CLOCK_BEHIND_MILLIS}.
   */
  public ServerConfigBuilder clusterMaxClockBehindMillis(long millis) {
    this.clusterMaxClockBehindMillis = millis;
    return this;
  }

  private Optional<ClusterConfig> clusterConfig(Path data) {
    boolean any = clusterNodeId != null || clusterAddress != null || clusterPeers != null
        || clusterInit || clusterSeed || clusterJoin || clusterDir != null
        || clusterTlsCert != null || clusterTlsKey != null || clusterTlsCa != null
        || clusterElectionTimeoutMillis != ClusterConfig.DEFAULT_ELECTION_TIMEOUT_MILLIS
        || clusterMaxClockBehindMillis != ClusterConfig.DEFAULT_MAX_CLOCK_BEHIND_MILLIS;
    if (!any) {
      return Optional.empty();
    }
    if (clusterNodeId == null || clusterAddress == null || clusterPeers == null) {
      throw new ConfigException("a cluster node needs --cluster-node-id, --cluster-address and "
          + "--cluster-peers");
    }
    return Optional.of(ClusterConfig.parse(clusterNodeId, clusterAddress, clusterPeers,
        clusterInit, clusterSeed, clusterJoin, clusterDir, clusterTlsCert, clusterTlsKey,
        clusterTlsCa, dev, data, clusterElectionTimeoutMillis, clusterMaxClockBehindMillis));
  }

  public ServerConfig build() {
    HostPort at = HostPort.parse(listen).orElseThrow(() -> new ConfigException(
        "--listen must be HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:7443"));
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ConfigException("--tls-cert and --tls-key go together");
    }
    if (tlsCert == null && !isLoopback(at.host())) {
      throw new ConfigException("--listen " + at.host() + " is not a loopback address: "
          + "plaintext gRPC is allowed on loopback only; give --tls-cert and --tls-key");
    }
    atLeastOne(tlsReloadSeconds, "--tls-reload-seconds");
    atLeastOne(verifyFailuresPerMinute, "--verify-failures-per-minute");
    if (bootstrapTokenFile != null && bootstrapTokenStdout) {
      throw new ConfigException("--bootstrap-token-file and --bootstrap-token-stdout exclude "
          + "each other: choose where the bootstrap token goes");
    }
    if (readCacheMb < 0 || readCacheMb > 65_536) {
      throw new ConfigException("--read-cache-mb must be from 0 to 65536");
    }
    atLeastOne(metricsStatisticsSeconds, "--metrics-statistics-seconds");
    Optional<Metrics> metrics = metrics();
    Assertions assertions = assertions();
    RootKey rootKey = rootKey();
    Optional<Tls> tls = tlsCert == null ? Optional.empty()
        : Optional.of(new Tls(tlsCert, tlsKey, clientCertificates()));
    if (tlsCert == null) {
      clientCertificates(); // refuses mTLS flags without TLS
    }
    Path data = dataDir.toAbsolutePath().normalize();
    Path tokenFile = bootstrapTokenFile != null ? bootstrapTokenFile.toAbsolutePath().normalize()
        : dev || bootstrapTokenStdout ? null
        : data.resolve(ServerConfig.DEFAULT_BOOTSTRAP_TOKEN_FILE_NAME);
    Path backups = backupDir != null ? backupDir.toAbsolutePath().normalize()
        : dev ? data.resolve("backups") : null;
    return new ServerConfig(
        new Listen(at.host(), at.port(), ServerConfig.DEFAULT_MAX_INBOUND_MESSAGE_BYTES,
            ServerConfig.DEFAULT_SHUTDOWN_GRACE),
        tls, rootKey, metrics, new Storage(data, readCacheMb << 20), assertions,
        Optional.ofNullable(backups), Optional.ofNullable(tokenFile), verifyFailuresPerMinute,
        new Periods(Duration.ofSeconds(tlsReloadSeconds),
            Duration.ofSeconds(metricsStatisticsSeconds)), clusterConfig(data),
        issuerFetchHosts != null ? IssuerFetchHosts.parse(issuerFetchHosts)
            : dev ? IssuerFetchHosts.anyHost() : IssuerFetchHosts.none());
  }

  private Optional<Metrics> metrics() {
    String given = metricsListen == null ? ServerConfig.DEFAULT_METRICS_LISTEN : metricsListen;
    if (given.trim().toLowerCase(Locale.ROOT).equals("off")) {
      return Optional.empty();
    }
    HostPort at = HostPort.parse(given).orElseThrow(() -> new ConfigException(
        "--metrics-listen must be HOST:PORT (port 0 to 65535), e.g. "
            + ServerConfig.DEFAULT_METRICS_LISTEN + ", or off"));
    if (!metricsListenPublic && !isLoopback(at.host())) {
      throw new ConfigException("--metrics-listen " + at.host() + " is not a loopback "
          + "address: /metrics answers without authentication, so serving it to other hosts "
          + "also needs --metrics-listen-public (or keep --metrics-listen "
          + ServerConfig.DEFAULT_METRICS_LISTEN + ")");
    }
    return Optional.of(new Metrics(at.host(), at.port(), dev && metricsListen == null));
  }

  private Assertions assertions() {
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
    return new Assertions(audiences, Duration.ofSeconds(assertionMaxLifetimeSeconds),
        Duration.ofSeconds(assertionClockSkewSeconds));
  }

  private RootKey rootKey() {
    Path devKeyFile = dataDir.toAbsolutePath().normalize().resolve("dev-root-key.json");
    if (dev) {
      return new RootKey(true, Optional.empty(), Optional.empty(), devKeyFile);
    }
    if (rootKeyUri == null || rootKeyUri.isBlank()) {
      throw new ConfigException("no root key configured: pass --root-key URI (file:///path, "
          + "env://VARIABLE, fd://N, aws-kms://..., gcp-kms://...; or set COFFER_ROOT_KEY), "
          + "or --dev for a development key in the data dir");
    }
    Path credentials = kmsCredentials == null || kmsCredentials.toString().isBlank()
        ? null : kmsCredentials;
    return new RootKey(false, Optional.of(rootKeyUri), Optional.ofNullable(credentials),
        devKeyFile);
  }

  /** Mutual TLS, if configured; refuses its flags without a CA or without TLS. */
  private Optional<ClientCertificates> clientCertificates() {
    if (tlsClientCa == null) {
      if (mtlsTrustDomain != null || mtlsDnsSuffix != null) {
        throw new ConfigException("--mtls-trust-domain and --mtls-dns-suffix need "
            + "--tls-client-ca");
      }
      return Optional.empty();
    }
    if (tlsCert == null) {
      throw new ConfigException("--tls-client-ca needs TLS: give --tls-cert and --tls-key");
    }
    switch (mtlsIdentity.trim().toLowerCase(Locale.ROOT)) {
      case "spiffe":
        if (mtlsTrustDomain == null || mtlsTrustDomain.isBlank()) {
          throw new ConfigException("--mtls-identity spiffe needs --mtls-trust-domain NAME");
        }
        return Optional.of(new ClientCertificates(tlsClientCa, IdentityMode.SPIFFE,
            Optional.of(mtlsTrustDomain.trim()), Optional.empty()));
      case "dns":
        if (mtlsDnsSuffix == null || mtlsDnsSuffix.isBlank()) {
          throw new ConfigException("--mtls-identity dns needs --mtls-dns-suffix SUFFIX");
        }
        return Optional.of(new ClientCertificates(tlsClientCa, IdentityMode.DNS,
            Optional.empty(), Optional.of(mtlsDnsSuffix.trim())));
      case "cn":
        return Optional.of(new ClientCertificates(tlsClientCa, IdentityMode.CN,
            Optional.empty(), Optional.empty()));
      default:
        throw new ConfigException("--mtls-identity must be spiffe, dns or cn");
    }
  }

  private static void atLeastOne(long value, String flag) {
    if (value < 1) {
      throw new ConfigException(flag + " must be at least 1");
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
