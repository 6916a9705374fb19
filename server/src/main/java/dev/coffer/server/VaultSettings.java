package dev.coffer.server;

import dev.coffer.server.audit.ChainedAuditLog;
import dev.coffer.server.config.IssuerFetchHosts;
import dev.coffer.server.config.ServerConfig;
import java.nio.file.Path;

/**
 * How a {@link Vault} is tuned: the verify-failure rate limit per secret, the events
 * between signed audit checkpoints, the directory online backups go to (null: backups
 * are refused until configured), the bytes of the read cache in front of the database
 * (0: none), and the hosts trusted issuers' keys may be fetched from (by default none:
 * closed until an operator allows hosts).
 */
public record VaultSettings(long verifyFailuresPerMinute, int auditCheckpointInterval,
    Path backupDir, long readCacheBytes, IssuerFetchHosts issuerFetchHosts) {

  /** 64 MiB of cached records and index entries (on the Java heap). */
  public static final long DEFAULT_READ_CACHE_BYTES = ServerConfig.DEFAULT_READ_CACHE_MB << 20;

  public static VaultSettings defaults() {
    return new VaultSettings(ServerConfig.DEFAULT_VERIFY_FAILURES_PER_MINUTE,
        ChainedAuditLog.DEFAULT_CHECKPOINT_INTERVAL, null, DEFAULT_READ_CACHE_BYTES,
        IssuerFetchHosts.none());
  }

  public VaultSettings withVerifyFailuresPerMinute(long perMinute) {
    return new VaultSettings(perMinute, auditCheckpointInterval, backupDir, readCacheBytes,
        issuerFetchHosts);
  }

  public VaultSettings withAuditCheckpointInterval(int interval) {
    return new VaultSettings(verifyFailuresPerMinute, interval, backupDir, readCacheBytes,
        issuerFetchHosts);
  }

  public VaultSettings withBackupDir(Path dir) {
    return new VaultSettings(verifyFailuresPerMinute, auditCheckpointInterval, dir,
        readCacheBytes, issuerFetchHosts);
  }

  public VaultSettings withReadCacheBytes(long bytes) {
    return new VaultSettings(verifyFailuresPerMinute, auditCheckpointInterval, backupDir,
        bytes, issuerFetchHosts);
  }

  public VaultSettings withIssuerFetchHosts(IssuerFetchHosts hosts) {
    return new VaultSettings(verifyFailuresPerMinute, auditCheckpointInterval, backupDir,
        readCacheBytes, hosts);
  }
}
