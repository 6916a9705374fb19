package dev.coffer.server.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.Aead;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevRootKeyFileTest {
  @TempDir Path dir;

  @Test
  void devRootKeyFile_createdWithMode0600() throws IOException {
    Path file = dir.resolve("a/b/root-key.json");

    DevRootKeyFile key = DevRootKeyFile.loadOrCreate(file);

    assertTrue(key.created());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    try (var listing = Files.list(file.getParent())) {
      assertEquals(1, listing.count(), "temporary file left behind");
    }
  }

  @Test
  void secondLoadOrCreate_loadsTheSameKey() throws GeneralSecurityException {
    Path file = dir.resolve("root-key.json");
    Aead first = DevRootKeyFile.loadOrCreate(file).rootAead();
    byte[] ciphertext = first.encrypt(new byte[] {42}, new byte[] {1});

    DevRootKeyFile again = DevRootKeyFile.loadOrCreate(file);

    assertFalse(again.created());
    assertArrayEquals(new byte[] {42}, again.rootAead().decrypt(ciphertext, new byte[] {1}));
  }

  @Test
  void fileHoldsATinkJsonKeyset() throws IOException {
    Path file = dir.resolve("root-key.json");
    DevRootKeyFile.loadOrCreate(file);
    String json = Files.readString(file);
    assertTrue(json.contains("\"primaryKeyId\""), "not Tink JSON");
    assertTrue(json.contains("AesGcmKey"), "not an AES-GCM keyset");
  }

  @Test
  void missingFile_isAKeyringException() {
    Path file = dir.resolve("nope.json");
    KeyringException e = assertThrows(KeyringException.class, () -> DevRootKeyFile.load(file));
    assertEquals("root key file not found: " + file, e.getMessage());
  }

  @Test
  void malformedFile_isAKeyringExceptionThatDoesNotQuoteIt() throws IOException {
    Path file = dir.resolve("bad.json");
    Files.createFile(file, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, "{\"primaryKeyId\": \"SECRET-LOOKING-GARBAGE\"");

    KeyringException e = assertThrows(KeyringException.class, () -> DevRootKeyFile.load(file));

    assertEquals("root key file " + file + " is not a valid Tink JSON AEAD keyset", e.getMessage());
    assertEquals(null, e.getCause());
  }

  @Test
  void groupReadableFile_isRefused() throws IOException {
    Path file = dir.resolve("root-key.json");
    DevRootKeyFile.loadOrCreate(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

    KeyringException e = assertThrows(KeyringException.class, () -> DevRootKeyFile.load(file));

    assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
  }

  @Test
  void description_namesTheFileOnly() throws IOException {
    Path file = dir.resolve("root-key.json");
    DevRootKeyFile key = DevRootKeyFile.loadOrCreate(file);
    assertEquals("development root key file " + file, key.description());
    String json = Files.readString(file, StandardCharsets.UTF_8);
    assertFalse(json.contains(key.description()));
    assertEquals("DevRootKeyFile[" + file + "]", key.toString());
  }

  @Test
  void fileUri_loadsAnExistingKeyFile() throws GeneralSecurityException {
    Path file = dir.resolve("root-key.json");
    Aead created = DevRootKeyFile.loadOrCreate(file).rootAead();
    byte[] ciphertext = created.encrypt(new byte[] {7}, new byte[0]);

    RootKeyProvider provider = RootKeyProviders.fromUri(file.toUri().toString());

    assertArrayEquals(new byte[] {7}, provider.rootAead().decrypt(ciphertext, new byte[0]));
  }

  @Test
  void fileUri_doesNotCreateAMissingKeyFile() {
    Path file = dir.resolve("absent.json");
    assertThrows(KeyringException.class, () -> RootKeyProviders.fromUri(file.toUri().toString()));
    assertFalse(Files.exists(file));
  }

  @Test
  void otherUris_areRefusedWithTheSupportedList() {
    for (String uri : new String[] {"", "http://x/y", "relative/path", "file:relative", "::"}) {
      KeyringException e =
          assertThrows(KeyringException.class, () -> RootKeyProviders.fromUri(uri));
      assertTrue(e.getMessage().contains("file:///"), e.getMessage());
    }
  }
}
