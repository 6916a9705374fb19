package dev.coffer.server.service.identity;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.ClaimBinding;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.IssuerPurpose;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.domain.TrustedIssuer;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.service.lifecycle.LifecycleEvents;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.Page;
import dev.coffer.server.store.records.TenantRepository;
import dev.coffer.server.store.records.TrustedIssuerRepository;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Manages each tenant's trusted JWT issuers: create, get, list, delete, for a tenant admin of
 * that tenant or the system administrator ({@link AccessPolicy#manageIssuers}); a denial is
 * audited by the {@link Enforcer}. A new issuer's settings are checked by {@link IssuerRules}
 * (every refusal names its field and writes nothing); its issuer id and its issuer URL are each
 * unique in the tenant (ALREADY_EXISTS); an issuer whose keys would be fetched from a host
 * the operator does not allow is FAILED_PRECONDITION ({@link IssuerKeys#requireFetchable}).
 * Every change commits with its audit event in the
 * issuer's tenant (and, for the system administrator acting elsewhere, one in its own).
 * Deleting an issuer refuses its tokens at once and drops its cached keys; Coffer tokens it
 * already exchanged stay valid until they expire or are revoked.
 *
 * <p>Security: a binding names principals of the issuer's own tenant only, so an admin of one
 * tenant can never make another tenant's principal reachable. An issuer is a way to obtain a
 * service's token without IssueToken, so creating one that binds a service it was not created
 * by tells the service, its owner and the tenant's admins (lifecycle {@code SIGN_IN_TRUSTED}),
 * as a token issued for the service does: a tenant admin cannot give itself a service's
 * credential unseen by registering keys of its own.
 */
public final class TrustedIssuers {

  private static final Pattern NAME =
      Pattern.compile("tenants/([^/]+)/issuers/([^/]+)");
  private static final int MAX_LOGIN_ISSUERS = 100;

  private final TrustedIssuerRepository issuers;
  private final TenantRepository tenants;
  private final IssuerKeys keys;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;
  private final LifecycleEvents events;

  public TrustedIssuers(TrustedIssuerRepository issuers, TenantRepository tenants,
      IssuerKeys keys, Governance gov, LifecycleEvents events) {
    this.events = events;
    this.issuers = issuers;
    this.tenants = tenants;
    this.keys = keys;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
  }

  /**
   * Registers {@code given} (its issuer_id and settings) for {@code tenantId} (empty: the
   * caller's tenant).
   */
  public synchronized TrustedIssuer create(CallContext ctx, String tenantId,
      TrustedIssuer given) {
    String tenant = target(ctx, tenantId);
    String name = TrustedIssuer.resourceName(tenant, given.issuerId());
    enforcer.require(ctx, policy.manageIssuers(ctx.caller(), tenant), AuditAction.ISSUER_CREATE,
        name);
    Tenant t = tenants.tenant(tenant).orElseThrow(() ->
        new CofferException(Reason.TENANT_NOT_FOUND, "tenant " + tenant + " not found"));
    if (given.purpose() == IssuerPurpose.PEOPLE) {
      enforcer.require(ctx, policy.trustPeopleIssuer(ctx.caller(), t), AuditAction.ISSUER_CREATE,
          name);
    }
    TrustedIssuer checked = IssuerRules.check(given, tenant, t.policy().maxTokenLifetime(),
        tenants::principal).toBuilder().createTime(clock.instant())
        .creator(ctx.caller().resourceName()).build();
    keys.requireFetchable(checked);
    if (issuers.get(tenant, checked.issuerId()).isPresent()) {
      throw new CofferException(Reason.ALREADY_EXISTS,
          "issuer " + checked.issuerId() + " already exists in tenant " + tenant);
    }
    if (issuers.byIssuerUrl(tenant, checked.issuer()).isPresent()) {
      throw new CofferException(Reason.ALREADY_EXISTS,
          "tenant " + tenant + " already trusts an issuer with this URL");
    }
    Changes changes = new Changes();
    issuers.stage(changes, checked);
    commit(ctx, changes, tenant, AuditAction.ISSUER_CREATE, checked.resourceName());
    announceBoundServices(ctx, checked);
    return checked;
  }

  private void announceBoundServices(CallContext ctx, TrustedIssuer created) {
    created.bindings().stream().map(ClaimBinding::principalId).distinct()
        .map(id -> tenants.principal(created.tenantId(), id))
        .flatMap(Optional::stream)
        .filter(service -> !service.resourceName().equals(ctx.caller().resourceName()))
        .forEach(service -> events.signInTrusted(service, created.issuerId(),
            created.createTime()));
  }

  /** The issuer named {@code tenants/{tenant}/issuers/{id}}. */
  public TrustedIssuer get(CallContext ctx, String name) {
    String[] parts = parse(name);
    enforcer.require(ctx, policy.manageIssuers(ctx.caller(), parts[0]), AuditAction.ISSUER_READ,
        name);
    return issuers.get(parts[0], parts[1]).orElseThrow(() -> notFound(parts[1]));
  }

  /** A page of the tenant's issuers (empty tenant id: the caller's). */
  public Page<TrustedIssuer> list(CallContext ctx, String tenantId, String pageToken,
      int pageSize) {
    String tenant = target(ctx, tenantId);
    enforcer.require(ctx, policy.manageIssuers(ctx.caller(), tenant), AuditAction.ISSUER_READ,
        "tenants/" + tenant + "/issuers");
    return issuers.list(tenant, pageToken, pageSize);
  }

  /** Removes the issuer; its JWTs are refused from now on. */
  public synchronized TrustedIssuer delete(CallContext ctx, String name) {
    String[] parts = parse(name);
    enforcer.require(ctx, policy.manageIssuers(ctx.caller(), parts[0]), AuditAction.ISSUER_DELETE,
        name);
    TrustedIssuer issuer = issuers.get(parts[0], parts[1]).orElseThrow(() -> notFound(parts[1]));
    Changes changes = new Changes();
    issuers.stageDelete(changes, issuer);
    commit(ctx, changes, parts[0], AuditAction.ISSUER_DELETE, issuer.resourceName());
    keys.forget(issuer);
    return issuer;
  }

  /**
   * The PEOPLE issuers of {@code tenantId} (up to {@value #MAX_LOGIN_ISSUERS}), for callers
   * without an account: an unknown tenant has none. Only their public facts are meant to be
   * shown (issuer URL, client id, scopes).
   */
  public List<TrustedIssuer> loginIssuers(String tenantId) {
    String tenant = FieldRules.tenantId("tenant_id", tenantId);
    List<TrustedIssuer> people = new ArrayList<>();
    String token = "";
    for (int pages = 0; pages < 10 && people.size() < MAX_LOGIN_ISSUERS; pages++) {
      Page<TrustedIssuer> page = issuers.list(tenant, token, 100);
      page.items().stream().filter(i -> i.purpose() == IssuerPurpose.PEOPLE)
          .limit(MAX_LOGIN_ISSUERS - people.size()).forEach(people::add);
      token = page.nextPageToken();
      if (token.isEmpty()) {
        break;
      }
    }
    return people;
  }

  private void commit(CallContext ctx, Changes changes, String tenant, AuditAction action,
      String target) {
    boolean elsewhere = !tenant.equals(ctx.tenantId());
    String actor = elsewhere ? ctx.caller().resourceName() : ctx.actor();
    audit.commit(changes, new AuditEvent(clock.instant(), tenant, actor, action, target,
        AuditEvent.ALLOWED, "", ctx.requestId(), ctx.peer()));
    if (elsewhere) {
      audit.record(enforcer.allowed(ctx, action, target));
    }
  }

  private static String target(CallContext ctx, String tenantId) {
    return tenantId == null || tenantId.isEmpty() ? ctx.tenantId()
        : FieldRules.tenantId("tenant_id", tenantId);
  }

  /** {tenant, issuer id} of a resource name. */
  private static String[] parse(String name) {
    Matcher m = NAME.matcher(name == null ? "" : name);
    if (!m.matches()) {
      throw CofferException.invalid("name", "must have the form tenants/{tenant}/issuers/{id}");
    }
    FieldRules.tenantId("name", m.group(1));
    if (!m.group(2).matches("[a-z][a-z0-9-]{1,63}")) {
      throw CofferException.invalid("name", "the issuer id is 2-64 characters: lower-case "
          + "letters, digits and '-', starting with a letter");
    }
    return new String[] {m.group(1), m.group(2)};
  }

  private static CofferException notFound(String issuerId) {
    return new CofferException(Reason.ISSUER_NOT_FOUND, "issuer " + issuerId + " not found");
  }
}
