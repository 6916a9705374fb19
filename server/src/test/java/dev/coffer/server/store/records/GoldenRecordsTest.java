package dev.coffer.server.store.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.coffer.server.domain.StoredSecret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Compatibility of the storage format: the golden files hold records as an earlier
 * version wrote them (see {@link GoldenRecords}); they must decode to the same values,
 * and the codec must still write the same bytes, so vaults already on disk read
 * unchanged and a renumbered enum constant or field fails here.
 */
class GoldenRecordsTest {

  @Test
  void principalsDecodeAndEncodeAsWritten() throws IOException {
    check(GoldenRecords.principals());
  }

  @Test
  void tenantsDecodeAndEncodeAsWritten() throws IOException {
    check(GoldenRecords.tenants());
  }

  @Test
  void tenantsWithTheFederatedSignInSwitch_decodeAndEncodeAsWritten() throws IOException {
    check(GoldenRecords.tenantsV2());
  }

  @Test
  void aTenantWrittenBeforeTheSwitch_readsWithItOff() throws IOException {
    for (byte[] old : read(GoldenRecords.tenants().file()).values()) {
      assertEquals(false, RecordCodec.tenant(old).policy().federatedUserSignInOnly());
    }
  }

  @Test
  void applicationsDecodeAndEncodeAsWritten() throws IOException {
    check(GoldenRecords.applications());
  }

  @Test
  void trustedIssuersDecodeAndEncodeAsWritten() throws IOException {
    check(GoldenRecords.trustedIssuers());
  }

  @Test
  void accessRequestsDecodeAndEncodeAsWritten() throws IOException {
    check(GoldenRecords.accessRequests());
  }

  @Test
  void secretsDecodeAndEncodeAsWritten() throws IOException {
    GoldenRecords.Set<StoredSecret> set = GoldenRecords.secrets();
    Map<String, byte[]> golden = read(set.file());
    assertEquals(set.records().keySet(), golden.keySet(), set.file() + " labels");
    for (var e : set.records().entrySet()) {
      String label = set.file() + " " + e.getKey();
      StoredSecret want = e.getValue();
      StoredSecret got = set.decoder().apply(golden.get(e.getKey()));
      assertEquals(want.metadata(), got.metadata(), label);
      assertArrayEquals(want.verifier(), got.verifier(), label + " verifier");
      assertArrayEquals(want.leakLookupKey(), got.leakLookupKey(), label + " lookup key");
      if (want.sealed() == null) {
        assertNull(got.sealed(), label + " sealed");
      } else {
        assertNotNull(got.sealed(), label + " sealed");
        assertArrayEquals(want.sealed().ciphertext(), got.sealed().ciphertext(), label);
      }
      assertEquals(hex(golden.get(e.getKey())), hex(set.encoder().apply(want)),
          label + " encoding");
    }
  }

  private static <T> void check(GoldenRecords.Set<T> set) throws IOException {
    Map<String, byte[]> golden = read(set.file());
    assertEquals(set.records().keySet(), golden.keySet(), set.file() + " labels");
    for (var e : set.records().entrySet()) {
      String label = set.file() + " " + e.getKey();
      assertEquals(e.getValue(), set.decoder().apply(golden.get(e.getKey())), label);
      assertEquals(hex(golden.get(e.getKey())), hex(set.encoder().apply(e.getValue())),
          label + " encoding");
    }
  }

  private static Map<String, byte[]> read(String file) throws IOException {
    try (InputStream in = GoldenRecordsTest.class.getResourceAsStream("/golden/" + file)) {
      assertNotNull(in, "golden file " + file);
      Map<String, byte[]> records = new LinkedHashMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.trim().split(" ");
        assertEquals(2, parts.length, "golden line in " + file + ": " + parts[0]);
        records.put(parts[0], HexFormat.of().parseHex(parts[1]));
      }
      return records;
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
