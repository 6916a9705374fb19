package dev.coffer.server.fuzz;

import java.util.Arrays;
import java.util.List;

/**
 * Reads choices from fuzzer bytes, deterministically: the same bytes always give the same
 * choices, and past the end every byte reads as zero (before the salt), so any input, even an
 * empty one, is a complete request. Plays the part of Jazzer's {@code FuzzedDataProvider} for a plain {@code byte[]}, so
 * the same target also runs from a seeded PRNG in the short run of every build.
 */
final class ByteSource {

  private final byte[] data;
  private final int salt;
  private int pos;

  ByteSource(byte[] data) {
    this(data, 0);
  }

  /**
   * Reads {@code data} with byte {@code k} XORed with a hash of ({@code salt}, k): one input,
   * a different (but as controllable) reading for each salt.
   */
  ByteSource(byte[] data, int salt) {
    this.data = data;
    this.salt = salt;
  }

  int u8() {
    int k = pos++;
    int b = k < data.length ? data[k] : 0;
    return (b ^ mix(salt, k)) & 0xff;
  }

  /** SplitMix64's finalizer over (salt, position). */
  private static int mix(int salt, int position) {
    long z = salt * 0x9E3779B97F4A7C15L + position * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (int) (z ^ (z >>> 31));
  }

  boolean bool() {
    return (u8() & 1) == 1;
  }

  /** A number in {@code 0..n-1} (n at least 1). */
  int below(int n) {
    if (n <= 1) {
      return 0;
    }
    int v = n <= 256 ? u8() : (u8() << 16) | (u8() << 8) | u8();
    return v % n;
  }

  long i64() {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | u8();
    }
    return v;
  }

  int i32() {
    return (int) i64();
  }

  <T> T pick(List<T> options) {
    return options.get(below(options.size()));
  }

  byte[] bytes(int max) {
    int n = below(max + 1);
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = (byte) u8();
    }
    return out;
  }

  /** Up to {@code max} code points drawn from all of Unicode, weighted towards ASCII. */
  String text(int max) {
    int n = below(max + 1);
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.appendCodePoint(switch (below(4)) {
        case 0, 1 -> 0x20 + below(0x5f);
        case 2 -> below(0x3000);
        default -> below(Character.MAX_CODE_POINT + 1);
      });
    }
    return b.toString();
  }

  /** The bytes not read yet (for raw garbage requests). */
  byte[] rest(int max) {
    int from = Math.min(pos, data.length);
    int to = Math.min(data.length, from + max);
    pos = to;
    return Arrays.copyOfRange(data, from, to);
  }
}
