package dev.coffer.server;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.audit.ChainedAuditLog;
import dev.coffer.server.audit.CheckpointSigner;
import dev.coffer.server.cluster.ClusterNode;
import dev.coffer.server.cluster.ReplicatedAuditLog;
import dev.coffer.server.crypto.AuditSignature;
import dev.coffer.server.metrics.VaultInstrumentation;
import dev.coffer.server.service.kernel.Governance;
import java.time.Clock;

/**
 * Module "kernel", what every capability module is checked and recorded through: the
 * hash-chained audit log (checkpoints signed with the keys module's audit signature) and
 * the {@link Governance} (policy, enforcer, audit, clock) built on it. Built from the
 * storage and keys modules, the clock, the checkpoint interval and the instrumentation.
 * Security: audit events carry ids and outcomes, never a value. Contract: {@link #close()}
 * writes what is queued, then signs a checkpoint at the head (best effort).
 */
public final class KernelModule implements AutoCloseable {

  private final AuditLog audit;
  private final AutoCloseable closeAudit;
  private final CheckpointSigner signer;
  private final AuditLog meteredAudit;
  private final Governance governance;

  KernelModule(StorageModule storage, KeysModule keys, Clock clock, int checkpointInterval,
      VaultInstrumentation metrics) {
    AuditSignature signature = keys.keyring().auditSignature();
    this.signer = CheckpointSigner.of(signature::sign, signature::verify);
    if (storage.cluster().isPresent()) {
      // A cluster node: replicas chain events at apply, signing with the signer the node's
      // state machine was started with, which can only now be bound to the keyring.
      ClusterNode node = storage.cluster().get();
      node.bindCheckpointSigner(signer);
      ReplicatedAuditLog replicated = new ReplicatedAuditLog(storage.store(), node,
          storage.storageWrites());
      this.audit = replicated;
      this.closeAudit = replicated::close;
    } else {
      ChainedAuditLog chained = new ChainedAuditLog(storage.store(), signer, checkpointInterval,
          storage.storageWrites());
      this.audit = chained;
      this.closeAudit = () -> {
        chained.close(); // writes what is queued first
        chained.checkpoint();
      };
    }
    this.meteredAudit = metrics.audit(audit);
    this.governance = Governance.of(meteredAudit, clock);
  }

  /** The audit log itself (the chain, not counted), for its head and its queries. */
  public AuditLog audit() {
    return audit;
  }

  /** The audit log the modules write to: {@link #audit()} counted by the instrumentation. */
  AuditLog meteredAudit() {
    return meteredAudit;
  }

  CheckpointSigner signer() {
    return signer;
  }

  Governance governance() {
    return governance;
  }

  @Override
  public void close() {
    try {
      closeAudit.close();
    } catch (Exception e) {
      // Best effort: the next open anchors a checkpoint at the head instead.
    }
  }
}
