package dev.coffer.server.store.records;

import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.StoredSecret;

/**
 * A secret's metadata alone as bytes (the stored record's layout without its verifier, sealed
 * value or leak lookup key), for carrying who may hear of a secret's change to the other nodes
 * of a cluster. Security: the bytes hold names, times and flags only, never anything that would
 * check or open the secret's value.
 */
public final class SecretMetadataCodec {

  private static final byte[] NONE = new byte[0];

  private SecretMetadataCodec() {}

  public static byte[] encode(SecretMetadata m) {
    return RecordCodec.encode(new StoredSecret(m, NONE, null, NONE));
  }

  /**
   * @throws dev.coffer.server.domain.CofferException STORAGE_FAILURE when the bytes are not a
   *     secret record
   */
  public static SecretMetadata decode(byte[] bytes) {
    return RecordCodec.secret(bytes).metadata();
  }
}
