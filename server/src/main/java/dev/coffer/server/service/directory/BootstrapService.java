package dev.coffer.server.service.directory;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.domain.TenantPolicy;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.TenantRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * First start of an empty vault: creates tenant {@code default}, its root location, the
 * bootstrap admin {@code admin} (tenant admin and system administrator) and one access
 * token for it, all in one atomic batch. Does nothing on later starts.
 */
public final class BootstrapService {

  public static final String DEFAULT_TENANT = "default";
  public static final String ADMIN = "admin";
  public static final Duration ADMIN_TOKEN_TTL = Duration.ofDays(90);

  private final TenantRepository tenants;
  private final Tenants tenantService;
  private final Tokens tokens;
  private final AuditLog audit;
  private final Clock clock;

  public BootstrapService(TenantRepository tenants, Tenants tenantService,
      Tokens tokens, AuditLog audit, Clock clock) {
    this.tenants = tenants;
    this.tenantService = tenantService;
    this.tokens = tokens;
    this.audit = audit;
    this.clock = clock;
  }

  /** Whether the vault is empty, so that {@link #bootstrapIfEmpty} would bootstrap it. */
  public boolean needed() {
    return tenants.tenant(DEFAULT_TENANT).isEmpty();
  }

  /** The admin's token when this call bootstrapped the vault; empty if it was not empty. */
  public synchronized Optional<Tokens.Issued> bootstrapIfEmpty() {
    if (tenants.tenant(DEFAULT_TENANT).isPresent()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Changes changes = new Changes();
    tenantService.stageNewTenant(changes, new Tenant(DEFAULT_TENANT, TenantPolicy.defaults(), now));
    tenants.stage(changes, new Principal(DEFAULT_TENANT, ADMIN, PrincipalKind.USER, true, true,
        now));
    Tokens.Issued issued = tokens.mint(changes, DEFAULT_TENANT, ADMIN, ADMIN_TOKEN_TTL,
        "bootstrap admin token");
    audit.commit(changes, new AuditEvent(now, DEFAULT_TENANT, "coffer", AuditAction.BOOTSTRAP,
        "tenants/" + DEFAULT_TENANT, AuditEvent.ALLOWED, "", "", ""));
    return Optional.of(issued);
  }
}
