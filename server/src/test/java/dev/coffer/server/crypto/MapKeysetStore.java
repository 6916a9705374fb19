package dev.coffer.server.crypto;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** An in-memory {@link KeysetStore} that counts its writes. */
final class MapKeysetStore implements KeysetStore {
  final Map<String, byte[]> entries = new HashMap<>();
  int writeAllCalls;

  @Override
  public synchronized Optional<byte[]> read(String name) {
    return Optional.ofNullable(entries.get(name)).map(byte[]::clone);
  }

  @Override
  public synchronized void writeAll(Map<String, byte[]> encryptedKeysets) {
    writeAllCalls++;
    encryptedKeysets.forEach((name, bytes) -> entries.put(name, bytes.clone()));
  }
}
