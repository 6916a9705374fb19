package dev.coffer.server.audit;

import com.google.protobuf.ByteString;
import dev.coffer.server.crypto.AuditSignature;
import dev.coffer.server.crypto.DevRootKeyFile;
import dev.coffer.server.crypto.Keyring;
import dev.coffer.server.crypto.KeysetStore;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.pb.AuditHead;
import dev.coffer.server.store.records.pb.AuditRec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Real Tink signers, events, and the raw-store edits an attacker with write access makes. */
final class AuditFixtures {

  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private AuditFixtures() {}

  /** The audit signer of a fresh vault keyring whose root key file is {@code dir/name.json}. */
  static CheckpointSigner signer(Path dir, String name) {
    Map<String, byte[]> keysets = new HashMap<>();
    KeysetStore store = new KeysetStore() {
      @Override
      public Optional<byte[]> read(String n) {
        return Optional.ofNullable(keysets.get(n));
      }

      @Override
      public void writeAll(Map<String, byte[]> encrypted) {
        keysets.putAll(encrypted);
      }
    };
    AuditSignature s = Keyring.open(DevRootKeyFile.loadOrCreate(dir.resolve(name + ".json")),
        store).auditSignature();
    return CheckpointSigner.of(s::sign, s::verify);
  }

  static AuditEvent event(String tenant, String actor, AuditAction action, String target,
      Instant time) {
    return new AuditEvent(time, tenant, actor, action, target, AuditEvent.ALLOWED, "", "req",
        "peer");
  }

  static AuditRec read(KvStore store, long sequence) throws Exception {
    return AuditRec.parseFrom(store.get(Table.AUDIT, AuditKeys.sequenceKey(sequence))
        .orElseThrow());
  }

  static void write(KvStore store, long sequence, AuditRec rec) {
    store.commit(new Changes().put(Table.AUDIT, AuditKeys.sequenceKey(sequence),
        rec.toByteArray()));
  }

  /**
   * What an attacker who knows the format does: recompute every previous-hash from
   * {@code from} to {@code to} and point the head at the new last hash.
   */
  static void rehash(KvStore store, long from, long to) throws Exception {
    byte[] previous = ChainedAuditLog.sha256(store.get(Table.AUDIT,
        AuditKeys.sequenceKey(from - 1)).orElseThrow());
    for (long s = from; s <= to; s++) {
      AuditRec rec = read(store, s).toBuilder()
          .setPreviousHash(ByteString.copyFrom(previous)).build();
      write(store, s, rec);
      previous = ChainedAuditLog.sha256(rec.toByteArray());
    }
    setHead(store, to, previous);
  }

  static void setHead(KvStore store, long sequence, byte[] hash) {
    store.commit(new Changes().put(Table.META, AuditKeys.HEAD_KEY, AuditHead.newBuilder()
        .setSequence(sequence).setHash(ByteString.copyFrom(hash)).build().toByteArray()));
  }

  static byte[] hashOf(KvStore store, long sequence) {
    return ChainedAuditLog.sha256(store.get(Table.AUDIT, AuditKeys.sequenceKey(sequence))
        .orElseThrow());
  }
}
