package dev.coffer.server.service.kernel;

/**
 * A fixed set of monitors picked by a key's hash: changes to one key (a secret, a replayed
 * assertion id) are serialised, while changes to different keys mostly run at once, so
 * their synced writes can share one group-commit fsync. Two keys may share a stripe; that
 * only serialises them.
 *
 * <p>Security: a key picks a stripe by its hash only and is not kept; keys are ids, never
 * values.
 */
public final class LockStripes {

  private final Object[] locks;

  /** {@code count} stripes; more stripes, fewer unrelated keys serialised together. */
  public LockStripes(int count) {
    locks = new Object[count];
    for (int i = 0; i < count; i++) {
      locks[i] = new Object();
    }
  }

  /** The monitor that guards {@code key}. */
  public Object of(String key) {
    return locks[Math.floorMod(key.hashCode(), locks.length)];
  }
}
