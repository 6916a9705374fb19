package dev.coffer.server.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SealedSecret;
import dev.coffer.server.domain.SecretValue;
import java.security.GeneralSecurityException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.OptionalInt;
import com.google.crypto.tink.proto.EncryptedKeyset;
import com.google.protobuf.InvalidProtocolBufferException;

/**
 * {@link EnvelopeCipher} on Tink. Each value gets a fresh single-key AES-256-GCM data-key
 * keyset; the value is encrypted under it and the data-key keyset is wrapped by the KEK
 * AEAD ({@link TinkProtoKeysetFormat#serializeEncryptedKeyset}), both bound to the same
 * associated data. The halves are returned apart so data keys can be re-wrapped on KEK
 * rotation without touching values, and so deleting the wrapped key shreds the value.
 * Every failure to open is the same opaque CIPHERTEXT_CORRUPT. Thread-safe.
 */
public final class TinkEnvelopeCipher implements EnvelopeCipher {
  static final String OPEN_FAILED = "vaulted value failed to decrypt: ciphertext or key damaged";

  /** The KEK primitive with the id of its primary key: swapped whole on rotation. */
  record Kek(Aead aead, int primaryId) {
    static Kek of(KeysetHandle kekKeyset) throws GeneralSecurityException {
      return new Kek(kekKeyset.getPrimitive(TinkRuntime.configuration(), Aead.class),
          kekKeyset.getPrimary().getId());
    }
  }

  private final Configuration configuration;
  private volatile Kek kek;

  TinkEnvelopeCipher(Kek kek) {
    this.kek = Objects.requireNonNull(kek, "kek");
    this.configuration = TinkRuntime.configuration();
  }

  /** Switches to a changed KEK keyset (rotation, disable, destroy) in one step. */
  void use(Kek next) {
    this.kek = Objects.requireNonNull(next, "kek");
  }

  @Override
  public int primaryKeyId() {
    return kek.primaryId();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The id is read from the Tink output prefix of the wrapped keyset's ciphertext
   * (version byte 0x01, then the big-endian key id); nothing is decrypted.
   */
  @Override
  public OptionalInt wrappingKeyId(byte[] wrappedDataKey) {
    try {
      byte[] c = EncryptedKeyset.parseFrom(wrappedDataKey).getEncryptedKeyset().toByteArray();
      if (c.length < 5 || c[0] != 0x01) {
        return OptionalInt.empty();
      }
      return OptionalInt.of(ByteBuffer.wrap(c, 1, 4).getInt());
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return OptionalInt.empty();
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code associatedData} is null or empty
   */
  @Override
  public byte[] rewrap(byte[] wrappedDataKey, byte[] associatedData) {
    requireAssociatedData(associatedData);
    if (isEmpty(wrappedDataKey)) {
      throw corrupt(null);
    }
    Kek current = kek;
    try {
      KeysetHandle dataKey = TinkProtoKeysetFormat.parseEncryptedKeyset(
          wrappedDataKey, current.aead(), associatedData, configuration);
      return TinkProtoKeysetFormat.serializeEncryptedKeyset(
          dataKey, current.aead(), associatedData, configuration);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw corrupt(e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code associatedData} is null or empty
   */
  @Override
  public SealedSecret seal(SecretValue plaintext, byte[] associatedData) {
    requireAssociatedData(associatedData);
    byte[] value = plaintext.bytes();
    try {
      KeysetHandle dataKey =
          KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, configuration);
      byte[] ciphertext =
          dataKey.getPrimitive(configuration, Aead.class).encrypt(value, associatedData);
      byte[] wrapped =
          TinkProtoKeysetFormat.serializeEncryptedKeyset(
          dataKey, kek.aead(), associatedData, configuration);
      return new SealedSecret(wrapped, ciphertext);
    } catch (GeneralSecurityException e) {
      throw new CofferException(Reason.INTERNAL_ERROR, "vaulted value failed to encrypt", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code associatedData} is null or empty
   */
  @Override
  public SecretValue open(SealedSecret sealed, byte[] associatedData) {
    requireAssociatedData(associatedData);
    if (sealed == null || isEmpty(sealed.wrappedDataKey()) || isEmpty(sealed.ciphertext())) {
      throw corrupt(null);
    }
    try {
      KeysetHandle dataKey = TinkProtoKeysetFormat.parseEncryptedKeyset(
          sealed.wrappedDataKey(), kek.aead(), associatedData, configuration);
      if (dataKey.size() != 1) {
        throw corrupt(null);
      }
      Aead aead = dataKey.getPrimitive(configuration, Aead.class);
      return SecretValue.adopt(aead.decrypt(sealed.ciphertext(), associatedData));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw e instanceof CofferException ce ? ce : corrupt(e);
    }
  }

  private static CofferException corrupt(Exception cause) {
    return new CofferException(Reason.CIPHERTEXT_CORRUPT, OPEN_FAILED, cause);
  }

  private static boolean isEmpty(byte[] bytes) {
    return bytes == null || bytes.length == 0;
  }

  private static void requireAssociatedData(byte[] associatedData) {
    if (isEmpty(associatedData)) {
      throw new IllegalArgumentException("associated data is required");
    }
  }
}
