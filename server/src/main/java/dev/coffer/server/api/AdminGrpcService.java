package dev.coffer.server.api;

import dev.coffer.api.v1.AdminServiceGrpc;
import dev.coffer.api.v1.Backup;
import dev.coffer.api.v1.CreateBackupRequest;
import dev.coffer.api.v1.DestroyKekKeyRequest;
import dev.coffer.api.v1.DestroyKekKeyResponse;
import dev.coffer.api.v1.DisableKekKeyRequest;
import dev.coffer.api.v1.EnableKekKeyRequest;
import dev.coffer.api.v1.GetVaultStatusRequest;
import dev.coffer.api.v1.KekKey;
import dev.coffer.api.v1.KekRewrap;
import dev.coffer.api.v1.RotateKekRequest;
import dev.coffer.api.v1.StorageWriteError;
import dev.coffer.api.v1.VaultStatus;
import dev.coffer.server.backup.BackupWriter;
import dev.coffer.server.service.keys.RewrapProgress;
import dev.coffer.server.service.operator.VaultAdmin;
import io.grpc.stub.StreamObserver;

/** gRPC adapter of {@link VaultAdmin}: vault status, KEK rotation and online backups. */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {

  private final VaultAdmin admin;

  public AdminGrpcService(VaultAdmin admin) {
    this.admin = admin;
  }

  @Override
  public void getVaultStatus(GetVaultStatusRequest req, StreamObserver<VaultStatus> out) {
    UnaryCalls.run(out, ctx -> {
      VaultAdmin.Status s = admin.status(ctx);
      VaultStatus.Builder b = VaultStatus.newBuilder().setRootKey(s.rootKey())
          .setAuditSequence(s.auditSequence()).setSecretsEstimate(s.secretsEstimate())
          .setDataKeysEstimate(s.dataKeysEstimate())
          .setBackupDir(s.backupDir() == null ? "" : s.backupDir().toString());
      s.kekKeys().forEach(k -> b.addKekKeys(kekKey(k)));
      s.rewrap().ifPresent(p -> b.setKekRewrap(rewrap(p)));
      s.storageWriteError().ifPresent(f -> b.setStorageWriteError(StorageWriteError.newBuilder()
          .setCause(f.cause()).setSince(ProtoMapper.timestamp(f.since()))
          .setLastFailureTime(ProtoMapper.timestamp(f.last()))
          .setFailedWrites(f.failedWrites())));
      return b.build();
    });
  }

  @Override
  public void rotateKek(RotateKekRequest req, StreamObserver<KekKey> out) {
    UnaryCalls.run(out, ctx -> kekKey(admin.kek().rotate(ctx)));
  }

  @Override
  public void disableKekKey(DisableKekKeyRequest req, StreamObserver<KekKey> out) {
    UnaryCalls.run(out, ctx -> {
      admin.kek().disable(ctx, req.getKeyId());
      return kekKey(admin.kek().key(req.getKeyId()));
    });
  }

  @Override
  public void enableKekKey(EnableKekKeyRequest req, StreamObserver<KekKey> out) {
    UnaryCalls.run(out, ctx -> {
      admin.kek().enable(ctx, req.getKeyId());
      return kekKey(admin.kek().key(req.getKeyId()));
    });
  }

  @Override
  public void destroyKekKey(DestroyKekKeyRequest req,
      StreamObserver<DestroyKekKeyResponse> out) {
    UnaryCalls.run(out, ctx -> {
      admin.kek().destroy(ctx, req.getKeyId());
      return DestroyKekKeyResponse.getDefaultInstance();
    });
  }

  @Override
  public void createBackup(CreateBackupRequest req, StreamObserver<Backup> out) {
    UnaryCalls.run(out, ctx -> {
      BackupWriter.Written w = admin.backup(ctx, req.getName());
      var m = w.manifest();
      return Backup.newBuilder().setPath(w.path().toString())
          .setCreateTime(ProtoMapper.timestamp(m.createTime()))
          .setAuditSequence(m.census().auditSequence())
          .setSecrets(m.census().secrets())
          .setVaultedSecrets(m.census().vaultedSecrets())
          .setDataKeys(m.census().dataKeys())
          .setFiles(m.files().size())
          .setBytes(m.files().stream().mapToLong(f -> f.size()).sum())
          .build();
    });
  }

  static KekKey kekKey(dev.coffer.server.crypto.KekKey k) {
    return KekKey.newBuilder().setKeyId(k.id()).setPrimary(k.primary())
        .setState(k.status() == dev.coffer.server.crypto.KekKey.Status.ENABLED
            ? KekKey.State.ENABLED : KekKey.State.DISABLED)
        .build();
  }

  static KekRewrap rewrap(RewrapProgress p) {
    KekRewrap.Builder b = KekRewrap.newBuilder().setTargetKeyId(p.targetKeyId())
        .setRunning(p.running()).setScanned(p.scanned()).setRewrapped(p.rewrapped())
        .setOrphansRemoved(p.orphansRemoved()).setUnreadable(p.unreadable())
        .setTotalEstimate(p.totalEstimate()).setProgress(p.ratio())
        .setStartTime(ProtoMapper.timestamp(p.startTime()));
    if (p.finishTime() != null) {
      b.setFinishTime(ProtoMapper.timestamp(p.finishTime()));
    }
    return b.build();
  }
}
