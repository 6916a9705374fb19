package dev.coffer.server.service;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * Random, unguessable identifiers for records. Identifiers are not secrets (they appear in
 * listings, audit events and keys) but are unpredictable so they cannot be enumerated.
 */
public final class IdGenerator {

  private final SecureRandom random;

  public IdGenerator(SecureRandom random) {
    this.random = random;
  }

  /** {@code prefix} followed by 120 random bits in base64url (20 characters). */
  public String next(String prefix) {
    byte[] bytes = new byte[15];
    random.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
