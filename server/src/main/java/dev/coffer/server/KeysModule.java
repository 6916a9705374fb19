package dev.coffer.server;

import dev.coffer.server.crypto.EnvelopeCipher;
import dev.coffer.server.crypto.Keyring;
import dev.coffer.server.crypto.LookupKeys;
import dev.coffer.server.crypto.RootKeyProvider;
import dev.coffer.server.crypto.SecretGenerator;
import dev.coffer.server.crypto.VerifierMac;
import dev.coffer.server.metrics.VaultInstrumentation;
import dev.coffer.server.service.kernel.IdGenerator;
import java.security.SecureRandom;

/**
 * Capability module "keys": the {@link Keyring} opened from the keysets stored in the
 * database (unwrapped by the root key), the envelope cipher and verifier MAC every module
 * seals and checks values with (counted by the vault's instrumentation), and the generators
 * of secret values and ids (one {@link SecureRandom}). Built from the storage module, the
 * root key and the instrumentation; opening fails when the root key cannot decrypt the
 * stored keysets. Security: key material stays inside Tink's keysets; nothing here logs or
 * prints a key. The KEK's rotation is the operator module's (it needs the audit chain, which
 * needs this keyring).
 */
public final class KeysModule {

  private final Keyring keyring;
  private final EnvelopeCipher cipher;
  private final VerifierMac mac;
  private final SecretGenerator generator;
  private final IdGenerator ids;

  KeysModule(StorageModule storage, RootKeyProvider rootKey, VaultInstrumentation metrics) {
    this.keyring = Keyring.open(rootKey, new StoredKeysets(storage.store()));
    this.cipher = metrics.envelopeCipher(keyring.envelopeCipher());
    this.mac = metrics.verifierMac(keyring.verifierMac());
    SecureRandom random = new SecureRandom();
    this.generator = new SecretGenerator(random);
    this.ids = new IdGenerator(random);
  }

  /** The keysets themselves (KEK, lookup keys, audit signature, page tokens). */
  public Keyring keyring() {
    return keyring;
  }

  EnvelopeCipher cipher() {
    return cipher;
  }

  VerifierMac mac() {
    return mac;
  }

  LookupKeys lookupKeys() {
    return keyring.lookupKeys();
  }

  SecretGenerator generator() {
    return generator;
  }

  IdGenerator ids() {
    return ids;
  }
}
