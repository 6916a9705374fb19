package dev.coffer.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.EnumSet;
import java.util.UUID;

/**
 * The Coffer session {@code coffer login} keeps: one file, {@code session.json}, in the CLI's
 * config directory, holding the access token, the server address it was issued by, and its
 * metadata (tenant, principal, token id, expiry).
 *
 * <p>Config directory: {@code $COFFER_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/coffer}, else
 * {@code ~/.config/coffer}; created with mode 0700 when missing.
 *
 * <p>Contract: {@link #save} writes a new file created with POSIX mode 0600 from the start (a
 * permissions attribute at creation, never a chmod after) and moves it over the old one, so no
 * reader ever sees a half-written or wider-open session. {@link #bearerFor} hands the token out
 * only for the server address it came from and only before its expiry, so a session for one
 * server is never sent to another.
 *
 * <p>Security: the token is written only to the file; {@link #toString()} never shows it.
 */
final class SessionFile {

  static final String ENV_CONFIG_DIR = "COFFER_CONFIG_DIR";
  static final String FILE_NAME = "session.json";

  private final Path file;

  private SessionFile(Path file) {
    this.file = file;
  }

  /** The session file of the config directory {@code ctx}'s environment names. */
  static SessionFile of(CliContext ctx) {
    return new SessionFile(configDir(ctx).resolve(FILE_NAME));
  }

  static Path configDir(CliContext ctx) {
    String dir = ctx.env(ENV_CONFIG_DIR);
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir);
    }
    String xdg = ctx.env("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "coffer");
    }
    String home = ctx.env("HOME");
    return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"),
        ".config", "coffer");
  }

  Path path() {
    return file;
  }

  /** A stored session: its token and the facts to show about it. */
  record Session(String address, String tenantId, String principal, String tokenId,
      Instant expireTime, String accessToken) {
    @Override
    public String toString() {
      return "Session[" + principal + ", " + tokenId + ", token=<redacted>]";
    }
  }

  /** Replaces the stored session; a {@link CliFailure} if it cannot be written safely. */
  void save(Session s) {
    JsonObject json = new JsonObject();
    json.addProperty("address", s.address());
    json.addProperty("tenant_id", s.tenantId());
    json.addProperty("principal", s.principal());
    json.addProperty("token_id", s.tokenId());
    json.addProperty("expire_time", s.expireTime() == null ? "" : s.expireTime().toString());
    json.addProperty("access_token", s.accessToken());
    Path dir = file.toAbsolutePath().getParent();
    Path part = dir.resolve("." + FILE_NAME + "." + UUID.randomUUID() + ".part");
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      try (FileChannel channel = FileChannel.open(part,
          EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        channel.write(ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
      }
      try {
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (UnsupportedOperationException e) {
      deleteQuietly(part);
      throw new CliFailure(ExitCodes.OTHER, "cannot keep the session in " + file
          + ": the file system has no POSIX permissions (use --token-file instead)");
    } catch (IOException e) {
      deleteQuietly(part);
      throw new CliFailure(ExitCodes.OTHER, "cannot write the session file " + file + " ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** The stored session, or {@code null} if there is none or it cannot be read. */
  Session load() {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    try {
      JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
          .getAsJsonObject();
      String expire = text(json, "expire_time");
      return new Session(text(json, "address"), text(json, "tenant_id"),
          text(json, "principal"), text(json, "token_id"),
          expire.isEmpty() ? null : Instant.parse(expire), text(json, "access_token"));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The stored token if it was issued by {@code address} and has not expired at {@code now};
   * else {@code null}.
   */
  String bearerFor(String address, Instant now) {
    Session s = load();
    if (s == null || s.accessToken().isBlank() || !s.address().equals(address)) {
      return null;
    }
    return s.expireTime() == null || now.isBefore(s.expireTime()) ? s.accessToken() : null;
  }

  /** Deletes the file; whether there was one. */
  boolean delete() {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.OTHER, "cannot delete the session file " + file + " ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  private static String text(JsonObject json, String key) {
    return json.has(key) && !json.get(key).isJsonNull() ? json.get(key).getAsString() : "";
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // Best effort: a stray part file holds a token only if it was written, and it is 0600.
    }
  }

  @Override
  public String toString() {
    return "SessionFile[" + file + "]";
  }
}
