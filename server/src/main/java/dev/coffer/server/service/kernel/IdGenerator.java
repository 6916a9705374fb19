package dev.coffer.server.service.kernel;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Unguessable identifiers for records. Identifiers are not secrets (they appear in
 * listings, audit events and keys) but are unpredictable so they cannot be enumerated.
 *
 * <p>A record id starts with its creation time, so ids sort by creation, like ULIDs or
 * version-7 UUIDs: the records and index entries of new secrets land next to each other
 * in RocksDB (cache-friendly memtable inserts, SST files that do not overlap older ones)
 * instead of all over the key space, and listings come out oldest first. The 96 random
 * bits after the time keep ids unpredictable; the time they reveal is the record's
 * creation time, which its metadata shows anyway.
 */
public final class IdGenerator {

  /** Base-36 digits of the millisecond clock: 36^9 ms is past the year 5000. */
  static final int TIME_DIGITS = 9;
  static final int RANDOM_BYTES = 12;

  private final SecureRandom random;
  private final LongSupplier millis;

  public IdGenerator(SecureRandom random) {
    this(random, System::currentTimeMillis);
  }

  IdGenerator(SecureRandom random, LongSupplier millis) {
    this.random = Objects.requireNonNull(random, "random");
    this.millis = Objects.requireNonNull(millis, "millis");
  }

  /**
   * {@code prefix}, the creation time as {@value #TIME_DIGITS} base-36 digits
   * ({@code 0-9a-z}, whose ASCII order is their numeric order), then 96 random bits in
   * base64url (16 characters).
   */
  public String next(String prefix) {
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    String time = Long.toString(Math.max(0, millis.getAsLong()), 36);
    return prefix + "0".repeat(Math.max(0, TIME_DIGITS - time.length())) + time
        + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A random UUID, used for OAuth client ids. */
  public String clientId() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (bytes[i] & 0xff);
      lsb = (lsb << 8) | (bytes[8 + i] & 0xff);
    }
    return new UUID(msb, lsb).toString();
  }
}
