package dev.coffer.server.store.records;

import dev.coffer.server.store.KvStore;

/**
 * The replay cache of client assertions (the party is the client; the digest is of the
 * assertion's {@code jti}), kept until the assertion's expiry. See {@link ReplayCache}.
 */
public final class AssertionReplayRepository extends ReplayCache {

  public AssertionReplayRepository(KvStore store) {
    super(store, "jti", "jti-exp");
  }
}
