package dev.coffer.server.service.directory;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.Application;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecurityType;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.service.kernel.IdGenerator;
import dev.coffer.server.service.secrets.SecretMinter;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.service.secrets.Secrets;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.ApplicationRepository;
import dev.coffer.server.store.records.Page;
import dev.coffer.server.store.records.TenantRepository;
import java.time.Clock;

/**
 * Registers applications (OAuth clients). An application using the client-credentials flow
 * gets its first credential in the same atomic batch — a client secret, or for a signed-JWT
 * application an ES256 key pair — and its value (private key) only in the create response.
 * Client names are unique per tenant and environment.
 */
public final class Applications {

  /** A new application, and its initial secret when one was generated (else null). */
  public record Created(Application application, SecretMinter.Minted initialSecret) {}

  private final ApplicationRepository apps;
  private final TenantRepository tenants;
  private final Secrets secrets;
  private final IdGenerator ids;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;

  public Applications(ApplicationRepository apps, TenantRepository tenants,
      Secrets secrets, IdGenerator ids, Governance gov) {
    this.apps = apps;
    this.tenants = tenants;
    this.secrets = secrets;
    this.ids = ids;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
  }

  /**
   * @param securityType null for CLIENT_SECRET
   * @param flow null for CLIENT_CREDENTIALS
   * @param owner empty for the caller
   */
  public synchronized Created create(CallContext ctx, String clientName, String environment,
      SecurityType securityType, OAuthFlow flow, String owner) {
    FieldRules.clientName("client_name", clientName);
    FieldRules.environment("environment", environment);
    String appOwner = owner == null || owner.isEmpty() ? ctx.actor() : owner;
    FieldRules.principalId("owner", appOwner);
    if (tenants.principal(ctx.tenantId(), appOwner).isEmpty()) {
      throw CofferException.invalid("owner", "is not a principal of this tenant");
    }
    enforcer.require(ctx, policy.createApplication(ctx.caller(), appOwner),
        AuditAction.APPLICATION_CREATE, "applications");
    if (apps.nameTaken(ctx.tenantId(), environment, clientName)) {
      throw new CofferException(Reason.ALREADY_EXISTS, "an application named " + clientName
          + " already exists in environment " + environment);
    }
    Application app = new Application(ctx.tenantId(), ids.clientId(), clientName, environment,
        securityType == null ? SecurityType.CLIENT_SECRET : securityType,
        flow == null ? OAuthFlow.CLIENT_CREDENTIALS : flow, appOwner, clock.instant(), 1);
    Changes changes = new Changes();
    apps.stage(changes, app);
    SecretMinter.Minted initial = null;
    if (app.flow() == OAuthFlow.CLIENT_CREDENTIALS) {
      initial = secrets.prepare(ctx, app, SecretRequest.builder().displayName("initial")
          .description("generated with the application").location("/").owner(appOwner).build(),
          null, changes);
    }
    audit.commit(changes, enforcer.allowed(ctx, AuditAction.APPLICATION_CREATE,
        "applications/" + app.clientId()));
    return new Created(app, initial);
  }

  public Application get(CallContext ctx, String clientId) {
    FieldRules.opaqueId("name", clientId);
    return secrets.probe().require(ctx, "applications/" + clientId, t -> apps.get(t, clientId),
        a -> policy.canSee(ctx.caller(), a), () -> new CofferException(
            Reason.APPLICATION_NOT_FOUND, "application " + clientId + " not found"));
  }

  public Page<Application> list(CallContext ctx, String pageToken, int pageSize) {
    return apps.list(ctx.tenantId(), pageToken, pageSize);
  }
}
