package dev.coffer.server.store.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.SealedSecret;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.testing.SecretMetadataVariants;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The storage mapping of a secret's metadata ({@link RecordCodec}) writes and reads back
 * every component of {@link SecretMetadata}, or the component is listed in
 * {@link #NOT_PERSISTED} with the reason. A component added to the record and forgotten
 * by the codec fails here. The API mapping has its own test ({@code SecretApiMappingTest}):
 * the two mappings are separate on purpose.
 */
class SecretStorageMappingTest {

  /** Components the storage record deliberately does not hold, with why. None today. */
  private static final Map<String, String> NOT_PERSISTED = Map.of();

  @Test
  void everyComponentIsWrittenAndReadBack() {
    SecretMetadata base = SecretMetadataVariants.base();
    byte[] baseBytes = RecordCodec.encode(stored(base));
    assertEquals(base, RecordCodec.secret(baseBytes).metadata(), "base round trip");
    for (Map.Entry<String, SecretMetadata> e : SecretMetadataVariants.variants().entrySet()) {
      byte[] bytes = RecordCodec.encode(stored(e.getValue()));
      if (NOT_PERSISTED.containsKey(e.getKey())) {
        assertArrayEquals(baseBytes, bytes, e.getKey() + " is listed as not persisted");
        continue;
      }
      assertFalse(Arrays.equals(baseBytes, bytes), e.getKey() + " is not written");
      assertEquals(e.getValue(), RecordCodec.secret(bytes).metadata(),
          e.getKey() + " is not read back");
    }
  }

  @Test
  void theNotPersistedListNamesComponentsWithReasons() {
    for (Map.Entry<String, String> e : NOT_PERSISTED.entrySet()) {
      assertTrue(SecretMetadataVariants.componentNames().contains(e.getKey()), e.getKey());
      assertFalse(e.getValue().isBlank(), "reason for " + e.getKey());
    }
  }

  private static StoredSecret stored(SecretMetadata m) {
    byte[] ciphertext = "ciphertext".getBytes(StandardCharsets.UTF_8);
    return new StoredSecret(m, "verifier".getBytes(StandardCharsets.UTF_8),
        m.vaulted() ? new SealedSecret(new byte[0], ciphertext) : null);
  }
}
