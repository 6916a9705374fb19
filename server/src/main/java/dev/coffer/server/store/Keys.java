package dev.coffer.server.store;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Builds and reads composite keys whose byte order (unsigned, as {@link KvStore} compares)
 * is the order of their segments, compared left to right.
 *
 * <p>Encoding, one segment after another, with no header:
 * <ul>
 *   <li><b>string</b>: its UTF-8 bytes, then one {@code 0x00} terminator. Strings holding
 *       U+0000 or unpaired surrogates are rejected, so the encoding is one-to-one.
 *       UTF-8 byte order is code point order, and the terminator is smaller than every byte
 *       of a UTF-8 string, so {@code "a" < "ab"} holds for the keys too. The terminator also
 *       removes prefix ambiguity: {@code ("ab","c")} is {@code ab\0c\0} and
 *       {@code ("a","bc")} is {@code a\0bc\0}; a prefix built from complete string segments
 *       matches only keys whose leading segments are exactly those strings.
 *   <li><b>u64</b>: 8 bytes big-endian, read as unsigned ({@code -1} sorts last). Use it for
 *       counters and epoch times, which are never negative.
 *   <li><b>raw</b>: the bytes as they are, unterminated. Put raw bytes last, or give them a
 *       fixed length, or they become ambiguous.
 * </ul>
 *
 * <p>Note that code point order differs from {@link String#compareTo} (UTF-16 units) only
 * between supplementary characters and U+E000..U+FFFF.
 *
 * <p>Security: keys are stored in the clear and appear in storage files; build them only
 * from non-secret identifiers, never from secret values or tokens.
 */
public final class Keys {

  private static final byte TERMINATOR = 0x00;

  private Keys() {}

  /** A new, empty key builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A reader over the segments of {@code key}, from its first byte. */
  public static Reader reader(byte[] key) {
    return new Reader(key);
  }

  /**
   * The smallest key greater than every key that starts with {@code prefix}, or
   * {@code null} when there is none (the prefix is empty or all {@code 0xFF}): drops the
   * trailing {@code 0xFF} bytes, then adds one to the last byte left.
   */
  public static byte[] prefixEnd(byte[] prefix) {
    int end = prefix.length;
    while (end > 0 && prefix[end - 1] == (byte) 0xFF) {
      end--;
    }
    if (end == 0) {
      return null;
    }
    byte[] bound = Arrays.copyOf(prefix, end);
    bound[end - 1]++;
    return bound;
  }

  /** Appends segments; not thread-safe. */
  public static final class Builder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    private Builder() {}

    /**
     * Appends a UTF-8 string and its {@code 0x00} terminator.
     *
     * @throws IllegalArgumentException if {@code s} holds U+0000 or an unpaired surrogate
     */
    public Builder str(String s) {
      Objects.requireNonNull(s, "s");
      if (s.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("key segment contains U+0000");
      }
      out.writeBytes(encode(s));
      out.write(TERMINATOR);
      return this;
    }

    /** Appends {@code v} as 8 big-endian bytes, ordered as an unsigned number. */
    public Builder u64(long v) {
      out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(v).array());
      return this;
    }

    /** Appends {@code bytes} unterminated; see the class comment. */
    public Builder raw(byte[] bytes) {
      out.writeBytes(bytes);
      return this;
    }

    public byte[] build() {
      return out.toByteArray();
    }

    private static byte[] encode(String s) {
      if (!hasSurrogate(s)) {
        return s.getBytes(StandardCharsets.UTF_8); // exact: only surrogates can be unpaired
      }
      CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      try {
        ByteBuffer bytes = encoder.encode(CharBuffer.wrap(s));
        return Arrays.copyOf(bytes.array(), bytes.limit());
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("key segment is not valid Unicode", e);
      }
    }

    private static boolean hasSurrogate(String s) {
      for (int i = 0; i < s.length(); i++) {
        if (Character.isSurrogate(s.charAt(i))) {
          return true;
        }
      }
      return false;
    }
  }

  /** Reads segments back in the order they were appended; not thread-safe. */
  public static final class Reader {
    private final byte[] key;
    private int pos;

    private Reader(byte[] key) {
      this.key = Objects.requireNonNull(key, "key");
    }

    /** Reads a string segment; {@link IllegalArgumentException} if none is next. */
    public String str() {
      int end = pos;
      while (end < key.length && key[end] != TERMINATOR) {
        end++;
      }
      if (end == key.length) {
        throw new IllegalArgumentException("no terminated string segment at " + pos);
      }
      if (isAscii(pos, end)) { // ASCII is valid UTF-8 as it is
        String s = new String(key, pos, end - pos, StandardCharsets.US_ASCII);
        pos = end + 1;
        return s;
      }
      CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      try {
        String s = decoder.decode(ByteBuffer.wrap(key, pos, end - pos)).toString();
        pos = end + 1;
        return s;
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("string segment is not UTF-8 at " + pos, e);
      }
    }

    private boolean isAscii(int from, int to) {
      for (int i = from; i < to; i++) {
        if (key[i] < 0) {
          return false;
        }
      }
      return true;
    }

    /** Reads an 8-byte unsigned segment; {@link IllegalArgumentException} if too short. */
    public long u64() {
      require(Long.BYTES);
      long v = ByteBuffer.wrap(key, pos, Long.BYTES).getLong();
      pos += Long.BYTES;
      return v;
    }

    /** Reads {@code n} raw bytes; {@link IllegalArgumentException} if too short. */
    public byte[] raw(int n) {
      require(n);
      byte[] out = Arrays.copyOfRange(key, pos, pos + n);
      pos += n;
      return out;
    }

    /** Reads every byte left. */
    public byte[] rest() {
      return raw(key.length - pos);
    }

    public boolean hasRemaining() {
      return pos < key.length;
    }

    private void require(int n) {
      if (n < 0 || key.length - pos < n) {
        throw new IllegalArgumentException("key too short: " + n + " bytes wanted at " + pos);
      }
    }
  }
}
