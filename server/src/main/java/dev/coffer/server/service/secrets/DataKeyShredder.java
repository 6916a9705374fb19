package dev.coffer.server.service.secrets;

import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.service.kernel.BackgroundJob;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.SecretRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Crypto shredding, finished: a deleted secret's wrapped data key is gone from DATA_KEYS
 * the moment the delete commits, and this class then makes storage forget it physically
 * (flush and compaction, see {@link KvStore#purge}), so neither a storage file nor a
 * write-ahead-log segment of the live data directory still holds it, and the value's
 * ciphertext can never be opened again, KEK or not. Deletes are collected and purged
 * together once a second by a background {@link #job}; {@link #shredNow} does
 * it at once. Thread-safe.
 */
public final class DataKeyShredder {

  private final KvStore store;
  private final List<byte[]> pending = new ArrayList<>(); // guarded by this

  public DataKeyShredder(KvStore store) {
    this.store = store;
  }

  /** Purges the collected deletes every {@code period}, on every node (its own storage). */
  public BackgroundJob job(Duration period) {
    return BackgroundJob.onEveryNode("coffer-data-key-shredder", period, period,
        this::shredNow);
  }

  /** Notes that the data key of {@code m} was deleted (call after the delete commits). */
  public synchronized void deleted(SecretMetadata m) {
    pending.add(SecretRepository.recordKey(m.tenantId(), m.secretId()));
  }

  /** Purges the data keys deleted so far; returns how many were pending. */
  public int shredNow() {
    byte[] from;
    byte[] last;
    int count;
    synchronized (this) {
      if (pending.isEmpty()) {
        return 0;
      }
      from = pending.stream().min(Arrays::compareUnsigned).orElseThrow();
      last = pending.stream().max(Arrays::compareUnsigned).orElseThrow();
      count = pending.size();
      pending.clear();
    }
    store.purge(Table.DATA_KEYS, from, Arrays.copyOf(last, last.length + 1));
    return count;
  }
}
