package dev.coffer.server.crypto;

import static dev.coffer.server.crypto.TestKeys.ad;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.crypto.tink.Aead;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code env://} and {@code fd://} root keys: what they read, and refusals that leak nothing. */
class InjectedRootKeyTest {
  private static final String GARBAGE = "{\"primaryKeyId\": 1, \"key\": \"SECRET-LOOKING\"}";

  @TempDir Path dir;

  private static RootKeyProviders env(Map<String, String> variables) {
    return RootKeyProviders.standard().withEnvironment(variables::get);
  }

  @Test
  void envKey_decryptsWhatTheSameKeysetEncrypted() throws Exception {
    Path file = dir.resolve("root-key.json");
    Aead fromFile = DevRootKeyFile.loadOrCreate(file).rootAead();
    RootKeyProvider fromEnv = env(Map.of("COFFER_ROOT_KEY_JSON", Files.readString(file)))
        .open("env://COFFER_ROOT_KEY_JSON");
    assertArrayEquals(ad("k"),
        fromEnv.rootAead().decrypt(fromFile.encrypt(ad("k"), ad("ad")), ad("ad")));
    assertEquals("root key environment variable COFFER_ROOT_KEY_JSON", fromEnv.description());
  }

  @Test
  void unsetEmptyOrMalformedVariable_isNamed_andItsValueNeverShown() {
    RootKeyProviders providers = env(Map.of("EMPTY", "  \n", "BAD", GARBAGE,
        "HUGE", "x".repeat(RootKeysetJson.MAX_BYTES + 1)));
    Map<String, String> expected = Map.of(
        "UNSET", "root key environment variable UNSET is not set",
        "EMPTY", "root key environment variable EMPTY is empty",
        "BAD", "root key environment variable BAD is not a valid Tink JSON AEAD keyset",
        "HUGE", "root key environment variable HUGE is too large to be a keyset");
    expected.forEach((name, message) -> {
      KeyringException e =
          assertThrows(KeyringException.class, () -> providers.open("env://" + name));
      assertEquals(message, e.getMessage());
      assertNull(e.getCause(), "a parser's message may quote the value");
    });
  }

  @Test
  void theUriVariableItself_isRefusedAsTheKeyVariable() {
    RootKeyProviders providers = env(Map.of("COFFER_ROOT_KEY", "env://COFFER_ROOT_KEY"));
    KeyringException e =
        assertThrows(KeyringException.class, () -> providers.open("env://COFFER_ROOT_KEY"));
    assertTrue(e.getMessage().startsWith("COFFER_ROOT_KEY holds the root key URI, not the key"),
        e.getMessage());
  }

  @Test
  void fdKey_readsTheDescriptorItIsGiven() throws Exception {
    Path file = dir.resolve("root-key.json");
    Aead fromFile = DevRootKeyFile.loadOrCreate(file).rootAead();
    int[] opened = {-1};
    RootKeyProvider fromFd = RootKeyProviders.standard().withFileDescriptors(fd -> {
      opened[0] = fd;
      return Files.newInputStream(file);
    }).open("fd://7");
    assertEquals(7, opened[0]);
    assertArrayEquals(ad("k"),
        fromFd.rootAead().decrypt(fromFile.encrypt(ad("k"), ad("ad")), ad("ad")));
    assertEquals("root key file descriptor 7", fromFd.description());
    assertEquals("InjectedRootKey[root key file descriptor 7]", fromFd.toString());
  }

  @Test
  void fdFailures_nameTheDescriptor_andSayWhatToDo() {
    assertEquals("cannot read root key file descriptor 5: it is not open (start the server "
        + "with the key on it, e.g. 5<key.json)", fdMessage(5, fd -> {
          throw new NoSuchFileException("/proc/self/fd/5");
        }));
    assertTrue(fdMessage(4, fd -> {
      throw new AccessDeniedException("/proc/self/fd/4");
    }).endsWith("permission denied (fd://4 re-opens the descriptor, so the file's own "
        + "permissions apply; pass it on stdin with fd://0, or use file://)"));
    assertEquals("root key file descriptor 3 is empty",
        fdMessage(3, fd -> new ByteArrayInputStream(new byte[0])));
    assertEquals("root key file descriptor 3 is not a valid Tink JSON AEAD keyset",
        fdMessage(3, fd -> new ByteArrayInputStream(GARBAGE.getBytes(StandardCharsets.UTF_8))));
    assertEquals("root key file descriptor 3 is too large to be a keyset", fdMessage(3,
        fd -> new ByteArrayInputStream(new byte[10 * RootKeysetJson.MAX_BYTES])));
    for (int fd : new int[] {1, 2}) {
      assertTrue(fdMessage(fd, f -> {
        throw new AssertionError("stdout and stderr are never read");
      }).startsWith("fd://" + fd + " is stdout or stderr"));
    }
  }

  @Test
  void aTerminal_isRefusedRatherThanWaitedOn() throws IOException {
    Files.createSymbolicLink(dir.resolve("0"), Path.of("/dev/pts/7"));
    Files.createSymbolicLink(dir.resolve("3"), Path.of("/dev/tty1"));
    InjectedRootKey.FileDescriptors descriptors = InjectedRootKey.descriptors(dir, () -> {
      throw new AssertionError("a terminal is never read");
    });
    for (int fd : new int[] {0, 3}) {
      assertTrue(fdMessage(fd, descriptors).endsWith("it is a terminal; redirect the key file "
          + "into it, e.g. --root-key fd://0 < root-key.json"), fdMessage(fd, descriptors));
    }
  }

  @Test
  void stdin_isReadInPlace_andLeftOpen() throws IOException {
    String json = TestKeys.newKeysetJson();
    AtomicBoolean closed = new AtomicBoolean();
    InputStream stdin = new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)) {
      @Override
      public void close() {
        closed.set(true);
      }
    };
    Files.createSymbolicLink(dir.resolve("0"), Path.of("/does/not/matter"));
    InjectedRootKey key = InjectedRootKey.fromFileDescriptor(0,
        InjectedRootKey.descriptors(dir, () -> stdin));
    assertEquals("root key file descriptor 0", key.description());
    assertFalse(closed.get(), "closing fd 0 would let a later open() reuse it");
  }

  @Test
  void aRealInheritedDescriptor_isReadThroughProcSelfFd() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "Linux /proc");
    Path file = dir.resolve("root-key.json");
    Aead fromFile = DevRootKeyFile.loadOrCreate(file).rootAead();
    try (FileChannel open = FileChannel.open(file, StandardOpenOption.READ)) {
      int fd = descriptorOf(file);

      RootKeyProvider fromFd = RootKeyProviders.fromUri("fd://" + fd);

      assertArrayEquals(ad("k"),
          fromFd.rootAead().decrypt(fromFile.encrypt(ad("k"), ad("ad")), ad("ad")));
      assertTrue(open.isOpen(), "the descriptor stays the process's");
    }
  }

  private static String fdMessage(int fd, InjectedRootKey.FileDescriptors descriptors) {
    return assertThrows(KeyringException.class,
        () -> InjectedRootKey.fromFileDescriptor(fd, descriptors)).getMessage();
  }

  /** The number of this process's descriptor open on {@code file}. */
  private static int descriptorOf(Path file) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(link -> {
        try {
          return Files.readSymbolicLink(link).equals(file.toRealPath());
        } catch (IOException gone) {
          return false;
        }
      }).mapToInt(link -> Integer.parseInt(link.getFileName().toString())).min().orElseThrow();
    }
  }
}
