package dev.coffer.server.service;

import dev.coffer.server.crypto.EnvelopeCipher;
import dev.coffer.server.crypto.SecretGenerator;
import dev.coffer.server.crypto.ValueFormat;
import dev.coffer.server.crypto.VerifierMac;
import dev.coffer.server.domain.SealedSecret;
import dev.coffer.server.domain.SecretKind;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.domain.StoredSecret;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Generates a new secret value and turns it into what storage keeps: a keyed verifier
 * bound to (tenant, secret id, version), and for vaulted secrets the value sealed with the
 * same binding as associated data. The value leaves only through {@link Minted}, whose
 * holder shows it once and closes it.
 */
public final class SecretMinter {

  /** A freshly minted secret: what to store, and the value to show once. */
  public record Minted(StoredSecret stored, SecretValue value) {}

  private final SecretGenerator generator;
  private final VerifierMac verifiers;
  private final EnvelopeCipher cipher;
  private final IdGenerator ids;

  public SecretMinter(SecretGenerator generator, VerifierMac verifiers, EnvelopeCipher cipher,
      IdGenerator ids) {
    this.generator = generator;
    this.verifiers = verifiers;
    this.cipher = cipher;
    this.ids = ids;
  }

  /** @param spec validated settings; {@code spec.expireTime()} null means never */
  public Minted mint(String tenantId, String clientId, String creator, SecretRequest spec,
      Instant now) {
    String secretId = ids.next("sec_");
    int version = 1;
    SecretValue value = generator.generate(ValueFormat.CLIENT_SECRET);
    byte[] binding = binding(tenantId, secretId, version);
    byte[] verifier = verifiers.compute(value, binding);
    SealedSecret sealed = spec.vaulted() ? cipher.seal(value, binding) : null;
    SecretMetadata metadata = new SecretMetadata(tenantId, secretId, clientId,
        spec.displayName(), spec.description(), spec.location(), spec.vaulted(),
        spec.sharingEnabled(), spec.owner(), spec.preapproveOwner(), SecretKind.CLIENT_SECRET,
        ValueFormat.CLIENT_SECRET.hint(value), now, spec.expireTime(), null, creator, version, 1);
    return new Minted(new StoredSecret(metadata, verifier, sealed), value);
  }

  /**
   * The associated data / MAC context of a secret's value: tenant, secret id and version,
   * length-prefixed so that no two bindings share an encoding.
   */
  public static byte[] binding(String tenantId, String secretId, int version) {
    String text = "coffer/secret/v1\n" + tenantId.length() + ":" + tenantId + "\n"
        + secretId.length() + ":" + secretId + "\n" + version;
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
