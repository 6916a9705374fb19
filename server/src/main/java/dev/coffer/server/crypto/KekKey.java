package dev.coffer.server.crypto;

/**
 * One key of the key-encryption keyset, as operators see it: its Tink key id, whether it
 * still opens data keys ({@code ENABLED}) or not ({@code DISABLED}), and whether it wraps
 * new data keys (the primary). Never holds key material.
 */
public record KekKey(int id, Status status, boolean primary) {

  /** A KEK key's state; a destroyed key is gone from the keyset altogether. */
  public enum Status { ENABLED, DISABLED }

  /** The key id as operators type it: unsigned decimal, as Tink prints it. */
  public String displayId() {
    return Integer.toUnsignedString(id);
  }
}
