package dev.coffer.server.api;

import dev.coffer.api.v1.CreateTenantRequest;
import dev.coffer.api.v1.GetTenantRequest;
import dev.coffer.api.v1.Tenant;
import dev.coffer.api.v1.TenantServiceGrpc;
import dev.coffer.api.v1.UpdateTenantPolicyRequest;
import dev.coffer.server.domain.TenantPolicy;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.directory.Tenants;
import io.grpc.stub.StreamObserver;

/**
 * gRPC adapter of {@link Tenants}: maps requests to the service (which checks and decides
 * everything) and tenants back; a policy is read from the API the same way for CreateTenant
 * and UpdateTenantPolicy.
 */
public final class TenantGrpcService extends TenantServiceGrpc.TenantServiceImplBase {

  private final Tenants tenants;

  public TenantGrpcService(Tenants tenants) {
    this.tenants = tenants;
  }

  @Override
  public void createTenant(CreateTenantRequest req, StreamObserver<Tenant> out) {
    UnaryCalls.run(out, ctx -> ProtoMapper.tenant(tenants.create(ctx, req.getTenantId(),
        req.hasPolicy() ? policy(req.getPolicy()) : null)));
  }

  @Override
  public void getTenant(GetTenantRequest req, StreamObserver<Tenant> out) {
    UnaryCalls.run(out, ctx -> ProtoMapper.tenant(tenants.get(ctx,
        FieldRules.resourceId("name", req.getName(), "tenants/"))));
  }

  @Override
  public void updateTenantPolicy(UpdateTenantPolicyRequest req, StreamObserver<Tenant> out) {
    UnaryCalls.run(out, ctx -> ProtoMapper.tenant(tenants.updatePolicy(ctx,
        FieldRules.resourceId("name", req.getName(), "tenants/"),
        req.hasPolicy() ? policy(req.getPolicy()) : null).after()));
  }

  /** The domain policy of {@code p}; unset durations stay null (the service's defaults). */
  private static TenantPolicy policy(dev.coffer.api.v1.TenantPolicy p) {
    return new TenantPolicy(p.getAllowNeverExpire(),
        ProtoMapper.duration("policy.max_secret_lifetime", p.hasMaxSecretLifetime(),
            p.getMaxSecretLifetime()),
        ProtoMapper.duration("policy.max_token_lifetime", p.hasMaxTokenLifetime(),
            p.getMaxTokenLifetime()),
        ProtoMapper.duration("policy.max_access_duration", p.hasMaxAccessDuration(),
            p.getMaxAccessDuration()),
        ProtoMapper.duration("policy.request_decision_window",
            p.hasRequestDecisionWindow(), p.getRequestDecisionWindow()),
        p.getFederatedUserSignInOnly());
  }
}
