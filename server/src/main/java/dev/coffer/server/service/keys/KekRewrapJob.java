package dev.coffer.server.service.keys;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.crypto.EnvelopeCipher;
import dev.coffer.server.crypto.SecretBinding;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.service.directory.BootstrapService;
import dev.coffer.server.service.kernel.BackgroundJob;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.SecretRepository;
import dev.coffer.server.store.records.pb.KekRewrapRec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.LongSupplier;

/**
 * Re-wraps every data key under the KEK's primary key, in the background, after a
 * rotation. It walks DATA_KEYS in key order, a page per commit; each page's re-wrapped
 * keys, the cursor and an audit event commit together, guarded by the page's old values
 * and the job record ({@link Changes#expect}), so a secret deleted meanwhile stays deleted
 * and a newer rotation is never overwritten; a guarded page that lost the race is simply
 * read again. The job record in META makes it resumable after a restart. Only data keys
 * change: no value is decrypted or re-encrypted, and the data keys never leave the cipher.
 * Data keys whose secret is gone are removed; ones that fail to unwrap are counted and left.
 * Reads go on throughout: a data key opens under its old KEK key until re-wrapped.
 */
public final class KekRewrapJob {

  static final byte[] STATE_KEY = "kek-rewrap".getBytes(StandardCharsets.UTF_8);
  static final String ACTOR = "coffer:kek-rewrap";
  public static final int DEFAULT_PAGE = 500;
  /** The name of its {@link #job}, and of the thread that runs it. */
  public static final String JOB_NAME = "coffer-kek-rewrap";

  private final KvStore store;
  private final SecretRepository secrets;
  private final EnvelopeCipher cipher;
  private final AuditLog audit;
  private final Clock clock;
  private final LongSupplier dataKeyEstimate;
  private final int page;

  public KekRewrapJob(KvStore store, SecretRepository secrets, EnvelopeCipher cipher,
      AuditLog audit, Clock clock, LongSupplier dataKeyEstimate, int page) {
    if (page < 1) {
      throw new IllegalArgumentException("page must be at least 1");
    }
    this.store = store;
    this.secrets = secrets;
    this.cipher = cipher;
    this.audit = audit;
    this.clock = clock;
    this.dataKeyEstimate = dataKeyEstimate;
    this.page = page;
  }

  /**
   * Runs pages continuously in the background while there is work, checking every
   * {@code period}; only on the leader of a cluster (it writes re-wrapped keys).
   */
  public BackgroundJob job(Duration period) {
    return BackgroundJob.onLeaderOnly(JOB_NAME, Duration.ZERO, period,
        this::runToEnd);
  }

  /**
   * Stages a new job towards {@code targetKeyId} into {@code changes}, replacing any job
   * in progress (its pages are done; the new one goes over all data keys again).
   */
  public void stageStart(Changes changes, int targetKeyId) {
    byte[] current = store.get(Table.META, STATE_KEY).orElse(null);
    KekRewrapRec rec = KekRewrapRec.newBuilder().setTargetKeyId(targetKeyId)
        .setStartTimeMillis(clock.millis())
        .setTotalEstimate(Math.max(0, dataKeyEstimate.getAsLong())).build();
    changes.expect(Table.META, STATE_KEY, current).put(Table.META, STATE_KEY, rec.toByteArray());
  }

  /** The job's progress; empty before the first rotation. */
  public Optional<RewrapProgress> progress() {
    return store.get(Table.META, STATE_KEY).map(KekRewrapJob::parse).map(r -> new RewrapProgress(
        r.getTargetKeyId(), r.getFinishTimeMillis() == 0, r.getScanned(), r.getRewrapped(),
        r.getOrphansRemoved(), r.getUnreadable(), r.getTotalEstimate(),
        Instant.ofEpochMilli(r.getStartTimeMillis()),
        r.getFinishTimeMillis() == 0 ? null : Instant.ofEpochMilli(r.getFinishTimeMillis())));
  }

  /** Runs pages until the job is done (or none is running); returns pages committed. */
  public int runToEnd() {
    int pages = 0;
    while (runPage()) {
      pages++;
    }
    return pages;
  }

  /** Does one page; false when there is no job running. */
  public boolean runPage() {
    byte[] stateBytes = store.get(Table.META, STATE_KEY).orElse(null);
    if (stateBytes == null) {
      return false;
    }
    KekRewrapRec state = parse(stateBytes);
    if (state.getFinishTimeMillis() != 0) {
      return false;
    }
    byte[] cursor = state.getCursor().isEmpty() ? null : state.getCursor().toByteArray();
    List<KeyValue> entries = store.scan(Table.DATA_KEYS, new byte[0], cursor, page);
    Changes changes = new Changes().expect(Table.META, STATE_KEY, stateBytes);
    long rewrapped = 0;
    long orphans = 0;
    long unreadable = 0;
    for (KeyValue kv : entries) {
      OptionalInt by = cipher.wrappingKeyId(kv.value());
      if (by.isPresent() && by.getAsInt() == state.getTargetKeyId()) {
        continue;
      }
      String[] ids = SecretRepository.parseRecordKey(kv.key());
      Optional<StoredSecret> secret = secrets.get(ids[0], ids[1]);
      changes.expect(Table.DATA_KEYS, kv.key(), kv.value());
      if (secret.isEmpty()) {
        changes.delete(Table.DATA_KEYS, kv.key());
        orphans++;
        continue;
      }
      try {
        byte[] binding = SecretBinding.of(ids[0], ids[1], secret.get().metadata().version());
        changes.put(Table.DATA_KEYS, kv.key(), cipher.rewrap(kv.value(), binding));
        rewrapped++;
      } catch (CofferException e) {
        if (e.reason() != Reason.CIPHERTEXT_CORRUPT) {
          throw e;
        }
        unreadable++;
      }
    }
    boolean done = entries.size() < page;
    KekRewrapRec.Builder next = state.toBuilder()
        .setScanned(state.getScanned() + entries.size())
        .setRewrapped(state.getRewrapped() + rewrapped)
        .setOrphansRemoved(state.getOrphansRemoved() + orphans)
        .setUnreadable(state.getUnreadable() + unreadable);
    if (!entries.isEmpty()) {
      next.setCursor(ByteString.copyFrom(entries.get(entries.size() - 1).key()));
    }
    if (done) {
      next.setFinishTimeMillis(Math.max(1, clock.millis()));
    }
    changes.put(Table.META, STATE_KEY, next.build().toByteArray());
    String reason = rewrapped + " re-wrapped, " + orphans + " orphaned removed, " + unreadable
        + " unreadable" + (done ? "; done" : "");
    try {
      audit.commit(changes, new AuditEvent(clock.instant(), BootstrapService.DEFAULT_TENANT,
          ACTOR, AuditAction.KEK_REWRAP, "kek/" + Integer.toUnsignedString(
              state.getTargetKeyId()), AuditEvent.ALLOWED, reason, "", ""));
    } catch (CofferException e) {
      if (e.reason() != Reason.CONCURRENT_CHANGE) {
        throw e;
      }
      // A key of this page changed, or a new rotation started: read again.
    }
    return true;
  }

  /**
   * Data keys still wrapped by {@code keyId}: a full scan of DATA_KEYS. A damaged entry
   * names no key and is not counted (no key opens it anyway).
   */
  public long countWrappedBy(int keyId) {
    long count = 0;
    byte[] after = null;
    while (true) {
      List<KeyValue> entries = store.scan(Table.DATA_KEYS, new byte[0], after, 1000);
      for (KeyValue kv : entries) {
        OptionalInt by = cipher.wrappingKeyId(kv.value());
        if (by.isPresent() && by.getAsInt() == keyId) {
          count++;
        }
        after = kv.key();
      }
      if (entries.size() < 1000) {
        return count;
      }
    }
  }

  private static KekRewrapRec parse(byte[] bytes) {
    try {
      return KekRewrapRec.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CofferException(Reason.STORAGE_FAILURE, "the KEK re-wrap record is damaged", e);
    }
  }
}
