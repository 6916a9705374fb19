package dev.coffer.server.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.crypto.tink.Aead;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code env://} and {@code fd://} with nothing injected: a child JVM started the way an
 * operator would start the server, with the key in its environment, on its stdin and on
 * descriptor 3 ({@code 3<key.json}), loads the same key from each.
 */
class InjectedRootKeyProcessTest {

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void childProcess_loadsTheKeyFromItsEnvironment_itsStdin_andAnInheritedDescriptor()
      throws Exception {
    Path bash = Path.of("/bin/bash");
    assumeTrue(Files.isExecutable(bash) && Files.isDirectory(Path.of("/proc/self/fd")),
        "Linux with bash");
    Path keyFile = dir.resolve("root-key.json");
    Aead expected = DevRootKeyFile.loadOrCreate(keyFile).rootAead();
    Path out = dir.resolve("out.txt");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(bash.toString(), "-c",
        "exec \"$0\" -cp \"$1\" " + RootKeyChildMain.class.getName()
            + " env://COFFER_TEST_ROOT_KEY fd://0 fd://3 fd://999 env://UNSET_ROOT_KEY 3<\"$2\"",
        java.toString(), System.getProperty("java.class.path"), keyFile.toString())
        .redirectInput(keyFile.toFile()).redirectOutput(out.toFile())
        .redirectError(dir.resolve("err.txt").toFile());
    pb.environment().put("COFFER_TEST_ROOT_KEY", Files.readString(keyFile));
    pb.environment().remove("UNSET_ROOT_KEY");

    Process child = pb.start();
    assertTrue(child.waitFor(100, TimeUnit.SECONDS), "child finished");
    assertEquals(0, child.exitValue(), Files.readString(dir.resolve("err.txt")));

    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(5, lines.size(), String.join("\n", lines));
    assertLoaded(expected, lines.get(0), "root key environment variable COFFER_TEST_ROOT_KEY");
    assertLoaded(expected, lines.get(1), "root key file descriptor 0");
    assertLoaded(expected, lines.get(2), "root key file descriptor 3");
    assertEquals("fd://999\tERROR\tcannot read root key file descriptor 999: it is not open "
        + "(start the server with the key on it, e.g. 999<key.json)", lines.get(3));
    assertEquals("env://UNSET_ROOT_KEY\tERROR\troot key environment variable UNSET_ROOT_KEY is "
        + "not set", lines.get(4));
  }

  private static void assertLoaded(Aead expected, String line, String description)
      throws Exception {
    String[] parts = line.split("\t");
    assertEquals(description, parts[1], line);
    byte[] plaintext = expected.decrypt(Base64.getDecoder().decode(parts[2]),
        parts[0].getBytes(StandardCharsets.UTF_8));
    assertEquals("probe", new String(plaintext, StandardCharsets.UTF_8));
  }
}
