package dev.coffer.server.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfSet;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The vault's three keysets and the primitives built on them, obtained once at startup:
 * the KEK (AES-256-GCM, wraps data keys), the verifier MAC (HMAC-SHA256, 256-bit tag) and
 * the lookup PRF (HMAC-SHA256). Each keyset is kept in the {@link KeysetStore} encrypted by
 * the root key, with associated data naming the keyset ({@code coffer/keyset/<name>}), so
 * keysets cannot be swapped for one another; the store never sees a key in the clear.
 * The first start of an empty store creates all three in one atomic write.
 */
public final class Keyring {
  static final String KEK = "kek";
  static final String VERIFIER_MAC = "verifier-mac";
  static final String LOOKUP_PRF = "lookup-prf";
  static final List<String> NAMES = List.of(KEK, VERIFIER_MAC, LOOKUP_PRF);
  static final String WRONG_ROOT_KEY =
      "the root key cannot decrypt the vault keysets: wrong root key for this data dir?";

  private final EnvelopeCipher envelopeCipher;
  private final VerifierMac verifierMac;
  private final LookupKeys lookupKeys;
  private final boolean createdNow;

  private Keyring(Map<String, KeysetHandle> handles, boolean createdNow)
      throws GeneralSecurityException {
    Configuration config = TinkRuntime.configuration();
    Aead kek = handles.get(KEK).getPrimitive(config, Aead.class);
    Mac mac = handles.get(VERIFIER_MAC).getPrimitive(config, Mac.class);
    PrfSet prf = handles.get(LOOKUP_PRF).getPrimitive(config, PrfSet.class);
    this.envelopeCipher = new TinkEnvelopeCipher(kek);
    this.verifierMac = new TinkVerifierMac(mac);
    this.lookupKeys = new TinkLookupKeys(prf);
    this.createdNow = createdNow;
  }

  /**
   * Loads the keysets from {@code store}, or creates them if the store holds none.
   *
   * @throws KeyringException if the root key cannot decrypt them, or only some exist
   */
  public static Keyring open(RootKeyProvider root, KeysetStore store) {
    Aead rootAead = root.rootAead();
    Map<String, byte[]> stored = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String name : NAMES) {
      Optional<byte[]> bytes = store.read(name);
      bytes.ifPresentOrElse(b -> stored.put(name, b), () -> missing.add(name));
    }
    if (stored.isEmpty()) {
      return create(rootAead, store);
    }
    if (!missing.isEmpty()) {
      throw new KeyringException("the vault keyset store is incomplete (missing " + missing
          + "); refusing to start rather than replace keys that may protect existing data");
    }
    return load(rootAead, stored);
  }

  public EnvelopeCipher envelopeCipher() {
    return envelopeCipher;
  }

  public VerifierMac verifierMac() {
    return verifierMac;
  }

  public LookupKeys lookupKeys() {
    return lookupKeys;
  }

  /** True when this call created the keysets (first start of an empty vault). */
  public boolean createdNow() {
    return createdNow;
  }

  @Override
  public String toString() {
    return "Keyring[kek, verifier-mac, lookup-prf]";
  }

  static byte[] associatedData(String name) {
    return ("coffer/keyset/" + name).getBytes(StandardCharsets.UTF_8);
  }

  private static Keyring create(Aead rootAead, KeysetStore store) {
    Configuration config = TinkRuntime.configuration();
    try {
      Map<String, KeysetHandle> handles = new LinkedHashMap<>();
      handles.put(KEK, generate(PredefinedAeadParameters.AES256_GCM));
      handles.put(VERIFIER_MAC, generate(PredefinedMacParameters.HMAC_SHA256_256BITTAG));
      handles.put(LOOKUP_PRF, generate(PredefinedPrfParameters.HMAC_SHA256_PRF));
      Map<String, byte[]> encrypted = new LinkedHashMap<>();
      for (Map.Entry<String, KeysetHandle> e : handles.entrySet()) {
        encrypted.put(e.getKey(), TinkProtoKeysetFormat.serializeEncryptedKeyset(
            e.getValue(), rootAead, associatedData(e.getKey()), config));
      }
      Keyring keyring = new Keyring(handles, true);
      store.writeAll(encrypted);
      return keyring;
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot create the vault keysets with the root key", e);
    }
  }

  private static Keyring load(Aead rootAead, Map<String, byte[]> stored) {
    Configuration config = TinkRuntime.configuration();
    Map<String, KeysetHandle> handles = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : stored.entrySet()) {
      try {
        handles.put(e.getKey(), TinkProtoKeysetFormat.parseEncryptedKeyset(
            e.getValue(), rootAead, associatedData(e.getKey()), config));
      } catch (GeneralSecurityException ex) {
        throw new KeyringException(WRONG_ROOT_KEY, ex);
      }
    }
    try {
      return new Keyring(handles, false);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new KeyringException("the vault keysets decrypt but are not of the expected types", e);
    }
  }

  private static KeysetHandle generate(Parameters parameters) throws GeneralSecurityException {
    return KeysetHandle.generateNew(parameters, TinkRuntime.configuration());
  }
}
