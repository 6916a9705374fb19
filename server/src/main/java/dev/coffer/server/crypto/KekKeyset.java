package dev.coffer.server.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.Key;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The key-encryption keyset and its rotation: {@link #rotate} adds a fresh AES-256-GCM key
 * and makes it the primary, so every data key sealed from then on is wrapped by it, while
 * the older keys keep opening the data keys they wrapped; {@link #disable} retires an old
 * key once nothing uses it (it opens nothing more, and can be re-enabled), and
 * {@link #destroy} deletes a disabled key's material for good. Each change is written to
 * the keyset store, encrypted by the root key, before the new keyset takes effect, and the
 * cipher swaps to it in one step, so reads never pause. Whether data keys still depend on
 * a key is the caller's check (it needs the data). Thread-safe; changes are serialised.
 */
public final class KekKeyset {

  private final Aead rootAead;
  private final KeysetStore store;
  private final TinkEnvelopeCipher cipher;
  // Changed under this object's lock by the operations, and by reload() without it (a cluster
  // node's apply thread must not wait for an operation that waits for that apply).
  private volatile KeysetHandle handle;

  KekKeyset(Aead rootAead, KeysetStore store, KeysetHandle handle, TinkEnvelopeCipher cipher) {
    this.rootAead = rootAead;
    this.store = store;
    this.handle = handle;
    this.cipher = cipher;
  }

  /** The keys, primary first is not promised: keyset order. */
  public synchronized List<KekKey> keys() {
    List<KekKey> keys = new ArrayList<>(handle.size());
    for (int i = 0; i < handle.size(); i++) {
      KeysetHandle.Entry e = handle.getAt(i);
      keys.add(new KekKey(e.getId(), e.getStatus() == KeyStatus.ENABLED
          ? KekKey.Status.ENABLED : KekKey.Status.DISABLED, e.isPrimary()));
    }
    return keys;
  }

  public synchronized KekKey primary() {
    return keys().stream().filter(KekKey::primary).findFirst().orElseThrow();
  }

  /** Adds a new key and makes it the primary; returns it. */
  public synchronized KekKey rotate() {
    Key key = newKey();
    change(b -> b.addEntry(
        KeysetHandle.importKey(key).withFixedId(key.getIdRequirementOrNull()).makePrimary()));
    return primary();
  }

  /**
   * Stops {@code id} from opening anything; refused for the primary or an unknown key.
   * The caller has checked that no data key is still wrapped by it.
   */
  public synchronized void disable(int id) {
    int at = indexOf(id);
    if (handle.getAt(at).isPrimary()) {
      throw new IllegalStateException("the primary KEK key cannot be disabled; rotate first");
    }
    change(b -> {
      b.getAt(at).setStatus(KeyStatus.DISABLED);
      return b;
    });
  }

  /** Lets a disabled key open data keys again (undoing {@link #disable}). */
  public synchronized void enable(int id) {
    int at = indexOf(id);
    change(b -> {
      b.getAt(at).setStatus(KeyStatus.ENABLED);
      return b;
    });
  }

  /** Deletes a disabled key's material from the keyset; refused unless it is disabled. */
  public synchronized void destroy(int id) {
    int at = indexOf(id);
    if (handle.getAt(at).getStatus() != KeyStatus.DISABLED) {
      throw new IllegalStateException("only a disabled KEK key can be destroyed; disable it first");
    }
    change(b -> b.deleteAt(at));
  }

  /** True if the keyset has a key with this id. */
  public synchronized boolean has(int id) {
    for (int i = 0; i < handle.size(); i++) {
      if (handle.getAt(i).getId() == id) {
        return true;
      }
    }
    return false;
  }

  /**
   * A fresh AES-256-GCM key with an id unused in the keyset, made with
   * {@link TinkRuntime#configuration()}: {@code generateEntryFromParameters} would need
   * Tink's global registry, which this package never fills.
   */
  private Key newKey() {
    try {
      Key key;
      do {
        key = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM,
            TinkRuntime.configuration()).getPrimary().getKey();
      } while (has(key.getIdRequirementOrNull()));
      return key;
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot create a KEK key", e);
    }
  }

  private int indexOf(int id) {
    for (int i = 0; i < handle.size(); i++) {
      if (handle.getAt(i).getId() == id) {
        return i;
      }
    }
    throw new IllegalArgumentException("no KEK key with id " + Integer.toUnsignedString(id));
  }

  /**
   * Reads the KEK keyset back from the store and makes the cipher use it: on a cluster
   * follower, after an applied entry rewrote it (a rotation, retirement or destruction made
   * on another node).
   *
   * <p>Not synchronised with the operations: on the node that made the change, the operation
   * holds this object's lock while it waits for its entry to apply, and the apply calls this;
   * both then make the cipher use the same stored keyset.
   *
   * @throws KeyringException when the stored keyset is missing or does not decrypt
   */
  public void reload() {
    byte[] encrypted = store.read(Keyring.KEK).orElseThrow(
        () -> new KeyringException("the KEK keyset is missing from the store"));
    try {
      KeysetHandle next = TinkProtoKeysetFormat.parseEncryptedKeyset(encrypted, rootAead,
          Keyring.associatedData(Keyring.KEK), TinkRuntime.configuration());
      TinkEnvelopeCipher.Kek kek = TinkEnvelopeCipher.Kek.of(next);
      handle = next;
      cipher.use(kek);
    } catch (GeneralSecurityException e) {
      throw new KeyringException(Keyring.WRONG_ROOT_KEY, e);
    }
  }

  /** Builds the changed keyset, persists it, then makes the cipher use it. */
  private void change(UnaryOperator<KeysetHandle.Builder> edit) {
    try {
      KeysetHandle next = edit.apply(KeysetHandle.newBuilder(handle)
          .setConfiguration(TinkRuntime.configuration())).build();
      byte[] encrypted = TinkProtoKeysetFormat.serializeEncryptedKeyset(next, rootAead,
          Keyring.associatedData(Keyring.KEK), TinkRuntime.configuration());
      TinkEnvelopeCipher.Kek kek = TinkEnvelopeCipher.Kek.of(next);
      store.writeAll(Map.of(Keyring.KEK, encrypted));
      handle = next;
      cipher.use(kek);
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot change the KEK keyset", e);
    }
  }
}
