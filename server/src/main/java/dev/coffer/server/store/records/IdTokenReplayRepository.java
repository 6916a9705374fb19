package dev.coffer.server.store.records;

import dev.coffer.server.store.KvStore;

/**
 * The replay cache of people's ID tokens exchanged at sign-in (the party is the trusted
 * issuer; the digest is of the token's {@code jti}, or of the whole token when it has none),
 * kept until the token's expiry plus the issuer's clock skew. See {@link ReplayCache}.
 */
public final class IdTokenReplayRepository extends ReplayCache {

  public IdTokenReplayRepository(KvStore store) {
    super(store, "id-token", "id-token-exp");
  }
}
