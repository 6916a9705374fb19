package dev.coffer.server.backup;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.server.audit.ChainedAuditLog;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.pb.SecretRec;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a vault holds, counted exactly by walking its tables: secrets, vaulted secrets,
 * data keys, and the audit chain's head. A backup records it when taken; a restore counts
 * again and compares. Reads only; O(number of secrets).
 */
public record VaultCensus(long secrets, long vaultedSecrets, long dataKeys, long auditSequence,
    String auditHeadHash) {

  private static final int PAGE = 1000;

  /** Counts {@code store}. An unreadable secret record counts as a secret, not vaulted. */
  public static VaultCensus of(KvStore store) {
    long[] secrets = new long[2];
    scan(store, Table.SECRETS, kv -> {
      secrets[0]++;
      try {
        if (SecretRec.parseFrom(kv.value()).getVaulted()) {
          secrets[1]++;
        }
      } catch (InvalidProtocolBufferException e) {
        // counted; the restore's decryption check reports it
      }
    });
    long[] dataKeys = new long[1];
    scan(store, Table.DATA_KEYS, kv -> dataKeys[0]++);
    ChainedAuditLog.Head head = ChainedAuditLog.head(store);
    return new VaultCensus(secrets[0], secrets[1], dataKeys[0], head.sequence(),
        HexFormat.of().formatHex(head.hash()));
  }

  /** Calls {@code each} for every entry of {@code table}, a page at a time. */
  static void scan(KvStore store, Table table, Consumer<KeyValue> each) {
    byte[] after = null;
    while (true) {
      List<KeyValue> page = store.scan(table, new byte[0], after, PAGE);
      for (KeyValue kv : page) {
        each.accept(kv);
        after = kv.key();
      }
      if (page.size() < PAGE) {
        return;
      }
    }
  }
}
