package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValueFileTest {

  @TempDir Path dir;

  private static final StringReader NO_STDIN = new StringReader("");

  @Test
  void aFileOfExactly4096Bytes_isAccepted() throws Exception {
    Path file = Files.writeString(dir.resolve("max"), "y".repeat(4096));
    assertEquals(4096, ValueFile.read("--value-file", file.toString(), NO_STDIN).length());
  }

  @Test
  void aFileOf4097Bytes_isRefused_evenWhenTrimmingWouldShortenIt() throws Exception {
    Path file = Files.writeString(dir.resolve("big"), "y".repeat(4096) + "\n");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ValueFile.read("--value-file", file.toString(), NO_STDIN));
    assertEquals("--value-file " + file + " is larger than 4096 bytes", e.getMessage());
  }

  @Test
  void multiByteCharactersCountAsTheirUtf8Bytes_onStdin() {
    String tooBig = "é".repeat(2049);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ValueFile.read("--value-file", "-", new StringReader(tooBig)));
    assertTrue(e.getMessage().contains("(stdin) is larger than 4096 bytes"), e.getMessage());
    assertEquals(
        "é".repeat(2048), ValueFile.read("--value-file", "-", new StringReader("é".repeat(2048))));
  }

  @Test
  void moreThan4096CharactersOnStdin_areRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ValueFile.read("--value-file", "-", new StringReader("z".repeat(10_000))));
  }

  @Test
  void aFileThatIsNotUtf8_isRefusedWithoutShowingItsBytes() throws Exception {
    Path file = Files.write(dir.resolve("bin"), new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ValueFile.read("--value-file", file.toString(), NO_STDIN));
    assertEquals("--value-file " + file + " is not UTF-8 text", e.getMessage());
  }

  @Test
  void aDirectory_isAnUnreadableFile() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ValueFile.read("--value-file", dir.toString(), NO_STDIN));
    assertTrue(e.getMessage().startsWith("cannot read --value-file " + dir), e.getMessage());
  }

  @Test
  void theMessageOfAnEmptyStdin_namesStdin_notAFileCalledDash() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ValueFile.read("--value-file", "-", new StringReader("\n")));
    assertTrue(e.getMessage().contains("(stdin) is empty"), e.getMessage());
    assertFalse(e.getMessage().contains("- is"), e.getMessage());
  }
}
