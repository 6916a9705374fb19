package dev.coffer.bench;

/**
 * What {@link BenchFixture#cleanUp} removed, and what it could not. Security: counts and a
 * server status line (which never holds a value).
 *
 * @param keptData whether secrets and grants were left in place ({@code --keep-data})
 * @param firstFailure the first failure as one line, or empty
 */
public record Cleanup(String tenantId, boolean keptData, long secretsDeleted,
    long grantsRevoked, long tokensRevoked, long failures, String firstFailure) {

  /** One line for people. */
  public String summary() {
    if (tenantId == null) {
      return "nothing was prepared (health only), so nothing to clean up.";
    }
    StringBuilder s = new StringBuilder("cleanup of tenant " + tenantId + ": ");
    if (keptData) {
      s.append("kept its secrets and grants (--keep-data); ");
    } else {
      s.append("deleted ").append(secretsDeleted).append(" secrets, revoked ")
          .append(grantsRevoked).append(" grants; ");
    }
    s.append("revoked ").append(tokensRevoked).append(" tokens. The tenant, its principals and"
        + " applications remain: Coffer has no call to delete them.");
    if (failures > 0) {
      s.append(" ").append(failures).append(" cleanup calls failed, first: ").append(firstFailure);
    }
    return s.toString();
  }
}
