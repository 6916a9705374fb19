package dev.coffer.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The server's configuration, immutable and already validated, nested by concern: where it
 * listens, TLS and mutual TLS, the root key, metrics, storage and its read cache, client
 * assertion rules, the backup directory, the bootstrap token's destination and the periods
 * of the configurable background jobs, for a node of a replicated cluster, its
 * {@link ClusterConfig}, and the hosts trusted issuers' keys may be fetched from
 * ({@link IssuerFetchHosts}: none by default, any with --dev). Built only by {@link ServerConfigBuilder}
 * ({@link #builder}), which holds every default once and refuses a bad combination with a
 * {@link ConfigException} naming the flag; {@code CofferServerMain} only maps its flags onto
 * that builder.
 *
 * <p>Security: holds no key material. The root key is named by a URI or by development mode,
 * TLS keys by their files, never inlined.
 */
public record ServerConfig(
    Listen listen,
    Optional<Tls> tls,
    RootKey rootKey,
    Optional<Metrics> metrics,
    Storage storage,
    Assertions assertions,
    Optional<Path> backupDir,
    Optional<Path> bootstrapTokenFile,
    long verifyFailuresPerMinute,
    Periods periods,
    Optional<ClusterConfig> cluster,
    IssuerFetchHosts issuerFetchHosts) {

  public static final long DEFAULT_VERIFY_FAILURES_PER_MINUTE = 10;
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 256 * 1024;
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
  public static final String DEFAULT_LISTEN = "127.0.0.1:7443";
  public static final String DEFAULT_METRICS_LISTEN = "127.0.0.1:9464";
  public static final long DEFAULT_METRICS_STATISTICS_SECONDS = 30;
  public static final long DEFAULT_TLS_RELOAD_SECONDS = 60;
  public static final long DEFAULT_READ_CACHE_MB = 64;
  public static final long DEFAULT_ASSERTION_MAX_LIFETIME_SECONDS = 300;
  public static final long DEFAULT_ASSERTION_CLOCK_SKEW_SECONDS = 60;
  public static final String DEFAULT_MTLS_IDENTITY = "spiffe";
  /** The bootstrap token's file inside the data dir, by default outside development mode. */
  public static final String DEFAULT_BOOTSTRAP_TOKEN_FILE_NAME = "bootstrap-token";

  /** A builder for the vault whose data lives in {@code dataDir}. */
  public static ServerConfigBuilder builder(Path dataDir) {
    return new ServerConfigBuilder(dataDir);
  }

  /** Development mode: a root key file in the data dir, relaxed file checks. */
  public boolean dev() {
    return rootKey.dev();
  }

  /**
   * The gRPC port.
   *
   * @param maxInboundMessageBytes larger requests are RESOURCE_EXHAUSTED
   * @param shutdownGrace how long in-flight calls may drain on SIGTERM
   */
  public record Listen(String host, int port, int maxInboundMessageBytes,
      Duration shutdownGrace) {}

  /**
   * TLS on the gRPC port.
   *
   * @param clientCertificates mutual TLS, when a client CA is given
   */
  public record Tls(Path certFile, Path keyFile, Optional<ClientCertificates> clientCertificates) {}

  /** How a client certificate names its principal ({@code --mtls-identity}). */
  public enum IdentityMode { SPIFFE, DNS, CN }

  /**
   * Mutual TLS: client certificates signed by {@code caFile} stand for principals.
   *
   * @param trustDomain the SPIFFE trust domain, for {@link IdentityMode#SPIFFE} only
   * @param dnsSuffix the DNS suffix, for {@link IdentityMode#DNS} only
   */
  public record ClientCertificates(Path caFile, IdentityMode mode, Optional<String> trustDomain,
      Optional<String> dnsSuffix) {}

  /**
   * Where the root key comes from: a development key file in the data dir, or a URI.
   *
   * @param uri the root key URI; empty in development mode
   * @param kmsCredentials the credentials file of a cloud KMS, if given
   */
  public record RootKey(boolean dev, Optional<String> uri, Optional<Path> kmsCredentials,
      Path devKeyFile) {}

  /**
   * The Prometheus endpoint.
   *
   * @param orFreePort take a free port when the address is busy (development mode with the
   *     default address only, so a second dev server never stops a first walk-through)
   */
  public record Metrics(String host, int port, boolean orFreePort) {}

  /**
   * The data directory and the database in it.
   *
   * @param readCacheBytes heap for cached records and index entries; 0 turns the cache off
   */
  public record Storage(Path dataDir, long readCacheBytes) {
    /** The RocksDB directory inside the data dir. */
    public Path dbDir() {
      return dataDir.resolve("db");
    }
  }

  /**
   * What client assertions are checked against when a request names no audiences.
   *
   * @param audiences accepted aud values, stripped, each 1 to 512 characters
   */
  public record Assertions(List<String> audiences, Duration maxLifetime, Duration clockSkew) {
    public Assertions {
      audiences = List.copyOf(audiences);
    }
  }

  /**
   * The periods of the configurable background jobs (the others are fixed where the jobs
   * are defined, see {@code Vault#backgroundJobs}).
   *
   * @param tlsReload how often the TLS files are re-read
   * @param statistics how often the metrics of secrets, grants and requests are recomputed
   */
  public record Periods(Duration tlsReload, Duration statistics) {}
}
