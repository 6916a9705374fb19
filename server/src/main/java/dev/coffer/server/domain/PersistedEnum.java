package dev.coffer.server.domain;

/**
 * An enum that storage writes to disk by an explicit, stable number, never by its
 * {@code ordinal()}: constants may be reordered or added without changing what stored
 * records mean. A code, once released, is never reused for another constant; the codes
 * and the golden records that pin them are described in {@code docs/storage-format.md}.
 *
 * <p>Decoding a code no constant has is corruption of stored data, not user input, so
 * {@link #fromCode} throws an {@link IllegalStateException} that names the enum and the
 * code (and nothing else: no stored value reaches the message).
 */
public interface PersistedEnum {

  /** The number storage writes for this constant. */
  int code();

  /** The constant of {@code type} whose {@link #code()} is {@code code}. */
  static <E extends Enum<E> & PersistedEnum> E fromCode(Class<E> type, int code) {
    for (E constant : type.getEnumConstants()) {
      if (constant.code() == code) {
        return constant;
      }
    }
    throw new IllegalStateException(
        "stored record holds unknown " + type.getSimpleName() + " code " + code);
  }
}
