package dev.coffer.server.testing;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KmsClient;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.config.TinkConfig2026;
import dev.coffer.server.crypto.KmsRegistry;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A KMS for tests with the contract of Tink's {@code com.google.crypto.tink.testing
 * .FakeKmsClient}: a key URI {@code fake-kms://<URL-safe base64 of a binary Tink AEAD
 * keyset>} carries its own key, and {@link KmsClient#getAead} returns that keyset's AEAD.
 * Two URIs are two different keys, and no network is involved.
 *
 * <p>Why not Tink's own: Tink Java does not publish its {@code FakeKmsClient} to Maven
 * Central (it is in none of the {@code tink}, {@code tink-awskms}, {@code tink-gcpkms}
 * jars), and the one fake those jars do hold, {@code tink-gcpkms}'s package-private
 * {@code FakeKeyManagementServiceClient}, fakes the gRPC {@code google-cloud-kms} client,
 * which this build leaves out. So this class mirrors the contract, and is registered
 * through the same {@link KmsRegistry} as the AWS and GCP clients.
 */
public final class FakeKms implements KmsClient {
  public static final String PREFIX = "fake-kms://";

  /** The registry entry tests add with {@code RootKeyProviders.withKms}. */
  public static final KmsRegistry.Integration INTEGRATION = new KmsRegistry.Integration(
      PREFIX + "BASE64URL_KEYSET", Pattern.compile("(?i:fake-kms)://[A-Za-z0-9_-]+={0,2}"),
      FakeKms::new);

  /** A new key: its URI. */
  public static String newKeyUri() {
    try {
      KeysetHandle handle =
          KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, TinkConfig2026.get());
      return PREFIX + Base64.getUrlEncoder().encodeToString(TinkProtoKeysetFormat
          .serializeKeyset(handle, InsecureSecretKeyAccess.get(), TinkConfig2026.get()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean doesSupport(String keyUri) {
    return keyUri != null && keyUri.toLowerCase(Locale.ROOT).startsWith(PREFIX);
  }

  @Override
  public KmsClient withCredentials(String credentialPath) {
    return this;
  }

  @Override
  public KmsClient withDefaultCredentials() {
    return this;
  }

  @Override
  public Aead getAead(String keyUri) throws GeneralSecurityException {
    if (!doesSupport(keyUri)) {
      throw new GeneralSecurityException("not a fake-kms key URI");
    }
    byte[] keyset;
    try {
      keyset = Base64.getUrlDecoder().decode(keyUri.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("fake-kms key URI is not base64url", e);
    }
    return TinkProtoKeysetFormat.parseKeyset(keyset, InsecureSecretKeyAccess.get(),
        TinkConfig2026.get()).getPrimitive(TinkConfig2026.get(), Aead.class);
  }
}
