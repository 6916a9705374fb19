package dev.coffer.server.service.kernel;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;

/** The outcome of one authorization check: allowed, or denied by a named rule. */
public record Decision(boolean allowed, Reason reason, String explanation) {

  public static final Decision ALLOW = new Decision(true, null, "");

  public static Decision deny(Reason reason, String explanation) {
    return new Decision(false, reason, explanation);
  }

  /** Throws the denial as a {@link CofferException}; does nothing when allowed. */
  public void require() {
    if (!allowed) {
      throw new CofferException(reason, explanation);
    }
  }
}
