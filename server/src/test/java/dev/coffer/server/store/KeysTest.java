package dev.coffer.server.store;

import static dev.coffer.server.store.KvStoreContract.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeysTest {

  @Test
  void str_isUtf8ThenZero() {
    assertArrayEquals(bytes('a', 0, 0xC3, 0xA9, 0), Keys.builder().str("a").str("é").build());
  }

  @Test
  void str_withNul_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> Keys.builder().str("a\0b"));
  }

  @Test
  void str_withUnpairedSurrogate_isRejected() {
    // Plain getBytes would turn both into '?' and give two names one key.
    assertThrows(IllegalArgumentException.class, () -> Keys.builder().str("x\uD800"));
    assertThrows(IllegalArgumentException.class, () -> Keys.builder().str("\uDC00"));
  }

  @Test
  void segments_areUnambiguous() {
    byte[] abC = Keys.builder().str("ab").str("c").build();
    byte[] aBc = Keys.builder().str("a").str("bc").build();

    assertFalse(Arrays.equals(abC, aBc));
    assertTrue(Arrays.compareUnsigned(aBc, abC) < 0, "(a, bc) sorts before (ab, c)");
  }

  @Test
  void u64_isBigEndianAndSortsUnsigned() {
    assertArrayEquals(bytes(0, 0, 0, 0, 0, 0, 1, 2), Keys.builder().u64(258).build());
    long[] ascending = {0, 1, 255, 256, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, -1};
    for (int i = 1; i < ascending.length; i++) {
      byte[] lower = Keys.builder().u64(ascending[i - 1]).build();
      byte[] higher = Keys.builder().u64(ascending[i]).build();
      assertTrue(Arrays.compareUnsigned(lower, higher) < 0, ascending[i - 1] + " < " + ascending[i]);
    }
  }

  @Test
  void reader_readsBackWhatWasBuilt() {
    byte[] key = Keys.builder().str("tenant-é").u64(-2).str("").raw(bytes(0, 0xFF)).build();

    Keys.Reader r = Keys.reader(key);
    assertEquals("tenant-é", r.str());
    assertEquals(-2, r.u64());
    assertEquals("", r.str());
    assertArrayEquals(bytes(0, 0xFF), r.rest());
    assertFalse(r.hasRemaining());
    assertThrows(IllegalArgumentException.class, r::u64);
    assertThrows(IllegalArgumentException.class, r::str);
  }

  @Test
  void reader_rejectsTruncatedSegments() {
    assertThrows(IllegalArgumentException.class, () -> Keys.reader(bytes('a', 'b')).str());
    assertThrows(IllegalArgumentException.class, () -> Keys.reader(bytes(1, 2, 3)).u64());
    assertThrows(IllegalArgumentException.class, () -> Keys.reader(bytes(0xC3, 0)).str());
  }

  @Test
  void prefixEnd_isTheSmallestKeyAfterThePrefix() {
    assertArrayEquals(bytes(0x01, 0x03), Keys.prefixEnd(bytes(0x01, 0x02)));
    assertArrayEquals(bytes(0x02), Keys.prefixEnd(bytes(0x01, 0xFF)));
    assertArrayEquals(bytes(0xFF), Keys.prefixEnd(bytes(0xFE, 0xFF, 0xFF)));
    assertArrayEquals(bytes(0x00, 0x01), Keys.prefixEnd(bytes(0x00, 0x00)));
    assertArrayEquals(bytes(0x80), Keys.prefixEnd(bytes(0x7F)));
    assertNull(Keys.prefixEnd(new byte[0]));
    assertNull(Keys.prefixEnd(bytes(0xFF, 0xFF)));
  }
}
