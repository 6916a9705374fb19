package dev.coffer.server.service.kernel;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.store.records.TenantRepository;
import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one lookup of an object by id on behalf of a caller, for every {@code visible*}
 * helper: the object if it is in the caller's tenant and the caller may see it, else the
 * helper's NOT_FOUND — the same exception whether the object is missing, invisible in the
 * caller's tenant, or in another tenant.
 *
 * <p>When the object exists but is invisible, the probe is written to the audit trail of
 * <em>the object's</em> tenant as {@link AuditAction#OBJECT_PROBE}, DENIED, reason
 * {@value #NOT_VISIBLE}, naming the caller (as {@code tenants/T/principals/P} when it is of
 * another tenant), so the owner's admins see who asked. A missing id writes nothing, so
 * guessing cannot cause unbounded writes; nor can probing one object over and over: at most
 * {@value #RECORDED_PER_CALLER_PER_MINUTE} probe events per caller and minute are written,
 * the rest answered alike and only counted ({@link #unrecorded}).
 *
 * <p>Security: the event is queued without waiting for its fsync, so a probe of an
 * existing object does not answer measurably later than a miss (a synced write would be a
 * timing oracle for existence); a write that fails is logged with the target only. Ids are
 * unguessable and unique across tenants, so another tenant is searched by point reads, one
 * per tenant, at most {@value #MAX_TENANTS_SEARCHED} tenants.
 */
public final class VisibilityProbe {

  public static final String NOT_VISIBLE = "NOT_VISIBLE";
  static final int MAX_TENANTS_SEARCHED = 10_000;
  private static final int TENANT_BATCH = 256;
  private static final Logger LOG = Logger.getLogger(VisibilityProbe.class.getName());

  /** Probe events one caller may have written per minute; beyond it they are counted only. */
  public static final long RECORDED_PER_CALLER_PER_MINUTE = 60;

  private final TenantRepository tenants;
  private final AuditLog audit;
  private final Clock clock;
  private final Cache<String, Bucket> budgets = Caffeine.newBuilder().maximumSize(100_000)
      .executor(Runnable::run).expireAfterAccess(Duration.ofMinutes(10)).build();
  private final AtomicLong unrecorded = new AtomicLong();

  public VisibilityProbe(TenantRepository tenants, Governance gov) {
    this.tenants = tenants;
    this.audit = gov.audit();
    this.clock = gov.clock();
  }

  /** Probes beyond a caller's recording budget, which were answered but not written. */
  public long unrecorded() {
    return unrecorded.get();
  }

  /**
   * The object {@code lookup} finds in the caller's tenant if {@code visible} accepts it;
   * otherwise throws {@code notFound}, after recording the probe if the object exists.
   *
   * @param target the object's resource name for the audit event, e.g. {@code secrets/ID}
   * @param lookup finds the object by its id in the tenant it is given
   */
  public <T> T require(CallContext ctx, String target, Function<String, Optional<T>> lookup,
      Predicate<T> visible, Supplier<CofferException> notFound) {
    Optional<T> own = lookup.apply(ctx.tenantId());
    if (own.isPresent()) {
      if (visible.test(own.get())) {
        return own.get();
      }
      record(ctx.tenantId(), ctx.actor(), ctx, target);
      throw notFound.get();
    }
    otherTenantHolding(ctx.tenantId(), lookup).ifPresent(tenant -> record(tenant,
        "tenants/" + ctx.tenantId() + "/principals/" + ctx.actor(), ctx, target));
    throw notFound.get();
  }

  private Optional<String> otherTenantHolding(String own,
      Function<String, ? extends Optional<?>> lookup) {
    String after = null;
    for (int searched = 0; searched < MAX_TENANTS_SEARCHED; searched += TENANT_BATCH) {
      List<String> batch = tenants.tenantIds(after, TENANT_BATCH);
      for (String tenant : batch) {
        if (!tenant.equals(own) && lookup.apply(tenant).isPresent()) {
          return Optional.of(tenant);
        }
      }
      if (batch.size() < TENANT_BATCH) {
        return Optional.empty();
      }
      after = batch.get(batch.size() - 1);
    }
    return Optional.empty();
  }

  private void record(String tenant, String actor, CallContext ctx, String target) {
    Bucket budget = budgets.get(ctx.tenantId() + "/" + ctx.actor(),
        k -> PerMinuteBudget.of(RECORDED_PER_CALLER_PER_MINUTE, clock));
    if (!budget.tryConsume(1)) {
      unrecorded.incrementAndGet(); // a caller probing in bulk cannot fill the disk
      return;
    }
    AuditEvent event = new AuditEvent(clock.instant(), tenant, actor, AuditAction.OBJECT_PROBE,
        target, AuditEvent.DENIED, NOT_VISIBLE, ctx.requestId(), ctx.peer());
    try {
      audit.recordAsync(event).whenComplete((ok, failure) -> {
        if (failure != null) {
          logUnrecorded(target, failure);
        }
      });
    } catch (RuntimeException e) {
      logUnrecorded(target, e);
    }
  }

  private static void logUnrecorded(String target, Throwable failure) {
    LOG.log(Level.WARNING, "could not record a probe of {0}: {1}",
        new Object[] {target, failure.getClass().getSimpleName()});
  }
}
