package dev.coffer.server.service.secrets;

import dev.coffer.server.crypto.EnvelopeCipher;
import dev.coffer.server.crypto.JwtSigningKeys;
import dev.coffer.server.crypto.LookupKeys;
import dev.coffer.server.crypto.PrivateKeyPem;
import dev.coffer.server.crypto.SecretBinding;
import dev.coffer.server.crypto.SecretGenerator;
import dev.coffer.server.crypto.ValueFormat;
import dev.coffer.server.crypto.VerifierMac;
import dev.coffer.server.domain.KeyAlgorithm;
import dev.coffer.server.domain.PublicKeyInfo;
import dev.coffer.server.domain.SealedSecret;
import dev.coffer.server.domain.SecretKind;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.service.kernel.IdGenerator;
import java.time.Instant;

/**
 * Generates a new secret value and turns it into what storage keeps: a keyed verifier
 * bound to (tenant, secret id, version), the keyed lookup key that finds the secret from its
 * value alone (leak reports), and for vaulted secrets the value sealed with the same binding
 * as associated data. A signing key is a key pair instead: storage keeps its public key (and,
 * vaulted, its sealed private JWK); the private key leaves once as PEM and JWK. The value
 * leaves only through {@link Minted}, whose holder shows it once and closes it.
 */
public final class SecretMinter {

  /**
   * A freshly minted secret: what to store, and the value to show once (for a signing key:
   * the private key as PKCS#8 PEM, and {@code privateJwk} the same key as a JWK; null
   * otherwise).
   */
  public record Minted(StoredSecret stored, SecretValue value, SecretValue privateJwk)
      implements AutoCloseable {

    public Minted(StoredSecret stored, SecretValue value) {
      this(stored, value, null);
    }

    /** Wipes the value(s). */
    @Override
    public void close() {
      value.close();
      if (privateJwk != null) {
        privateJwk.close();
      }
    }
  }

  private final SecretGenerator generator;
  private final VerifierMac verifiers;
  private final EnvelopeCipher cipher;
  private final IdGenerator ids;
  private final LookupKeys lookupKeys;
  private final JwtSigningKeys signingKeys;

  /** @param lookupKeys computes the leak-report lookup key of each generated value */
  public SecretMinter(SecretGenerator generator, VerifierMac verifiers, EnvelopeCipher cipher,
      IdGenerator ids, LookupKeys lookupKeys) {
    this.generator = generator;
    this.verifiers = verifiers;
    this.cipher = cipher;
    this.ids = ids;
    this.lookupKeys = lookupKeys;
    this.signingKeys = new JwtSigningKeys();
  }

  /**
   * A new generated client secret of application {@code clientId}.
   *
   * @param spec validated settings; {@code spec.expireTime()} null means never
   * @param rotatedFrom the secret this one replaces, or empty
   */
  public Minted mint(String tenantId, String clientId, String creator, SecretRequest spec,
      Instant now, String rotatedFrom) {
    return mint(SecretKind.CLIENT_SECRET, tenantId, clientId, creator, spec, now, rotatedFrom,
        KeyAlgorithm.ES256);
  }

  /**
   * A new secret of {@code kind} (a generated kind) held by {@code holderId} (client id or
   * scope id).
   *
   * @param algorithm for a signing key, its algorithm; ignored otherwise
   */
  public Minted mint(SecretKind kind, String tenantId, String holderId, String creator,
      SecretRequest spec, Instant now, String rotatedFrom, KeyAlgorithm algorithm) {
    if (kind == SecretKind.SIGNING_KEY) {
      return keyPair(tenantId, holderId, creator, spec, now, rotatedFrom, algorithm);
    }
    ValueFormat format = kind == SecretKind.SCOPE_SECRET ? ValueFormat.SCOPE_SECRET
        : ValueFormat.CLIENT_SECRET;
    SecretValue value = generator.generate(format);
    byte[] lookup = lookupKeys.primary(value);
    String secretId = ids.next("sec_");
    byte[] binding = SecretBinding.of(tenantId, secretId, 1);
    StoredSecret stored = new StoredSecret(
        metadata(tenantId, secretId, holderId, creator, spec, now, kind)
            .hint(format.hint(value)).rotatedFrom(rotatedFrom).build(),
        verifiers.compute(value, binding), spec.vaulted() ? cipher.seal(value, binding) : null,
        lookup);
    return new Minted(stored, value);
  }

  private Minted keyPair(String tenantId, String clientId, String creator, SecretRequest spec,
      Instant now, String rotatedFrom, KeyAlgorithm algorithm) {
    JwtSigningKeys.Generated pair = signingKeys.generate(algorithm);
    String secretId = ids.next("sec_");
    SealedSecret sealed = spec.vaulted()
        ? cipher.seal(pair.privateJwk(), SecretBinding.of(tenantId, secretId, 1)) : null;
    PublicKeyInfo publicKey = pair.publicKey();
    StoredSecret stored = new StoredSecret(
        metadata(tenantId, secretId, clientId, creator, spec, now, SecretKind.SIGNING_KEY)
            .rotatedFrom(rotatedFrom).publicKey(publicKey).build(),
        new byte[0], sealed);
    return new Minted(stored, PrivateKeyPem.fromJwk(pair.privateJwk()), pair.privateJwk());
  }

  /**
   * A stored credential: a value generated by another identity provider, always vaulted.
   * It gets no hint: an imported value has no public prefix, so its first characters would
   * be the secret's own. Does not close {@code imported}.
   */
  public StoredSecret store(String tenantId, String externalClientId, String creator,
      SecretRequest spec, Instant now, SecretValue imported) {
    String secretId = ids.next("sec_");
    byte[] binding = SecretBinding.of(tenantId, secretId, 1);
    return new StoredSecret(
        metadata(tenantId, secretId, "", creator, spec, now, SecretKind.STORED_CREDENTIAL)
            .externalClientId(externalClientId).build(),
        verifiers.compute(imported, binding), spec.vaulted() ? cipher.seal(imported, binding)
            : null);
  }

  /** What every new secret's metadata holds: the creator's settings, version 1, revision 1. */
  private static SecretMetadata.Builder metadata(String tenantId, String secretId,
      String holderId, String creator, SecretRequest spec, Instant now, SecretKind kind) {
    return SecretMetadata.builder().tenantId(tenantId).secretId(secretId).holderId(holderId)
        .displayName(spec.displayName()).description(spec.description())
        .location(spec.location()).vaulted(spec.vaulted()).sharingEnabled(spec.sharingEnabled())
        .owner(spec.owner()).preapproveOwner(spec.preapproveOwner()).kind(kind)
        .createTime(now).expireTime(spec.expireTime()).creator(creator).version(1).revision(1);
  }
}
