package dev.coffer.server.store.records;

import dev.coffer.server.domain.SealedSecret;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Secrets by tenant and id, with secondary indexes kept in the same atomic batch as the
 * record: by application (or scope), by location path (a subtree is one key range), by
 * expiration time, and by the keyed lookup key of the value (leak reports find a secret
 * from its value alone, in one range scan). A record holds metadata, the verifier and a
 * vaulted value's ciphertext; the value's wrapped data key lives apart, in DATA_KEYS under
 * the same key, written once at creation ({@link #stageCreate}) and deleted with the
 * record, so deleting a secret shreds its value and KEK rotation re-wraps data keys without
 * touching records. Values never change after creation, so {@link #stage} (an update)
 * leaves the data key alone and cannot undo a concurrent re-wrap.
 */
public final class SecretRepository {

  private static final String BY_APP = "sec-app";
  private static final String BY_LOCATION = "sec-loc";
  private static final String BY_EXPIRY = "sec-exp";
  private static final String BY_SCOPE = "sec-scope";
  private static final String BY_LEAK_LOOKUP = "sec-leak";

  private final KvStore store;

  public SecretRepository(KvStore store) {
    this.store = store;
  }

  public Optional<StoredSecret> get(String tenantId, String secretId) {
    byte[] key = key(tenantId, secretId);
    return store.get(Table.SECRETS, key).map(RecordCodec::secret).map(s -> withDataKey(key, s));
  }

  /** The stored secret with its wrapped data key, read from DATA_KEYS (empty if shredded). */
  private StoredSecret withDataKey(byte[] key, StoredSecret s) {
    if (s.sealed() == null) {
      return s;
    }
    byte[] wrapped = store.get(Table.DATA_KEYS, key).orElse(new byte[0]);
    return s.withSealed(new SealedSecret(wrapped, s.sealed().ciphertext()));
  }

  /** The DATA_KEYS / SECRETS key of a secret. */
  public static byte[] recordKey(String tenantId, String secretId) {
    return key(tenantId, secretId);
  }

  /** Tenant id and secret id of a DATA_KEYS / SECRETS key. */
  public static String[] parseRecordKey(byte[] key) {
    Keys.Reader r = Keys.reader(key);
    return new String[] {r.str(), r.str()};
  }

  /** Up to {@code limit} secrets of one application, in id order. */
  public List<StoredSecret> ofApplication(String tenantId, String clientId, int limit) {
    return resolveAll(tenantId, appPrefix(tenantId, clientId), limit);
  }

  /** Up to {@code limit} secrets of one scope, in id order. */
  public List<StoredSecret> ofScope(String tenantId, String scopeId, int limit) {
    return resolveAll(tenantId, scopePrefix(tenantId, scopeId), limit);
  }

  /**
   * The secrets (of any tenant) whose value has the keyed lookup key {@code lookupKey}: at
   * most {@code limit}, from one range scan. A hit only locates a candidate; the caller
   * confirms the value with its verifier.
   */
  public List<StoredSecret> byLeakLookupKey(byte[] lookupKey, int limit) {
    byte[] prefix = leakPrefix(lookupKey);
    List<StoredSecret> result = new ArrayList<>();
    for (KeyValue kv : store.scan(Table.INDEX, prefix, null, limit)) {
      Keys.Reader r = Keys.reader(kv.key());
      r.raw(prefix.length);
      String tenantId = r.str();
      get(tenantId, r.str()).ifPresent(result::add);
    }
    return result;
  }

  private List<StoredSecret> resolveAll(String tenantId, byte[] prefix, int limit) {
    List<StoredSecret> result = new ArrayList<>();
    for (KeyValue kv : store.scan(Table.INDEX, prefix, null, limit)) {
      get(tenantId, lastSegment(kv.key())).ifPresent(result::add);
    }
    return result;
  }

  /**
   * Stages a changed record: removes the index entries of {@code previous} (its expiry may
   * have moved, as in rotation) and writes those of {@code next}, in one batch.
   */
  public void stageUpdate(Changes changes, SecretMetadata previous, StoredSecret next) {
    for (byte[] indexKey : indexKeys(previous)) {
      changes.delete(Table.INDEX, indexKey);
    }
    stage(changes, next);
  }

  /** Stages a new secret: its record, index entries and (if vaulted) wrapped data key. */
  public void stageCreate(Changes changes, StoredSecret secret) {
    stage(changes, secret);
    if (secret.sealed() != null) {
      SecretMetadata m = secret.metadata();
      changes.put(Table.DATA_KEYS, key(m.tenantId(), m.secretId()),
          secret.sealed().wrappedDataKey());
    }
  }

  /** Stages a changed record and its index entries; the data key is left as it is. */
  public void stage(Changes changes, StoredSecret secret) {
    SecretMetadata m = secret.metadata();
    changes.put(Table.SECRETS, key(m.tenantId(), m.secretId()), RecordCodec.encode(secret));
    for (byte[] indexKey : indexKeys(m)) {
      changes.put(Table.INDEX, indexKey, new byte[0]);
    }
    if (secret.leakLookupKey().length > 0) {
      changes.put(Table.INDEX, leakKey(secret), new byte[0]);
    }
  }

  /**
   * Stages removal of the record, its ciphertext, its wrapped data key and its indexes
   * (its leak lookup entry too: a deleted secret is no longer found by its value).
   */
  public void stageDelete(Changes changes, StoredSecret secret) {
    SecretMetadata m = secret.metadata();
    changes.delete(Table.SECRETS, key(m.tenantId(), m.secretId()));
    changes.delete(Table.DATA_KEYS, key(m.tenantId(), m.secretId()));
    for (byte[] indexKey : indexKeys(m)) {
      changes.delete(Table.INDEX, indexKey);
    }
    if (secret.leakLookupKey().length > 0) {
      changes.delete(Table.INDEX, leakKey(secret));
    }
  }

  public Page<SecretMetadata> list(String tenantId, String pageToken, int size,
      Predicate<SecretMetadata> keep) {
    return PageScanner.page(store, Table.SECRETS, Keys.builder().str(tenantId).build(),
        pageToken, size, kv -> Optional.of(RecordCodec.secret(kv.value()).metadata())
            .filter(keep));
  }

  public Page<SecretMetadata> listByApplication(String tenantId, String clientId,
      String pageToken, int size, Predicate<SecretMetadata> keep) {
    return PageScanner.page(store, Table.INDEX, appPrefix(tenantId, clientId), pageToken, size,
        kv -> resolve(tenantId, kv, keep));
  }

  public Page<SecretMetadata> listByScope(String tenantId, String scopeId,
      String pageToken, int size, Predicate<SecretMetadata> keep) {
    return PageScanner.page(store, Table.INDEX, scopePrefix(tenantId, scopeId), pageToken, size,
        kv -> resolve(tenantId, kv, keep));
  }

  /** @param subtreePrefix a location path with a trailing '/' */
  public Page<SecretMetadata> listByLocation(String tenantId, String subtreePrefix,
      String pageToken, int size, Predicate<SecretMetadata> keep) {
    byte[] prefix = Keys.builder().str(BY_LOCATION).str(tenantId)
        .raw(subtreePrefix.getBytes(StandardCharsets.UTF_8)).build();
    return PageScanner.page(store, Table.INDEX, prefix, pageToken, size,
        kv -> resolve(tenantId, kv, keep));
  }

  /** Secrets whose expiration is at or after {@code from}, in expiration order. */
  public Page<SecretMetadata> listByExpiry(String tenantId, Instant from, String pageToken,
      int size, Predicate<SecretMetadata> keep) {
    byte[] prefix = Keys.builder().str(BY_EXPIRY).str(tenantId).build();
    byte[] start = Keys.builder().raw(prefix).u64(from.toEpochMilli() - 1).build();
    return PageScanner.page(store, Table.INDEX, prefix, start, pageToken, size, kv -> {
      Keys.Reader r = Keys.reader(kv.key());
      r.raw(prefix.length);
      r.u64();
      return metadata(tenantId, r.str()).filter(keep);
    });
  }

  /**
   * Expiry index entries due in {@code (fromExclusive, until]} (see {@link DueIndex}). An
   * entry can be stale (rotation shortens an expiration and leaves the old entry): re-read
   * the secret and compare its expiration.
   */
  public List<DueIndex.Due> dueByExpiry(String tenantId, Instant fromExclusive,
      DueIndex.Due after, Instant until, int limit) {
    return DueIndex.due(store, BY_EXPIRY, tenantId, fromExclusive, after, until, limit);
  }

  private Optional<SecretMetadata> resolve(String tenantId, KeyValue kv,
      Predicate<SecretMetadata> keep) {
    return metadata(tenantId, lastSegment(kv.key())).filter(keep);
  }

  /** A secret's metadata alone: one read, without its data key (listings need no more). */
  private Optional<SecretMetadata> metadata(String tenantId, String secretId) {
    return store.get(Table.SECRETS, key(tenantId, secretId))
        .map(b -> RecordCodec.secret(b).metadata());
  }

  private static List<byte[]> indexKeys(SecretMetadata m) {
    List<byte[]> keys = new ArrayList<>(3);
    if (!m.holderId().isEmpty()) {
      byte[] holder = m.ofScope() ? scopePrefix(m.tenantId(), m.holderId())
          : appPrefix(m.tenantId(), m.holderId());
      keys.add(Keys.builder().raw(holder).str(m.secretId()).build());
    }
    keys.add(Keys.builder().str(BY_LOCATION).str(m.tenantId())
        .raw(subtree(m.location()).getBytes(StandardCharsets.UTF_8)).str(m.secretId()).build());
    if (m.expireTime() != null) {
      keys.add(Keys.builder().str(BY_EXPIRY).str(m.tenantId())
          .u64(m.expireTime().toEpochMilli()).str(m.secretId()).build());
    }
    return keys;
  }

  private static String subtree(String path) {
    return path.equals("/") ? "/" : path + "/";
  }

  private static byte[] appPrefix(String tenantId, String clientId) {
    return Keys.builder().str(BY_APP).str(tenantId).str(clientId).build();
  }

  private static byte[] scopePrefix(String tenantId, String scopeId) {
    return Keys.builder().str(BY_SCOPE).str(tenantId).str(scopeId).build();
  }

  /** The lookup key is fixed-length raw bytes (a PRF output), so the segments stay unambiguous. */
  private static byte[] leakPrefix(byte[] lookupKey) {
    return Keys.builder().str(BY_LEAK_LOOKUP).raw(lookupKey).build();
  }

  private static byte[] leakKey(StoredSecret s) {
    return Keys.builder().raw(leakPrefix(s.leakLookupKey())).str(s.metadata().tenantId())
        .str(s.metadata().secretId()).build();
  }

  private static byte[] key(String tenantId, String secretId) {
    return Keys.builder().str(tenantId).str(secretId).build();
  }

  /**
   * The secret id at the end of an application or location index key: the bytes between
   * the last '/' or 0x00 separator before the terminator and the terminating 0x00. Secret
   * ids never contain '/' or 0x00. Not for the expiry index, whose u64 may hold any byte.
   */
  private static String lastSegment(byte[] key) {
    int end = key.length - 1;
    int start = end - 1;
    while (start >= 0 && key[start] != 0 && key[start] != '/') {
      start--;
    }
    return new String(key, start + 1, end - start - 1, StandardCharsets.UTF_8);
  }
}
