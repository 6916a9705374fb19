package dev.coffer.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The server's settings, immutable once loaded. Holds no key material: the root key is
 * named by a URI or by dev mode, never inlined.
 *
 * @param rootKeyUri null in dev mode
 * @param bootstrapTokenFile null to print the bootstrap token on stdout instead
 * @param metricsHost where the Prometheus endpoint listens; null when metrics are off
 * @param metricsPort its port (0 picks a free one)
 * @param metricsStatisticsPeriod how often the domain figures (secrets by state...) are
 *     recomputed
 * @param backupDir where online backups are written; null: backups refused
 */
public record ServerConfig(
    Path dataDir,
    String listenHost,
    int listenPort,
    boolean dev,
    String rootKeyUri,
    Path bootstrapTokenFile,
    long verifyFailuresPerMinute,
    int maxInboundMessageBytes,
    Duration shutdownGrace,
    String metricsHost,
    int metricsPort,
    Duration metricsStatisticsPeriod,
    Path backupDir) {

  public static final long DEFAULT_VERIFY_FAILURES_PER_MINUTE = 10;
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 256 * 1024;
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
  public static final String DEFAULT_METRICS_LISTEN = "127.0.0.1:9464";
  public static final Duration DEFAULT_METRICS_STATISTICS_PERIOD = Duration.ofSeconds(30);

  /** Settings without a metrics endpoint. */
  public ServerConfig(Path dataDir, String listenHost, int listenPort, boolean dev,
      String rootKeyUri, Path bootstrapTokenFile, long verifyFailuresPerMinute,
      int maxInboundMessageBytes, Duration shutdownGrace) {
    this(dataDir, listenHost, listenPort, dev, rootKeyUri, bootstrapTokenFile,
        verifyFailuresPerMinute, maxInboundMessageBytes, shutdownGrace, null, 0,
        DEFAULT_METRICS_STATISTICS_PERIOD, null);
  }

  /** Whether the Prometheus endpoint is on. */
  public boolean metricsEnabled() {
    return metricsHost != null;
  }

  /** The name of the development root key file inside the data dir. */
  public Path devRootKeyFile() {
    return dataDir.resolve("dev-root-key.json");
  }

  /** The backup directory {@code --dev} uses when none is given. */
  public Path devBackupDir() {
    return dataDir.resolve("backups");
  }

  /** The RocksDB directory inside the data dir. */
  public Path dbDir() {
    return dataDir.resolve("db");
  }
}
