package dev.coffer.server;

import dev.coffer.server.api.AdminGrpcService;
import dev.coffer.server.api.AuditGrpcService;
import dev.coffer.server.api.ClusterGrpcService;
import dev.coffer.server.audit.AuditChainVerifier;
import dev.coffer.server.audit.AuditQuery;
import dev.coffer.server.backup.BackupWriter;
import dev.coffer.server.metrics.VaultInstrumentation;
import dev.coffer.server.service.kernel.BackgroundJob;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.service.keys.KekRewrapJob;
import dev.coffer.server.service.keys.KekService;
import dev.coffer.server.service.operator.AuditTrailService;
import dev.coffer.server.service.operator.AuthFailureAudit;
import dev.coffer.server.service.operator.ClusterAdmin;
import dev.coffer.server.service.operator.VaultAdmin;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.SecretRepository;
import io.grpc.BindableService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Capability module "operator": the vault's administration (status, online backups, KEK
 * rotation with its background re-wrap of data keys), the audit trail's queries, export and
 * chain verification, and the rate-limited audit of failed sign-ins. The KEK rotation
 * lives here, not in the keys module, because it needs the audit chain, which needs the
 * keyring, and {@link VaultAdmin} is its only user. Built from the storage, keys, kernel
 * and directory modules, the root key's description, the backup directory (null: backups
 * refused), the clock and the instrumentation; opening it resumes an unfinished re-wrap.
 * Security: status and backups name keys and files, never key material or values.
 */
public final class OperatorModule {

  private static final Duration REWRAP_PERIOD = Duration.ofSeconds(2);

  private final KekRewrapJob rewrapJob;
  private final VaultAdmin admin;
  private final AuditTrailService auditTrail;
  private final AuthFailureAudit authFailures;
  private final ClusterAdmin cluster;

  OperatorModule(StorageModule storage, KeysModule keys, KernelModule kernel,
      DirectoryModule directory, String rootKeyDescription, Path backupDir, Clock clock,
      VaultInstrumentation metrics) {
    Governance gov = kernel.governance();
    this.auditTrail = new AuditTrailService(new AuditQuery(storage.store()),
        new AuditChainVerifier(storage.store(), kernel.signer()), gov);
    this.authFailures = new AuthFailureAudit(directory.tokenRepository(), keys.lookupKeys(),
        kernel.meteredAudit(), clock);
    this.rewrapJob = new KekRewrapJob(storage.store(), new SecretRepository(storage.store()),
        keys.cipher(), kernel.meteredAudit(), clock,
        () -> storage.rocks().estimatedKeys(Table.DATA_KEYS), KekRewrapJob.DEFAULT_PAGE);
    KekService kek = new KekService(keys.keyring().kek(), rewrapJob, gov);
    kek.resumeIfNeeded();
    metrics.kekRewrap(rewrapJob);
    this.admin = new VaultAdmin(kek,
        backupDir == null ? null : new BackupWriter(storage.rocks(), backupDir, clock),
        rootKeyDescription, storage.rocks(), storage.storageWrites(), gov);
    this.cluster = new ClusterAdmin(storage.cluster(), gov);
  }

  /** The cluster's status, leadership, snapshots and membership, for operators. */
  public ClusterAdmin cluster() {
    return cluster;
  }

  /** Status, KEK rotation and backups, for operators. */
  public VaultAdmin admin() {
    return admin;
  }

  /** Audit query, export and chain verification. */
  public AuditTrailService auditTrail() {
    return auditTrail;
  }

  /** Records failed authentications (rate limited); the auth interceptor calls it. */
  public AuthFailureAudit authFailures() {
    return authFailures;
  }

  /** Re-wraps data keys after a KEK rotation; run by the server's jobs, and by tests. */
  public KekRewrapJob rewrapJob() {
    return rewrapJob;
  }

  List<BackgroundJob> backgroundJobs() {
    return List.of(rewrapJob.job(REWRAP_PERIOD));
  }

  /** The gRPC adapters: audit trail, administration and the cluster. */
  List<BindableService> grpcServices() {
    return List.of(new AuditGrpcService(auditTrail), new AdminGrpcService(admin),
        new ClusterGrpcService(cluster));
  }
}
