package dev.coffer.server.service.secrets;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Location;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.LocationRepository;
import dev.coffer.server.store.records.Page;
import java.time.Clock;
import java.time.Instant;

/**
 * The per-tenant location tree. Creating a location creates its missing ancestors in the
 * same batch (like {@code mkdir -p}); tenant admins create, everyone in the tenant lists.
 */
public final class Locations {

  private final LocationRepository locations;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;

  public Locations(LocationRepository locations, Governance gov) {
    this.locations = locations;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
  }

  public synchronized Location create(CallContext ctx, String path) {
    LocationPath location = LocationPath.parse("path", path);
    enforcer.require(ctx, policy.manageLocations(ctx.caller()), AuditAction.LOCATION_CREATE,
        "locations" + location);
    if (exists(ctx.tenantId(), location)) {
      throw new CofferException(Reason.ALREADY_EXISTS, "location " + location + " already exists");
    }
    Instant now = clock.instant();
    Changes changes = new Changes();
    for (LocationPath ancestor : location.ancestors()) {
      if (!exists(ctx.tenantId(), ancestor)) {
        locations.stage(changes, new Location(ctx.tenantId(), ancestor.path(), now),
            ancestor.subtreePrefix());
      }
    }
    Location created = new Location(ctx.tenantId(), location.path(), now);
    locations.stage(changes, created, location.subtreePrefix());
    audit.commit(changes, enforcer.allowed(ctx, AuditAction.LOCATION_CREATE,
        "locations" + location));
    return created;
  }

  public boolean exists(String tenantId, LocationPath path) {
    return locations.get(tenantId, path.subtreePrefix()).isPresent();
  }

  /** @param under empty for the whole tree */
  public Page<Location> list(CallContext ctx, String under, String pageToken, int size) {
    LocationPath root = under == null || under.isEmpty()
        ? LocationPath.ROOT : LocationPath.parse("under", under);
    return locations.list(ctx.tenantId(), root.subtreePrefix(), pageToken, size);
  }
}
