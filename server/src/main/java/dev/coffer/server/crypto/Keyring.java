package dev.coffer.server.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfSet;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The vault's five keysets and the primitives built on them, obtained once at startup:
 * the KEK (AES-256-GCM, wraps data keys), the verifier MAC (HMAC-SHA256, 256-bit tag), the
 * lookup PRF (HMAC-SHA256), the audit signing key (ECDSA P-256, signs audit checkpoints)
 * and the page-token key (AES-256-GCM, seals listing cursors). Each keyset is kept in the {@link KeysetStore} encrypted by the root key,
 * with associated data naming the keyset ({@code coffer/keyset/<name>}), so keysets cannot
 * be swapped for one another; the store never sees a key in the clear.
 *
 * <p>The first start of an empty store creates all five in one atomic write. The first
 * three are all-or-nothing: a store holding only some of them is refused rather than
 * completed, because a replaced key would orphan the data it protects. The
 * {@code audit-signing} and {@code page-token} keysets are the exceptions: a vault created
 * before audit checkpoints (or sealed page tokens) existed lacks them, so they are created
 * then (after the existing keysets have been decrypted, which proves the root key right)
 * and written on their own. Nothing signed or sealed by a previous key of theirs can exist
 * in such a vault that must outlive a restart (a page token from before merely stops
 * opening), so nothing is orphaned.
 */
public final class Keyring {
  static final String KEK = "kek";
  /** The stored name of the KEK keyset (a cluster follower reloads it when an entry writes it). */
  public static final String KEK_KEYSET_NAME = KEK;
  static final String VERIFIER_MAC = "verifier-mac";
  static final String LOOKUP_PRF = "lookup-prf";
  static final String AUDIT_SIGNING = "audit-signing";
  static final String PAGE_TOKEN = "page-token";
  static final List<String> NAMES =
      List.of(KEK, VERIFIER_MAC, LOOKUP_PRF, AUDIT_SIGNING, PAGE_TOKEN);
  /** Keysets a vault created before them may lack; {@link #open} adds them. */
  static final Set<String> ADDED_LATER = Set.of(AUDIT_SIGNING, PAGE_TOKEN);
  static final String WRONG_ROOT_KEY =
      "the root key cannot decrypt the vault keysets: wrong root key for this data dir?";

  private final TinkEnvelopeCipher envelopeCipher;
  private final KekKeyset kekKeyset;
  private final VerifierMac verifierMac;
  private final LookupKeys lookupKeys;
  private final AuditSignature auditSignature;
  private final PageTokenCipher pageTokens;
  private final boolean createdNow;

  private Keyring(Map<String, KeysetHandle> handles, boolean createdNow, Aead rootAead,
      KeysetStore store) throws GeneralSecurityException {
    Configuration config = TinkRuntime.configuration();
    Mac mac = handles.get(VERIFIER_MAC).getPrimitive(config, Mac.class);
    PrfSet prf = handles.get(LOOKUP_PRF).getPrimitive(config, PrfSet.class);
    this.envelopeCipher = new TinkEnvelopeCipher(TinkEnvelopeCipher.Kek.of(handles.get(KEK)));
    this.kekKeyset = new KekKeyset(rootAead, store, handles.get(KEK), envelopeCipher);
    this.verifierMac = new TinkVerifierMac(mac);
    this.lookupKeys = new TinkLookupKeys(prf);
    KeysetHandle signing = handles.get(AUDIT_SIGNING);
    this.auditSignature = new TinkAuditSignature(
        signing.getPrimitive(config, PublicKeySign.class),
        signing.getPublicKeysetHandle().getPrimitive(config, PublicKeyVerify.class));
    this.pageTokens = new TinkPageTokenCipher(
        handles.get(PAGE_TOKEN).getPrimitive(config, Aead.class));
    this.createdNow = createdNow;
  }

  /**
   * Loads the keysets from {@code store}, or creates them if the store holds none; adds
   * the {@code audit-signing} and {@code page-token} keysets to a store that lacks only
   * those (see the class comment).
   *
   * @throws KeyringException if the root key cannot decrypt them, or only some of the
   *     first three exist
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
    List<String> missingCore = missing.stream().filter(n -> !ADDED_LATER.contains(n)).toList();
    if (!missingCore.isEmpty()) {
      throw new KeyringException("the vault keyset store is incomplete (missing " + missingCore
          + "); refusing to start rather than replace keys that may protect existing data");
    }
    Map<String, KeysetHandle> handles = decrypt(rootAead, stored);
    if (!missing.isEmpty()) {
      handles.putAll(addLater(rootAead, store, missing));
    }
    return build(handles, rootAead, store);
  }

  public EnvelopeCipher envelopeCipher() {
    return envelopeCipher;
  }

  /** The KEK's keys, and their rotation, retirement and destruction. */
  public KekKeyset kek() {
    return kekKeyset;
  }

  public VerifierMac verifierMac() {
    return verifierMac;
  }

  public LookupKeys lookupKeys() {
    return lookupKeys;
  }

  /** Signs and verifies audit checkpoints (the {@code audit-signing} keyset). */
  public AuditSignature auditSignature() {
    return auditSignature;
  }

  /** Seals and opens listing page tokens (the {@code page-token} keyset). */
  public PageTokenCipher pageTokens() {
    return pageTokens;
  }

  /** True when this call created the keysets (first start of an empty vault). */
  public boolean createdNow() {
    return createdNow;
  }

  @Override
  public String toString() {
    return "Keyring[kek, verifier-mac, lookup-prf, audit-signing, page-token]";
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
      handles.put(AUDIT_SIGNING, generate(PredefinedSignatureParameters.ECDSA_P256));
      handles.put(PAGE_TOKEN, generate(PredefinedAeadParameters.AES256_GCM));
      Map<String, byte[]> encrypted = encryptAll(rootAead, handles, config);
      Keyring keyring = new Keyring(handles, true, rootAead, store);
      store.writeAll(encrypted);
      return keyring;
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot create the vault keysets with the root key", e);
    }
  }

  /** Creates the {@link #ADDED_LATER} keysets {@code missing} names and writes them together. */
  private static Map<String, KeysetHandle> addLater(Aead rootAead, KeysetStore store,
      List<String> missing) {
    Configuration config = TinkRuntime.configuration();
    try {
      Map<String, KeysetHandle> handles = new LinkedHashMap<>();
      for (String name : missing) {
        Parameters parameters = switch (name) {
          case AUDIT_SIGNING -> PredefinedSignatureParameters.ECDSA_P256;
          case PAGE_TOKEN -> PredefinedAeadParameters.AES256_GCM;
          default -> throw new IllegalStateException("no generator for keyset " + name);
        };
        handles.put(name, generate(parameters));
      }
      store.writeAll(encryptAll(rootAead, handles, config));
      return handles;
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot add the " + missing + " keyset with the root key", e);
    }
  }

  private static Map<String, byte[]> encryptAll(Aead rootAead, Map<String, KeysetHandle> handles,
      Configuration config) throws GeneralSecurityException {
    Map<String, byte[]> encrypted = new LinkedHashMap<>();
    for (Map.Entry<String, KeysetHandle> e : handles.entrySet()) {
      encrypted.put(e.getKey(), TinkProtoKeysetFormat.serializeEncryptedKeyset(
          e.getValue(), rootAead, associatedData(e.getKey()), config));
    }
    return encrypted;
  }

  private static Map<String, KeysetHandle> decrypt(Aead rootAead, Map<String, byte[]> stored) {
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
    return handles;
  }

  private static Keyring build(Map<String, KeysetHandle> handles, Aead rootAead,
      KeysetStore store) {
    try {
      return new Keyring(handles, false, rootAead, store);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new KeyringException("the vault keysets decrypt but are not of the expected types", e);
    }
  }

  private static KeysetHandle generate(Parameters parameters) throws GeneralSecurityException {
    return KeysetHandle.generateNew(parameters, TinkRuntime.configuration());
  }
}
