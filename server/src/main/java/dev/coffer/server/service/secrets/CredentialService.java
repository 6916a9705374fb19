package dev.coffer.server.service.secrets;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.SecretRepository;
import dev.coffer.server.store.records.TenantRepository;
import java.time.Clock;
import java.time.Instant;

/**
 * Stores a credential that another identity provider generated (a client id and secret
 * pair) so it can be distributed through grants: always vaulted, sealed like any vaulted
 * secret, never returned by this call. The only way a caller-chosen value enters Coffer.
 */
public final class CredentialService {

  static final int MIN_VALUE = 16;
  static final int MAX_VALUE = 4096;

  private final SecretRepository secrets;
  private final TenantRepository tenants;
  private final SecretSettings settings;
  private final SecretMinter minter;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;

  public CredentialService(SecretRepository secrets, TenantRepository tenants,
      SecretSettings settings, SecretMinter minter, Governance gov) {
    this.secrets = secrets;
    this.tenants = tenants;
    this.settings = settings;
    this.minter = minter;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
  }

  /**
   * Does not close {@code value}.
   *
   * @param request the settings; {@code vaulted} is forced on
   */
  public StoredSecret store(CallContext ctx, String externalClientId, SecretRequest request,
      SecretValue value) {
    FieldRules.displayText("external_client_id", externalClientId, 256);
    checkValue(value);
    Tenant tenant = tenants.tenant(ctx.tenantId()).orElseThrow();
    Instant now = clock.instant();
    SecretRequest settled = settings.settle(ctx, request.toBuilder().vaulted(true).build(),
        tenant.policy(), now);
    enforcer.require(ctx, policy.storeCredential(ctx.caller(), settled.owner()),
        AuditAction.CREDENTIAL_STORE, "secrets");
    StoredSecret stored = minter.store(ctx.tenantId(), externalClientId, ctx.actor(), settled,
        now, value);
    Changes changes = new Changes();
    secrets.stageCreate(changes, stored);
    audit.commit(changes, enforcer.allowed(ctx, AuditAction.CREDENTIAL_STORE,
        "secrets/" + stored.metadata().secretId()));
    return stored;
  }

  private static void checkValue(SecretValue value) {
    byte[] bytes = value.bytes();
    if (bytes.length < MIN_VALUE || bytes.length > MAX_VALUE) {
      throw CofferException.invalid("value",
          "must be " + MIN_VALUE + " to " + MAX_VALUE + " bytes long");
    }
    for (byte b : bytes) {
      if (b >= 0 && b < 0x20 || b == 0x7f) {
        throw CofferException.invalid("value", "must not contain control characters");
      }
    }
  }
}
