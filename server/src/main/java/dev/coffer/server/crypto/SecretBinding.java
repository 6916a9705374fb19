package dev.coffer.server.crypto;

import dev.coffer.server.domain.SecretMetadata;
import java.nio.charset.StandardCharsets;

/**
 * The binding of a secret's value to one secret version: the associated data under which
 * {@link EnvelopeCipher} seals the value and wraps its data key, and the context in which
 * {@link VerifierMac} computes its verifier. It is the tenant id, the secret id and the
 * version, each length-prefixed under a fixed label, so no two versions of any secrets
 * share a binding: a sealed value or a verifier copied onto another record does not open or
 * match there. This is the only place the encoding is written; every stored envelope and
 * verifier depends on it byte for byte, so it must never change.
 *
 * <p>Security: the binding holds identifiers only, never a value; it is not secret.
 */
public final class SecretBinding {

  private static final String LABEL = "coffer/secret/v1\n";

  private SecretBinding() {}

  /** The binding of the secret version that {@code metadata} describes. */
  public static byte[] of(SecretMetadata metadata) {
    return of(metadata.tenantId(), metadata.secretId(), metadata.version());
  }

  /**
   * The binding of version {@code version} of secret {@code secretId} in tenant
   * {@code tenantId}, for callers that name a secret before its metadata exists (minting)
   * or by its storage key (re-wrapping).
   */
  public static byte[] of(String tenantId, String secretId, int version) {
    // Lengths are counted in UTF-16 chars (String.length), as since the first release.
    String text = LABEL + tenantId.length() + ":" + tenantId + "\n"
        + secretId.length() + ":" + secretId + "\n" + version;
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
