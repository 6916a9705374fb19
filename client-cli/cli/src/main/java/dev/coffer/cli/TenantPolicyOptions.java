package dev.coffer.cli;

import dev.coffer.api.v1.TenantPolicy;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The tenant policy flags {@code coffer tenant create} and {@code coffer tenant set-policy}
 * share; a flag not given leaves its field as the builder has it (the server's default on
 * create, the current value on set-policy).
 */
final class TenantPolicyOptions {

  @Option(names = "--allow-never-expire", arity = "0..1", paramLabel = "BOOL",
      description = "Allow secrets that never expire (true/false; the flag alone: true).")
  Boolean allowNeverExpire;

  @Option(names = "--max-secret-lifetime", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Longest lifetime of a secret, e.g. 730d (server default 730d).")
  Duration maxSecretLifetime;

  @Option(names = "--max-token-lifetime", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Longest lifetime of an access token, e.g. 365d (server default 365d).")
  Duration maxTokenLifetime;

  @Option(names = "--max-access-duration", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Longest a grant may last, e.g. 30d (server default 30d).")
  Duration maxAccessDuration;

  @Option(names = "--request-decision-window", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long an access request waits for a decision, e.g. 7d (server default 7d).")
  Duration requestDecisionWindow;

  @Option(names = "--federated-user-sign-in-only", arity = "0..1", paramLabel = "BOOL",
      description = "People sign in only through the tenant's people issuers: no token is"
          + " issued for any USER principal (true/false; the flag alone: true).")
  Boolean federatedUserSignInOnly;

  /** Sets every field a flag was given for. */
  TenantPolicy.Builder applyTo(TenantPolicy.Builder policy) {
    if (allowNeverExpire != null) {
      policy.setAllowNeverExpire(allowNeverExpire);
    }
    if (maxSecretLifetime != null) {
      policy.setMaxSecretLifetime(DurationConverter.toProto(maxSecretLifetime));
    }
    if (maxTokenLifetime != null) {
      policy.setMaxTokenLifetime(DurationConverter.toProto(maxTokenLifetime));
    }
    if (maxAccessDuration != null) {
      policy.setMaxAccessDuration(DurationConverter.toProto(maxAccessDuration));
    }
    if (requestDecisionWindow != null) {
      policy.setRequestDecisionWindow(DurationConverter.toProto(requestDecisionWindow));
    }
    if (federatedUserSignInOnly != null) {
      policy.setFederatedUserSignInOnly(federatedUserSignInOnly);
    }
    return policy;
  }
}
