package dev.coffer.server.service.secrets;

import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.service.kernel.PeriodicTask;
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
 * together once a second on a background thread ({@link #start}); {@link #shredNow} does
 * it at once. Thread-safe.
 */
public final class DataKeyShredder implements AutoCloseable {

  private final KvStore store;
  private final List<byte[]> pending = new ArrayList<>(); // guarded by this
  private PeriodicTask task;

  public DataKeyShredder(KvStore store) {
    this.store = store;
  }

  /** Starts purging collected deletes every {@code period}. */
  public synchronized DataKeyShredder start(Duration period) {
    if (task == null) {
      task = PeriodicTask.start("coffer-data-key-shredder", period, period, this::shredNow);
    }
    return this;
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

  @Override
  public void close() {
    PeriodicTask running;
    synchronized (this) {
      running = task;
      task = null;
    }
    if (running != null) {
      running.close();
    }
  }
}
