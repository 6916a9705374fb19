package dev.coffer.server;

import dev.coffer.server.audit.ChainedAuditLog;
import dev.coffer.server.config.ServerConfig;
import java.nio.file.Path;

/**
 * How a {@link Vault} is tuned: the verify-failure rate limit per secret, the events
 * between signed audit checkpoints, and the directory online backups go to (null: backups
 * are refused until configured).
 */
public record VaultSettings(long verifyFailuresPerMinute, int auditCheckpointInterval,
    Path backupDir) {

  public static VaultSettings defaults() {
    return new VaultSettings(ServerConfig.DEFAULT_VERIFY_FAILURES_PER_MINUTE,
        ChainedAuditLog.DEFAULT_CHECKPOINT_INTERVAL, null);
  }

  public VaultSettings withVerifyFailuresPerMinute(long perMinute) {
    return new VaultSettings(perMinute, auditCheckpointInterval, backupDir);
  }

  public VaultSettings withAuditCheckpointInterval(int interval) {
    return new VaultSettings(verifyFailuresPerMinute, interval, backupDir);
  }

  public VaultSettings withBackupDir(Path dir) {
    return new VaultSettings(verifyFailuresPerMinute, auditCheckpointInterval, dir);
  }
}
