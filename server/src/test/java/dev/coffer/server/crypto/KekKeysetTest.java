package dev.coffer.server.crypto;

import static dev.coffer.server.crypto.TestKeys.ad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.coffer.server.domain.SealedSecret;
import dev.coffer.server.domain.SecretValue;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KekKeysetTest {
  private static final byte[] AD = ad("tenant-1/secret-1/v1");

  @TempDir Path dir;

  @Test
  void rotate_makesANewPrimaryThatIsPersisted_andOldDataKeysStillOpen() {
    DevRootKeyFile root = TestKeys.rootKey(dir, "root");
    MapKeysetStore store = new MapKeysetStore();
    Keyring keyring = Keyring.open(root, store);
    SealedSecret before = keyring.envelopeCipher().seal(SecretValue.ofString("old"), AD);
    int first = keyring.kek().primary().id();

    KekKey rotated = keyring.kek().rotate();

    assertNotEquals(first, rotated.id());
    assertEquals(rotated.id(), keyring.envelopeCipher().primaryKeyId());
    SealedSecret after = keyring.envelopeCipher().seal(SecretValue.ofString("new"), AD);
    Keyring reopened = Keyring.open(root, store);
    assertEquals(rotated, reopened.kek().primary());
    assertEquals(2, reopened.kek().keys().size());
    try (SecretValue a = reopened.envelopeCipher().open(before, AD);
        SecretValue b = reopened.envelopeCipher().open(after, AD)) {
      assertEquals("old", a.reveal());
      assertEquals("new", b.reveal());
    }
  }
}
