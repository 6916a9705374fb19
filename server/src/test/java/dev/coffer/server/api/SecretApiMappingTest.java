package dev.coffer.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.Secret;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.testing.SecretMetadataVariants;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API mapping of a secret's metadata ({@link ProtoMapper#secret}) shows every
 * component of {@link SecretMetadata}, or the component is listed in {@link #NOT_IN_API}
 * with the reason. A component added to the record and forgotten by the mapper fails
 * here; so does a listed one that the API starts to show. The storage mapping has its own
 * test ({@code SecretStorageMappingTest}): the two mappings are separate on purpose.
 */
class SecretApiMappingTest {

  /** Components a client never sees, with why. */
  private static final Map<String, String> NOT_IN_API = Map.of(
      "tenantId", "a caller sees only its own tenant; resource names are relative to it",
      "version", "internal: bound into the value's associated data; clients see the etag");

  @Test
  void everyComponentChangesTheApiSecretUnlessListed() {
    Instant now = SecretMetadataVariants.NOW;
    Secret base = ProtoMapper.secret(SecretMetadataVariants.base(), now);
    for (Map.Entry<String, SecretMetadata> e : SecretMetadataVariants.variants().entrySet()) {
      Secret mapped = ProtoMapper.secret(e.getValue(), now);
      if (NOT_IN_API.containsKey(e.getKey())) {
        assertEquals(base, mapped, e.getKey() + " is listed as not in the API");
      } else {
        assertNotEquals(base, mapped, e.getKey() + " is not mapped to the API");
      }
    }
  }

  @Test
  void theNotInApiListNamesComponentsWithReasons() {
    for (Map.Entry<String, String> e : NOT_IN_API.entrySet()) {
      assertTrue(SecretMetadataVariants.componentNames().contains(e.getKey()), e.getKey());
      assertFalse(e.getValue().isBlank(), "reason for " + e.getKey());
    }
  }
}
