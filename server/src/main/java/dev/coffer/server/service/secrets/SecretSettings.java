package dev.coffer.server.service.secrets;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.CofferException.FieldViolation;
import dev.coffer.server.domain.TenantPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.store.records.TenantRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates a {@link SecretRequest} against SPEC §2 and the tenant policy, and fills in
 * defaults: expiration one year from now (capped by the policy maximum), owner = caller.
 * Reports every offending field at once; checks nothing that would reveal other tenants.
 */
public final class SecretSettings {

  static final Duration DEFAULT_LIFETIME = Duration.ofDays(365);

  private final TenantRepository tenants;
  private final Locations locations;

  public SecretSettings(TenantRepository tenants, Locations locations) {
    this.tenants = tenants;
    this.locations = locations;
  }

  /** The request with defaults applied; {@code expireTime()} null means never. */
  public SecretRequest settle(CallContext ctx, SecretRequest req, TenantPolicy policy,
      Instant now) {
    List<FieldViolation> bad = new ArrayList<>();
    check(bad, () -> FieldRules.displayText("display_name", req.displayName(), 128));
    check(bad, () -> FieldRules.optionalText("description", req.description(), 1024));
    if (!req.vaulted() && req.sharingEnabled()) {
      bad.add(new FieldViolation("sharing_enabled",
          "sharing is only possible for vaulted secrets; set vaulted or drop sharing_enabled"));
    }
    if (!req.vaulted() && req.preapproveOwner()) {
      bad.add(new FieldViolation("preapprove_owner",
          "pre-approval is only possible for vaulted secrets"));
    }
    Instant expire = expiration(bad, req, policy, now);
    String owner = req.owner() == null || req.owner().isEmpty() ? ctx.actor() : req.owner();
    check(bad, () -> {
      FieldRules.principalId("owner", owner);
      if (tenants.principal(ctx.tenantId(), owner).isEmpty()) {
        throw CofferException.invalid("owner", "is not a principal of this tenant");
      }
    });
    String[] location = {"/"};
    check(bad, () -> {
      LocationPath path = LocationPath.parse("location", req.location());
      if (!locations.exists(ctx.tenantId(), path)) {
        throw CofferException.invalid("location",
            "does not exist; create it first (coffer location create " + path + ")");
      }
      location[0] = path.path();
    });
    if (!bad.isEmpty()) {
      throw CofferException.invalid(bad);
    }
    return req.toBuilder().expireTime(expire).neverExpires(expire == null)
        .location(location[0]).owner(owner).build();
  }

  private static Instant expiration(List<FieldViolation> bad, SecretRequest req,
      TenantPolicy policy, Instant now) {
    Instant latest = now.plus(policy.maxSecretLifetime());
    if (req.neverExpires()) {
      if (!policy.allowNeverExpire()) {
        bad.add(new FieldViolation("never_expires",
            "this tenant's policy requires every secret to expire"));
      }
      return null;
    }
    if (req.expireTime() == null) {
      Instant byDefault = now.plus(DEFAULT_LIFETIME);
      return byDefault.isAfter(latest) ? latest : byDefault;
    }
    if (!req.expireTime().isAfter(now)) {
      bad.add(new FieldViolation("expire_time", "must be in the future"));
    } else if (req.expireTime().isAfter(latest)) {
      bad.add(new FieldViolation("expire_time", "must be within the tenant's maximum lifetime of "
          + policy.maxSecretLifetime().toDays() + " days"));
    }
    return req.expireTime();
  }

  private static void check(List<FieldViolation> bad, Runnable rule) {
    try {
      rule.run();
    } catch (CofferException e) {
      bad.addAll(e.violations());
    }
  }
}
