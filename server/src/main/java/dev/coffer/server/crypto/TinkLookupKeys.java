package dev.coffer.server.crypto;

import com.google.crypto.tink.prf.Prf;
import com.google.crypto.tink.prf.PrfSet;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretValue;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link LookupKeys} on a Tink HMAC-SHA256 {@link PrfSet}: 32-byte outputs, deterministic
 * per key, useless without the keyset. {@link #all} lists the primary PRF first, then the
 * others, so records written before a PRF rotation are still found. Thread-safe.
 */
public final class TinkLookupKeys implements LookupKeys {
  static final int OUTPUT_BYTES = 32;

  private final List<Prf> primaryFirst;

  TinkLookupKeys(PrfSet prfSet) throws GeneralSecurityException {
    List<Prf> ordered = new ArrayList<>();
    Map<Integer, Prf> prfs = prfSet.getPrfs();
    ordered.add(prfs.get(prfSet.getPrimaryId()));
    prfs.forEach((id, prf) -> {
      if (id != prfSet.getPrimaryId()) {
        ordered.add(prf);
      }
    });
    this.primaryFirst = List.copyOf(ordered);
  }

  @Override
  public byte[] primary(SecretValue value) {
    return compute(primaryFirst.get(0), value);
  }

  @Override
  public List<byte[]> all(SecretValue value) {
    List<byte[]> keys = new ArrayList<>(primaryFirst.size());
    for (Prf prf : primaryFirst) {
      keys.add(compute(prf, value));
    }
    return keys;
  }

  private static byte[] compute(Prf prf, SecretValue value) {
    try {
      return prf.compute(value.bytes(), OUTPUT_BYTES);
    } catch (GeneralSecurityException e) {
      throw new CofferException(Reason.INTERNAL_ERROR, "lookup key computation failed", e);
    }
  }
}
