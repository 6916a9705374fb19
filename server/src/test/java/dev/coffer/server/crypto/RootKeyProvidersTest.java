package dev.coffer.server.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.integration.awskms.AwsKmsClient;
import com.google.crypto.tink.integration.gcpkms.GcpKmsClient;
import dev.coffer.server.testing.FakeKms;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which provider a root key URI selects, and the precise refusals; no network. */
class RootKeyProvidersTest {
  private static final String AWS_KEY =
      "aws-kms://arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String GCP_KEY =
      "gcp-kms://projects/acme-prod/locations/europe-west1/keyRings/coffer/cryptoKeys/root";

  private final KmsRegistry kms = RootKeyProviders.standard().kms();

  @Test
  void awsKmsUri_selectsTinksAwsKmsClient() {
    for (String uri : List.of(AWS_KEY, "aws-kms://arn:aws:kms:us-east-1:123456789012:alias/coffer",
        "aws-kms://arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-1a2b3c")) {
      KmsRegistry.Integration chosen = kms.find(uri).orElseThrow();
      assertSame(KmsRegistry.AWS, chosen, uri);
      assertInstanceOf(AwsKmsClient.class, chosen.newClient().get());
      assertTrue(chosen.keyUri().matcher(uri).matches(), uri);
    }
  }

  @Test
  void awsKmsClient_buildsItsAeadFromTheArnsRegion_withoutANetworkCall() throws Exception {
    var aead = new AwsKmsClient().withDefaultCredentials().getAead(AWS_KEY);
    assertEquals("AwsKmsAead", aead.getClass().getSimpleName());
  }

  @Test
  void gcpKmsUri_selectsTinksGcpKmsClient() {
    KmsRegistry.Integration chosen = kms.find(GCP_KEY).orElseThrow();
    assertSame(KmsRegistry.GCP, chosen);
    assertInstanceOf(GcpKmsClient.class, chosen.newClient().get());
    assertTrue(chosen.keyUri().matcher(GCP_KEY).matches());
    assertFalse(KmsRegistry.AWS.supports(GCP_KEY));
    assertFalse(KmsRegistry.GCP.supports(AWS_KEY));
  }

  @Test
  void registeredKms_isCheckedFirst_andOthersStay() {
    RootKeyProviders providers = RootKeyProviders.standard().withKms(FakeKms.INTEGRATION);
    assertSame(FakeKms.INTEGRATION, providers.kms().find(FakeKms.newKeyUri()).orElseThrow());
    assertSame(KmsRegistry.AWS, providers.kms().find(AWS_KEY).orElseThrow());
    assertTrue(kms.find(FakeKms.newKeyUri()).isEmpty(), "the standard registry is unchanged");
  }

  @Test
  void malformedKmsUris_nameTheSchemeAndTheExpectedShape_notTheUri() {
    Map<String, String> expected = Map.of(
        "aws-kms://arn:aws:kms:eu-west-1:SECRETISH:key/k", KmsRegistry.AWS.example(),
        "aws-kms://SECRETISH", KmsRegistry.AWS.example(),
        "gcp-kms://projects/SECRETISH/keyRings/r/cryptoKeys/k", KmsRegistry.GCP.example(),
        "gcp-kms://projects/SECRETISH/locations/l/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1",
        KmsRegistry.GCP.example());
    expected.forEach((uri, shape) -> {
      KeyringException e =
          assertThrows(KeyringException.class, () -> RootKeyProviders.fromUri(uri));
      String scheme = uri.substring(0, 7);
      assertEquals("malformed " + scheme + " root key URI; expected " + shape, e.getMessage());
    });
  }

  @Test
  void unknownScheme_isRefused_listingEverySupportedScheme() {
    KeyringException e = assertThrows(KeyringException.class,
        () -> RootKeyProviders.fromUri("vault://secret/SECRETISH"));
    assertTrue(e.getMessage().startsWith("unsupported root key URI scheme 'vault'; supported: "),
        e.getMessage());
    for (String scheme : List.of("file:///", "env://", "fd://", "aws-kms://", "gcp-kms://")) {
      assertTrue(e.getMessage().contains(scheme), e.getMessage());
    }
    assertFalse(e.getMessage().contains("SECRETISH"), e.getMessage());
  }

  @Test
  void malformedEnvAndFdUris_sayWhatIsExpected() {
    assertEquals("env: root key URI is malformed; expected env://VARIABLE", assertThrows(
        KeyringException.class, () -> RootKeyProviders.fromUri("env:SECRETISH")).getMessage());
    assertEquals("fd: root key URI is malformed; expected fd://N", assertThrows(
        KeyringException.class, () -> RootKeyProviders.fromUri("fd:/3")).getMessage());
    for (String uri : List.of("fd://", "fd://three", "fd://-1", "fd://99999999999")) {
      assertEquals("fd:// root key URI needs a descriptor number, e.g. fd://0 (stdin) or fd://3",
          assertThrows(KeyringException.class, () -> RootKeyProviders.fromUri(uri)).getMessage(),
          uri);
    }
    KeyringException badName = assertThrows(KeyringException.class,
        () -> RootKeyProviders.fromUri("env://{\"primaryKeyId\":SECRETISH}"));
    assertTrue(badName.getMessage().startsWith("env:// root key URI needs an environment "
        + "variable name"), badName.getMessage());
    assertFalse(badName.getMessage().contains("SECRETISH"));
  }

  @Test
  void schemesAreCaseInsensitive_variableNamesAreNot() {
    String json = TestKeys.newKeysetJson();
    RootKeyProviders providers =
        RootKeyProviders.standard().withEnvironment(Map.of("Root_Key", json)::get);
    assertEquals("root key environment variable Root_Key",
        providers.open("ENV://Root_Key").description());
    assertEquals("root key environment variable ROOT_KEY is not set", assertThrows(
        KeyringException.class, () -> providers.open("env://ROOT_KEY")).getMessage());
    assertSame(KmsRegistry.AWS, kms.find(AWS_KEY.replace("aws-kms", "AWS-KMS")).orElseThrow());
  }
}
