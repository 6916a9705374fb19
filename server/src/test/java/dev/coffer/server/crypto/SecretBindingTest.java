package dev.coffer.server.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SealedSecret;
import dev.coffer.server.domain.SecretKind;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretValue;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every stored envelope and verifier was made under this encoding: the golden values were
 * written by the code before {@link SecretBinding} existed ({@code SecretMinter.binding}), so
 * a change to the encoding that would strand existing vaults fails here.
 */
class SecretBindingTest {

  @TempDir Path dir;

  @Test
  void bytesEqualTheGoldenValuesOfEarlierReleases() {
    assertEquals("636f666665722f7365637265742f76310a363a74656e5f37510a373a7365635f4162330a34",
        hex(SecretBinding.of("ten_7Q", "sec_Ab3", 4)));
    // the leak-report decoy
    assertEquals("636f666665722f7365637265742f76310a303a0a353a6465636f790a31",
        hex(SecretBinding.of("", "decoy", 1)));
    // non-ASCII and separators inside ids; lengths count UTF-16 chars, not bytes
    assertEquals("636f666665722f7365637265742f76310a333a74c3a96e0a353a733a310a320a3132",
        hex(SecretBinding.of("t\u00e9n", "s:1\n2", 12)));
  }

  @Test
  void ofMetadata_bindsItsTenantSecretAndVersion() {
    SecretMetadata m = metadata("ten_7Q", "sec_Ab3", 4);
    assertArrayEquals(SecretBinding.of("ten_7Q", "sec_Ab3", 4), SecretBinding.of(m));
  }

  @Test
  void differentSecretVersions_neverShareABinding() {
    List<byte[]> bindings = List.of(
        SecretBinding.of("t", "s", 1),
        SecretBinding.of("t", "s", 2),
        SecretBinding.of("u", "s", 1),
        SecretBinding.of("t", "r", 1),
        SecretBinding.of("t\n1:s", "", 1), // would collide without the length prefixes
        SecretBinding.of("", "t\n1:s", 1));
    for (int i = 0; i < bindings.size(); i++) {
      for (int j = i + 1; j < bindings.size(); j++) {
        assertFalse(Arrays.equals(bindings.get(i), bindings.get(j)), i + " vs " + j);
      }
    }
  }

  @Test
  void aValueSealedForOneVersion_opensOnlyUnderThatVersionsBinding() {
    EnvelopeCipher cipher = TestKeys.keyring(dir, "root").envelopeCipher();
    SecretMetadata v4 = metadata("ten_7Q", "sec_Ab3", 4);
    SealedSecret sealed = cipher.seal(SecretValue.ofString("cfr_sc_value"), SecretBinding.of(v4));
    try (SecretValue opened = cipher.open(sealed, SecretBinding.of(v4))) {
      assertEquals("cfr_sc_value", opened.reveal());
    }
    CofferException e = assertThrows(CofferException.class,
        () -> cipher.open(sealed, SecretBinding.of(metadata("ten_7Q", "sec_Ab3", 5))));
    assertEquals(Reason.CIPHERTEXT_CORRUPT, e.reason());
  }

  private static SecretMetadata metadata(String tenantId, String secretId, int version) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return SecretMetadata.builder()
        .tenantId(tenantId).secretId(secretId).holderId("app_1").displayName("name")
        .location("/").vaulted(true).owner("owner").kind(SecretKind.CLIENT_SECRET).hint("abc")
        .createTime(t).creator("creator").version(version).revision(1)
        .build();
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
