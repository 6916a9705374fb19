package dev.coffer.server.api;

import dev.coffer.api.v1.CreateTenantRequest;
import dev.coffer.api.v1.GetTenantRequest;
import dev.coffer.api.v1.Tenant;
import dev.coffer.api.v1.TenantServiceGrpc;
import dev.coffer.server.domain.TenantPolicy;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.directory.Tenants;
import io.grpc.stub.StreamObserver;

/** gRPC adapter of {@link Tenants}. */
public final class TenantGrpcService extends TenantServiceGrpc.TenantServiceImplBase {

  private final Tenants tenants;

  public TenantGrpcService(Tenants tenants) {
    this.tenants = tenants;
  }

  @Override
  public void createTenant(CreateTenantRequest req, StreamObserver<Tenant> out) {
    UnaryCalls.run(out, ctx -> {
      TenantPolicy policy = null;
      if (req.hasPolicy()) {
        var p = req.getPolicy();
        policy = new TenantPolicy(p.getAllowNeverExpire(),
            ProtoMapper.duration("policy.max_secret_lifetime", p.hasMaxSecretLifetime(),
                p.getMaxSecretLifetime()),
            ProtoMapper.duration("policy.max_token_lifetime", p.hasMaxTokenLifetime(),
                p.getMaxTokenLifetime()),
            ProtoMapper.duration("policy.max_access_duration", p.hasMaxAccessDuration(),
                p.getMaxAccessDuration()),
            ProtoMapper.duration("policy.request_decision_window",
                p.hasRequestDecisionWindow(), p.getRequestDecisionWindow()));
      }
      return ProtoMapper.tenant(tenants.create(ctx, req.getTenantId(), policy));
    });
  }

  @Override
  public void getTenant(GetTenantRequest req, StreamObserver<Tenant> out) {
    UnaryCalls.run(out, ctx -> ProtoMapper.tenant(tenants.get(ctx,
        FieldRules.resourceId("name", req.getName(), "tenants/"))));
  }
}
