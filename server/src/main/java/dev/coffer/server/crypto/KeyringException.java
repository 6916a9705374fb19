package dev.coffer.server.crypto;

/**
 * The vault's keys cannot be loaded or created: missing, unreadable or malformed root key
 * file, unsupported root key URI, or a root key that cannot decrypt the stored keysets.
 * A startup error for the operator. Its message is safe to print and log: it names files,
 * URIs schemes and keysets, never key material or file contents.
 */
public final class KeyringException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KeyringException(String safeMessage) {
    super(safeMessage);
  }

  public KeyringException(String safeMessage, Throwable cause) {
    super(safeMessage, cause);
  }
}
