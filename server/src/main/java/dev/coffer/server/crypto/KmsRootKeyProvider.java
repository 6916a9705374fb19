package dev.coffer.server.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KmsClient;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.aead.KmsEnvelopeAead;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Locale;

/**
 * A root key that never leaves a key management service: AWS KMS, Google Cloud KMS, or any
 * Tink {@link KmsClient}. The root AEAD is Tink's {@link KmsEnvelopeAead} over the client's
 * remote AEAD: each encryption makes a fresh AES-256-GCM data key locally and has the KMS
 * wrap only that key. The KMS thus sees a few dozen bytes per call, never a keyset, which
 * keeps the KEK keyset, growing with each rotation, clear of AWS KMS's 4 KiB plaintext limit.
 *
 * <p>Every root operation is one KMS request. Coffer uses the root key only when it opens
 * the vault and when a keyset changes (KEK rotation), never per RPC. {@link #open} makes
 * one encrypt and one decrypt request, so that an unreachable KMS, missing permissions or
 * a disabled key are reported as such at start, rather than as a wrong root key.
 *
 * <p>Security property: the vault's keysets can be decrypted only through the KMS, by a
 * caller the KMS authorises, and each use is in the KMS's own audit log; a stolen data
 * directory or backup is useless without that access. Messages name the URI scheme only:
 * not the key URI (a {@code fake-kms://} URI carries key material), never credentials.
 */
public final class KmsRootKeyProvider implements RootKeyProvider {
  private static final byte[] PROBE = "coffer root key probe".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PROBE_AD = "coffer/root-key-probe".getBytes(StandardCharsets.UTF_8);

  private final Aead aead;
  private final String scheme;

  private KmsRootKeyProvider(Aead aead, String scheme) {
    this.aead = aead;
    this.scheme = scheme;
  }

  /**
   * The key {@code keyUri} of {@code client}, which already holds its credentials; checked
   * with one encrypt and one decrypt request.
   *
   * @throws KeyringException if the client refuses the URI, or the probe fails
   */
  public static KmsRootKeyProvider open(KmsClient client, String keyUri) {
    String scheme = schemeOf(keyUri);
    Aead envelope;
    try {
      envelope = KmsEnvelopeAead.create(dataKeyParameters(), client.getAead(keyUri));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new KeyringException("the " + scheme + " client cannot use the root key URI ("
          + rootCause(e) + ")");
    }
    probe(envelope, scheme);
    return new KmsRootKeyProvider(envelope, scheme);
  }

  @Override
  public Aead rootAead() {
    return aead;
  }

  @Override
  public String description() {
    return "cloud KMS root key (" + scheme + ")";
  }

  @Override
  public String toString() {
    return "KmsRootKeyProvider[" + scheme + "]";
  }

  static String schemeOf(String keyUri) {
    int end = keyUri.indexOf("://");
    return end <= 0 ? "kms" : keyUri.substring(0, end).toLowerCase(Locale.ROOT);
  }

  /** The deepest cause's class: enough to tell a network from a permission failure. */
  static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName();
  }

  private static AesGcmParameters dataKeyParameters() throws GeneralSecurityException {
    return AesGcmParameters.builder().setKeySizeBytes(32).setIvSizeBytes(12).setTagSizeBytes(16)
        .setVariant(AesGcmParameters.Variant.NO_PREFIX).build();
  }

  private static void probe(Aead envelope, String scheme) {
    byte[] ciphertext;
    try {
      ciphertext = envelope.encrypt(PROBE, PROBE_AD);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new KeyringException("the " + scheme + " root key cannot encrypt (" + rootCause(e)
          + "): check network access to the KMS, the credentials, and that the key exists, "
          + "is enabled and allows encrypt to this identity", e);
    }
    try {
      if (!Arrays.equals(PROBE, envelope.decrypt(ciphertext, PROBE_AD))) {
        throw new GeneralSecurityException("probe changed");
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new KeyringException("the " + scheme + " root key encrypts but cannot decrypt ("
          + rootCause(e) + "): check that the key allows decrypt to this identity", e);
    }
  }
}
