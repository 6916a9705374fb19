package dev.coffer.server.domain;

import java.util.List;
import java.util.Map;

/**
 * Maps a workload's JWT to one SERVICE principal of the issuer's tenant when every one of
 * its claim conditions matches. Security: a binding has at least one condition (checked
 * where an issuer is created), so it never matches "any subject".
 */
public record ClaimBinding(List<ClaimMatch> claims, String principalId) {

  public ClaimBinding {
    claims = List.copyOf(claims);
  }

  /** Whether every condition matches {@code values} (claim name to string form). */
  public boolean matches(Map<String, String> values) {
    if (claims.isEmpty()) {
      return false;
    }
    for (ClaimMatch m : claims) {
      if (!m.matches(values.get(m.claim()))) {
        return false;
      }
    }
    return true;
  }
}
