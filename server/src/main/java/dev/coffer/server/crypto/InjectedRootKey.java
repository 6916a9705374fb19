package dev.coffer.server.crypto;

import com.google.crypto.tink.Aead;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A root key handed to the process when it starts, by whatever starts it: the value of an
 * environment variable ({@code env://VAR}, e.g. a Kubernetes Secret through
 * {@code secretKeyRef}) or the content of an inherited file descriptor ({@code fd://N},
 * e.g. systemd {@code StandardInput=file:...} or a shell {@code 3<key.json}), read once at
 * start. The content has the one format of {@link RootKeysetJson}, as in a key file.
 *
 * <p>Security property: the key is never written to disk by Coffer, and its value never
 * appears in a message, {@link #description()} or {@link #toString()}, which name only the
 * variable or the descriptor. It protects a stolen data directory or backup like any root
 * key kept apart from it; it does not protect against someone who can read the process's
 * environment or memory (same user or root).
 */
public final class InjectedRootKey implements RootKeyProvider {
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Aead aead;
  private final String description;

  private InjectedRootKey(Aead aead, String description) {
    this.aead = aead;
    this.description = description;
  }

  /**
   * Opens an inherited file descriptor for reading. Implementations read the descriptor the
   * process inherited, never a file chosen by the content of the URI.
   */
  @FunctionalInterface
  public interface FileDescriptors {
    /**
     * @throws NoSuchFileException if {@code fd} is not open
     * @throws IOException with a {@link FileSystemException#getReason() reason} to show
     */
    InputStream open(int fd) throws IOException;
  }

  /**
   * The key in the environment variable {@code name}, looked up with {@code environment}
   * ({@code System::getenv} in production).
   *
   * @throws KeyringException if the name is not a variable name, or the variable is unset,
   *     empty or not a Tink JSON AEAD keyset
   */
  public static InjectedRootKey fromEnvironment(String name, Function<String, String> environment) {
    if (name == null || !VARIABLE.matcher(name).matches()) {
      throw new KeyringException("env:// root key URI needs an environment variable name "
          + "(letters, digits, '_'), e.g. env://COFFER_ROOT_KEY_JSON");
    }
    if (name.equals("COFFER_ROOT_KEY")) {
      throw new KeyringException("COFFER_ROOT_KEY holds the root key URI, not the key; put the "
          + "keyset in another variable, e.g. env://COFFER_ROOT_KEY_JSON");
    }
    String source = "root key environment variable " + name;
    String value = environment.apply(name);
    if (value == null) {
      throw new KeyringException(source + " is not set");
    }
    return new InjectedRootKey(
        RootKeysetJson.parse(value.getBytes(StandardCharsets.UTF_8), source), source);
  }

  /**
   * The key read, to its end, from the inherited file descriptor {@code fd}, opened with
   * {@code descriptors} ({@link #inheritedDescriptors()} in production).
   *
   * @throws KeyringException if {@code fd} is stdout or stderr, not open, unreadable, a
   *     terminal, empty or not a Tink JSON AEAD keyset
   */
  public static InjectedRootKey fromFileDescriptor(int fd, FileDescriptors descriptors) {
    String source = "root key file descriptor " + fd;
    if (fd == 1 || fd == 2) {
      throw new KeyringException("fd://" + fd + " is stdout or stderr; pass the root key on "
          + "stdin (fd://0) or on a descriptor from 3 up");
    }
    if (fd < 0) {
      throw new KeyringException("fd:// root key URI needs a descriptor number, e.g. fd://0");
    }
    byte[] content;
    try (InputStream in = descriptors.open(fd)) {
      content = RootKeysetJson.readBounded(in);
    } catch (IOException e) {
      throw new KeyringException("cannot read " + source + ": " + describe(e, fd));
    }
    return new InjectedRootKey(RootKeysetJson.parse(content, source), source);
  }

  /**
   * The process's inherited descriptors: {@code 0} is read in place (so a file that
   * systemd's {@code StandardInput=file:} opened needs no permission of the service user);
   * others are opened again through {@code /proc/self/fd/N} ({@code /dev/fd/N} where there
   * is no {@code /proc}), so the file's own permissions apply. A terminal is refused rather
   * than waited on.
   */
  public static FileDescriptors inheritedDescriptors() {
    Path proc = Path.of("/proc/self/fd");
    return descriptors(Files.isDirectory(proc) ? proc : Path.of("/dev/fd"),
        () -> new FileInputStream(FileDescriptor.in));
  }

  /** {@link #inheritedDescriptors()} over another directory of descriptor links (tests). */
  static FileDescriptors descriptors(Path fdDir, Supplier<InputStream> stdin) {
    return fd -> {
      Path link = fdDir.resolve(Integer.toString(fd));
      if (isTerminal(link)) {
        throw new FileSystemException(link.toString(), null, "it is a terminal; redirect the "
            + "key file into it, e.g. --root-key fd://0 < root-key.json");
      }
      if (fd == 0) {
        // Not closed with the stream: closing fd 0 would let a later open() reuse it.
        InputStream in = stdin.get();
        return new FilterInputStream(in) {
          @Override
          public void close() {}
        };
      }
      return Files.newInputStream(link);
    };
  }

  @Override
  public Aead rootAead() {
    return aead;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return "InjectedRootKey[" + description + "]";
  }

  private static boolean isTerminal(Path link) {
    try {
      String target = Files.readSymbolicLink(link).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")
          || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException notALink) {
      return false;
    }
  }

  private static String describe(IOException e, int fd) {
    if (e instanceof NoSuchFileException) {
      return "it is not open (start the server with the key on it, e.g. " + fd + "<key.json)";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied (fd://" + fd + " re-opens the descriptor, so the file's own "
          + "permissions apply; pass it on stdin with fd://0, or use file://)";
    }
    if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
      return ((FileSystemException) e).getReason();
    }
    return e.getClass().getSimpleName();
  }
}
