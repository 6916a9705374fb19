package dev.coffer.bench;

import io.grpc.CallCredentials;
import java.util.List;

/**
 * What {@link BenchFixture} prepared for the workloads: ids and names, the verify pairs, and
 * the two principals' credentials. Lives in memory for one run.
 *
 * <p>Security: {@link VerifyTarget} holds real secret values (non-vaulted, shown once at
 * creation); they are sent in {@code VerifySecret} calls only and never printed or logged:
 * neither this record's nor the target's {@code toString} shows them. The credentials hide
 * their tokens the same way.
 *
 * @param tenantId the tenant made for this run
 * @param verifyTargets one per prepared application
 * @param revealTargets {@code secrets/{id}} of the secrets granted to the reader
 * @param listParent {@code applications/{client_id}} holding the prepared vaulted secrets
 * @param createParent {@code applications/{client_id}} that {@code create} adds secrets to
 * @param owner the applications' owner (ordinary principal): create, list
 * @param reader a service principal holding the grants: verify, reveal
 */
public record BenchData(String tenantId, List<VerifyTarget> verifyTargets,
    List<String> revealTargets, String listParent, String createParent, CallCredentials owner,
    CallCredentials reader) {

  public BenchData {
    verifyTargets = List.copyOf(verifyTargets);
    revealTargets = List.copyOf(revealTargets);
  }

  /** An application and the value of its one secret, to verify. */
  public record VerifyTarget(String clientId, String value) {
    @Override
    public String toString() {
      return "VerifyTarget[" + clientId + ", value=<redacted>]";
    }
  }

  @Override
  public String toString() {
    return "BenchData[" + tenantId + ", " + verifyTargets.size() + " verify targets, "
        + revealTargets.size() + " reveal targets]";
  }
}
