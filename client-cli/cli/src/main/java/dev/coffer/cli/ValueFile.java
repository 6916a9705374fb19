package dev.coffer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a credential value being imported from a file, or from stdin when the name is {@code -}:
 * at most {@value #MAX_BYTES} bytes of UTF-8, surrounding whitespace trimmed. Works on pipes and
 * process substitution ({@code <(pass show x)}), which have no size up front.
 *
 * <p>Contract: a missing, unreadable, empty (after trimming), oversized or non-UTF-8 source is an
 * {@link IllegalArgumentException} whose message names the option and the file only. Security:
 * the content never enters a message; the byte and char buffers read are zeroed before return.
 */
final class ValueFile {

  /** The largest value the API accepts. */
  static final int MAX_BYTES = 4096;

  private ValueFile() {}

  /** The trimmed value of {@code name} ({@code -}: {@code stdin}); {@code option} names the flag. */
  static String read(String option, String name, Reader stdin) {
    String raw = name.equals("-") ? fromReader(option, stdin) : fromFile(option, Path.of(name));
    String value = raw.strip();
    if (value.isEmpty()) {
      throw new IllegalArgumentException(
          option + " " + where(name) + " is empty: it must hold the credential value");
    }
    return value;
  }

  private static String fromFile(String option, Path file) {
    byte[] bytes = null;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw tooLarge(option, file.toString());
      }
      return decode(option, file.toString(), bytes);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(option + " " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + option + " " + file + " (" + e.getClass().getSimpleName() + ")");
    } finally {
      if (bytes != null) {
        Arrays.fill(bytes, (byte) 0);
      }
    }
  }

  private static String fromReader(String option, Reader stdin) {
    char[] chars = new char[MAX_BYTES + 1];
    try {
      int n = 0;
      int r;
      while (n < chars.length && (r = stdin.read(chars, n, chars.length - n)) >= 0) {
        n += r;
      }
      if (n > MAX_BYTES) {
        throw tooLarge(option, "-");
      }
      String value = new String(chars, 0, n);
      if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
        throw tooLarge(option, "-");
      }
      return value;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read stdin for " + option);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  private static String decode(String option, String name, byte[] bytes) {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes));
      String value = chars.toString();
      Arrays.fill(chars.array(), '\0');
      return value;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(option + " " + name + " is not UTF-8 text");
    }
  }

  private static IllegalArgumentException tooLarge(String option, String name) {
    return new IllegalArgumentException(
        option + " " + where(name) + " is larger than " + MAX_BYTES + " bytes");
  }

  private static String where(String name) {
    return name.equals("-") ? "(stdin)" : name;
  }
}
