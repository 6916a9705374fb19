package dev.coffer.server.crypto;

import java.util.Map;
import java.util.Optional;

/**
 * Where encrypted keysets are kept (in production, the vault's own RocksDB, so that a
 * backup holds keys and data together). Only keysets already encrypted by the root key
 * ever pass through it.
 */
public interface KeysetStore {

  Optional<byte[]> read(String name);

  /** Writes all entries atomically and durably. */
  void writeAll(Map<String, byte[]> encryptedKeysets);
}
