package dev.coffer.server.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KmsClient;
import dev.coffer.server.testing.FakeKms;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KMS root keys through the fake KMS: start-up checks, credentials, what the KMS sees. */
class KmsRootKeyProviderTest {

  @TempDir Path dir;

  /** The fake KMS, with what its remote AEAD is asked to do recorded or made to fail. */
  private static final class ObservedKms implements KmsClient {
    final FakeKms fake = new FakeKms();
    final List<Integer> plaintextSizes = new ArrayList<>();
    final List<String> credentials = new ArrayList<>();
    Exception failEncrypt;
    Exception failDecrypt;
    int calls;

    @Override
    public boolean doesSupport(String keyUri) {
      return fake.doesSupport(keyUri);
    }

    @Override
    public KmsClient withCredentials(String path) {
      credentials.add(path);
      return this;
    }

    @Override
    public KmsClient withDefaultCredentials() {
      credentials.add("default");
      return this;
    }

    @Override
    public Aead getAead(String keyUri) throws GeneralSecurityException {
      Aead remote = fake.getAead(keyUri);
      return new Aead() {
        @Override
        public byte[] encrypt(byte[] plaintext, byte[] ad) throws GeneralSecurityException {
          calls++;
          plaintextSizes.add(plaintext.length);
          if (failEncrypt != null) {
            throw new GeneralSecurityException("encryption failed", failEncrypt);
          }
          return remote.encrypt(plaintext, ad);
        }

        @Override
        public byte[] decrypt(byte[] ciphertext, byte[] ad) throws GeneralSecurityException {
          calls++;
          if (failDecrypt != null) {
            throw new GeneralSecurityException("decryption failed", failDecrypt);
          }
          return remote.decrypt(ciphertext, ad);
        }
      };
    }

    RootKeyProviders providers() {
      return RootKeyProviders.standard().withKms(new KmsRegistry.Integration("observed://K",
          Pattern.compile("fake-kms://.*"), () -> this));
    }
  }

  @Test
  void open_probesTheKmsOnce_withDefaultCredentials() {
    ObservedKms kms = new ObservedKms();
    RootKeyProvider root = kms.providers().open(FakeKms.newKeyUri());
    assertEquals(List.of("default"), kms.credentials);
    assertEquals(2, kms.calls, "one encrypt and one decrypt request");
    assertEquals("cloud KMS root key (fake-kms)", root.description());
    assertEquals("KmsRootKeyProvider[fake-kms]", root.toString());
  }

  @Test
  void credentialsFile_isHandedToTheClient_andAMissingOneIsNamed() throws Exception {
    ObservedKms kms = new ObservedKms();
    Path file = Files.writeString(Files.createFile(dir.resolve("kms.json"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
        "{}");
    kms.providers().withKmsCredentials(file).open(FakeKms.newKeyUri());
    assertEquals(List.of(file.toString()), kms.credentials);

    Path missing = dir.resolve("absent.json");
    KeyringException e = assertThrows(KeyringException.class,
        () -> kms.providers().withKmsCredentials(missing).open(FakeKms.newKeyUri()));
    assertEquals("the KMS credentials file " + missing + " is missing or unreadable",
        e.getMessage());
  }

  @Test
  void credentialsFile_readableByGroupOrOthers_isRefusedLikeARootKeyFile() throws Exception {
    ObservedKms kms = new ObservedKms();
    Path file = Files.writeString(dir.resolve("kms.json"), "{\"private_key\": \"SECRET\"}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    KeyringException e = assertThrows(KeyringException.class,
        () -> kms.providers().withKmsCredentials(file).open(FakeKms.newKeyUri()));
    assertEquals("the KMS credentials file " + file + " is accessible by group or others "
        + "(mode rw-r-----); run: chmod 600 " + file, e.getMessage());
    assertEquals(List.of(), kms.credentials, "the client never saw the file");
  }

  @Test
  void unreachableKms_isReportedAsSuch_notAsAWrongRootKey() {
    ObservedKms kms = new ObservedKms();
    kms.failEncrypt = new ConnectException("connect timed out");
    String uri = FakeKms.newKeyUri();
    KeyringException e =
        assertThrows(KeyringException.class, () -> kms.providers().open(uri));
    assertTrue(e.getMessage().startsWith(
        "the fake-kms root key cannot encrypt (ConnectException): check network access to "
            + "the KMS"), e.getMessage());
    assertFalse(e.getMessage().contains(uri.substring(FakeKms.PREFIX.length())));
  }

  @Test
  void kmsThatEncryptsButDeniesDecrypt_isReportedAsSuch() {
    ObservedKms kms = new ObservedKms();
    kms.failDecrypt = new SecurityException("AccessDenied");
    KeyringException e = assertThrows(KeyringException.class,
        () -> kms.providers().open(FakeKms.newKeyUri()));
    assertEquals("the fake-kms root key encrypts but cannot decrypt (SecurityException): check "
        + "that the key allows decrypt to this identity", e.getMessage());
  }

  @Test
  void clientRefusingTheUri_isAClearError() {
    KeyringException e = assertThrows(KeyringException.class, () -> KmsRootKeyProvider.open(
        new FakeKms(), "fake-kms://AAAA"));
    assertTrue(e.getMessage().startsWith("the fake-kms client cannot use the root key URI ("),
        e.getMessage());
  }

  @Test
  void theKmsSeesOnlyDataKeys_soAKekRotatedManyTimesStaysUnderAwsKms4KibLimit() {
    ObservedKms kms = new ObservedKms();
    Keyring keyring = Keyring.open(kms.providers().open(FakeKms.newKeyUri()),
        new MapKeysetStore());
    for (int i = 0; i < 100; i++) {
      keyring.kek().rotate();
    }
    assertEquals(101, keyring.kek().keys().size());
    int largest = kms.plaintextSizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
    assertTrue(largest <= 64, "the KMS wraps only a data key, saw " + largest + " bytes");
  }
}
