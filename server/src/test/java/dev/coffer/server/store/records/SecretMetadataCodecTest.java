package dev.coffer.server.store.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.testing.SecretMetadataVariants;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A secret's metadata alone round-trips every component, and carries nothing of its value. */
class SecretMetadataCodecTest {

  @Test
  void everyComponent_survivesTheRoundTrip() {
    SecretMetadata base = SecretMetadataVariants.base();
    assertEquals(base, SecretMetadataCodec.decode(SecretMetadataCodec.encode(base)));
    for (Map.Entry<String, SecretMetadata> v : SecretMetadataVariants.variants().entrySet()) {
      assertEquals(v.getValue(), SecretMetadataCodec.decode(SecretMetadataCodec.encode(
          v.getValue())), v.getKey());
    }
  }

  @Test
  void theBytesHoldNoVerifierSealedValueOrLeakLookupKey() {
    StoredSecret decoded = RecordCodec.secret(SecretMetadataCodec.encode(
        SecretMetadataVariants.base()));
    assertEquals(0, decoded.verifier().length);
    assertEquals(0, decoded.sealed().ciphertext().length);
    assertEquals(0, decoded.leakLookupKey().length);
  }
}
