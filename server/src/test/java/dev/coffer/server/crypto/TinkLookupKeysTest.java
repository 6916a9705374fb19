package dev.coffer.server.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.prf.HmacPrfKey;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfSet;
import com.google.crypto.tink.util.SecretBytes;
import dev.coffer.server.domain.SecretValue;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinkLookupKeysTest {
  private static final String TOKEN = "cfr_at_some-token";

  @TempDir Path dir;

  @Test
  void lookupKeys_deterministicAndKeyed(@TempDir Path otherDir) {
    LookupKeys keys = TestKeys.keyring(dir, "root").lookupKeys();
    LookupKeys other = TestKeys.keyring(otherDir, "other").lookupKeys();

    byte[] first = keys.primary(SecretValue.ofString(TOKEN));

    assertEquals(32, first.length);
    assertArrayEquals(first, keys.primary(SecretValue.ofString(TOKEN)));
    assertFalse(Arrays.equals(first, keys.primary(SecretValue.ofString(TOKEN + "x"))));
    assertFalse(Arrays.equals(first, other.primary(SecretValue.ofString(TOKEN))));
  }

  @Test
  void all_listsPrimaryFirstThenEveryOtherKey() throws GeneralSecurityException {
    KeysetHandle handle = KeysetHandle.newBuilder()
        .addEntry(KeysetHandle.importKey(newPrfKey()).withRandomId())
        .addEntry(KeysetHandle.importKey(newPrfKey()).withRandomId().makePrimary())
        .addEntry(KeysetHandle.importKey(newPrfKey()).withRandomId())
        .build();
    PrfSet prfSet = handle.getPrimitive(TinkRuntime.configuration(), PrfSet.class);
    LookupKeys keys = new TinkLookupKeys(prfSet);
    SecretValue token = SecretValue.ofString(TOKEN);

    List<byte[]> all = keys.all(token);

    assertEquals(3, all.size());
    assertArrayEquals(prfSet.computePrimary(token.bytes(), 32), all.get(0));
    assertArrayEquals(all.get(0), keys.primary(token));
    assertEquals(3, all.stream().map(Arrays::toString).distinct().count());
    for (int i = 0; i < handle.size(); i++) {
      byte[] expected = prfSet.getPrfs().get(handle.getAt(i).getId()).compute(token.bytes(), 32);
      assertEquals(1, all.stream().filter(k -> Arrays.equals(k, expected)).count());
    }
  }

  private static HmacPrfKey newPrfKey() throws GeneralSecurityException {
    return HmacPrfKey.builder()
        .setParameters(PredefinedPrfParameters.HMAC_SHA256_PRF)
        .setKeyBytes(SecretBytes.randomBytes(32))
        .build();
  }
}
