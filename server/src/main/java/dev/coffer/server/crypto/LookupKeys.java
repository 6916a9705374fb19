package dev.coffer.server.crypto;

import dev.coffer.server.domain.SecretValue;
import java.util.List;

/**
 * Deterministic keyed lookup keys (Tink {@code PrfSet}, HMAC-SHA256) for values that
 * must be found by value, such as bearer tokens. The stored key reveals nothing about
 * the value without the keyset.
 */
public interface LookupKeys {

  /** 32-byte lookup key of {@code value} under the primary PRF, for new records. */
  byte[] primary(SecretValue value);

  /** Lookup keys of {@code value} under every PRF in the keyset, primary first. */
  List<byte[]> all(SecretValue value);
}
