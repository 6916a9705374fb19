package dev.coffer.server.service.directory;

import dev.coffer.server.domain.Tenant;
import dev.coffer.server.domain.TenantPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * What one UpdateTenantPolicy did: the tenant before and after, and how many tokens of its
 * USER principals the change revoked (only switching {@code federated_user_sign_in_only}
 * on revokes any). Its {@link #auditReason()} names the changed fields by their API names,
 * e.g. {@code changed=federated_user_sign_in_only,max_token_lifetime;revoked_user_tokens=3}.
 * Security: names and counts only, never a token or its id.
 */
public record TenantPolicyChange(Tenant before, Tenant after, int revokedUserTokens) {

  static final String REVOKED_USER_TOKENS = "revoked_user_tokens";

  /** The policy fields whose value changed, by their API names, in the API's order. */
  public List<String> changedFields() {
    TenantPolicy a = before.policy();
    TenantPolicy b = after.policy();
    List<String> changed = new ArrayList<>();
    add(changed, "allow_never_expire", a.allowNeverExpire() != b.allowNeverExpire());
    add(changed, "max_secret_lifetime", !a.maxSecretLifetime().equals(b.maxSecretLifetime()));
    add(changed, "max_token_lifetime", !a.maxTokenLifetime().equals(b.maxTokenLifetime()));
    add(changed, "max_access_duration", !a.maxAccessDuration().equals(b.maxAccessDuration()));
    add(changed, "request_decision_window",
        !a.requestDecisionWindow().equals(b.requestDecisionWindow()));
    add(changed, "federated_user_sign_in_only",
        a.federatedUserSignInOnly() != b.federatedUserSignInOnly());
    return changed;
  }

  /** Whether this change turned admin-issued user tokens off. */
  public boolean switchedOn() {
    return !before.policy().federatedUserSignInOnly() && after.policy().federatedUserSignInOnly();
  }

  /** The reason of the change's audit event: changed fields ({@code none}) and revocations. */
  public String auditReason() {
    List<String> changed = changedFields();
    String reason = "changed=" + (changed.isEmpty() ? "none" : String.join(",", changed));
    return switchedOn() ? reason + ";" + REVOKED_USER_TOKENS + "=" + revokedUserTokens : reason;
  }

  TenantPolicyChange plusRevoked(int more) {
    return new TenantPolicyChange(before, after, revokedUserTokens + more);
  }

  private static void add(List<String> changed, String field, boolean differs) {
    if (differs) {
      changed.add(field);
    }
  }
}
