package dev.coffer.server.service.operator;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.backup.BackupWriter;
import dev.coffer.server.crypto.KekKey;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.service.keys.KekService;
import dev.coffer.server.service.keys.RewrapProgress;
import dev.coffer.server.store.RocksDatabase;
import dev.coffer.server.store.RocksKvStore;
import dev.coffer.server.store.StorageWriteHealth;
import dev.coffer.server.store.Table;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The vault's operator surface, system administrator only, every call audited: its status
 * (root key location, KEK keys, re-wrap progress, audit head, sizes, a storage write failure
 * while it lasts), KEK rotation and
 * retirement ({@link KekService}), and online backups ({@link BackupWriter}). Never
 * returns key material.
 */
public final class VaultAdmin {

  /** A status snapshot for {@code coffer admin status}. */
  public record Status(String rootKey, List<KekKey> kekKeys, Optional<RewrapProgress> rewrap,
      long auditSequence, long secretsEstimate, long dataKeysEstimate, Path backupDir,
      Optional<StorageWriteHealth.Failure> storageWriteError) {}

  private final KekService kek;
  private final BackupWriter backups; // null: not configured
  private final String rootKey;
  private final RocksDatabase store;
  private final StorageWriteHealth storageWrites;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;

  public VaultAdmin(KekService kek, BackupWriter backups, String rootKeyDescription,
      RocksDatabase store, StorageWriteHealth storageWrites, Governance gov) {
    this.kek = kek;
    this.backups = backups;
    this.rootKey = rootKeyDescription;
    this.store = store;
    this.storageWrites = storageWrites;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
  }

  public Status status(CallContext ctx) {
    enforcer.require(ctx, policy.administerVault(ctx.caller()), AuditAction.VAULT_STATUS,
        "vault");
    KekService.KekStatus k = kek.status();
    Status status = new Status(rootKey, k.keys(), k.rewrap(), audit.lastSequence(),
        store.estimatedKeys(Table.SECRETS), store.estimatedKeys(Table.DATA_KEYS),
        backups == null ? null : backups.root(), storageWrites.current());
    audit.record(enforcer.allowed(ctx, AuditAction.VAULT_STATUS, "vault"));
    return status;
  }

  public KekService kek() {
    return kek;
  }

  /**
   * Writes an online backup named {@code name} under the backup directory.
   *
   * @throws CofferException BACKUPS_NOT_CONFIGURED without a backup directory
   */
  public BackupWriter.Written backup(CallContext ctx, String name) {
    enforcer.require(ctx, policy.administerVault(ctx.caller()), AuditAction.BACKUP_CREATE,
        "backups");
    if (backups == null) {
      throw new CofferException(Reason.BACKUPS_NOT_CONFIGURED,
          "backups are not configured: start the server with --backup-dir DIR");
    }
    BackupWriter.Written written = backups.create(name);
    audit.record(enforcer.allowed(ctx, AuditAction.BACKUP_CREATE,
        "backups/" + written.path().getFileName()));
    return written;
  }
}
