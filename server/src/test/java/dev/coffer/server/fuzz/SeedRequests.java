package dev.coffer.server.fuzz;

import com.google.protobuf.Message;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.coffer.api.v1.*;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The fuzz target of each RPC: a valid request naming objects of the {@link FuzzWorld}, which
 * the generator mutates. {@code RpcFuzzTest} fails when an RPC of the catalog has none here.
 */
final class SeedRequests {

  private SeedRequests() {}

  static Map<String, Function<FuzzWorld, Message>> all() {
    Map<String, Function<FuzzWorld, Message>> m = new TreeMap<>();
    // AdminService
    m.put(AdminServiceGrpc.getGetVaultStatusMethod().getFullMethodName(),
        w -> GetVaultStatusRequest.getDefaultInstance());
    m.put(AdminServiceGrpc.getRotateKekMethod().getFullMethodName(),
        w -> RotateKekRequest.getDefaultInstance());
    m.put(AdminServiceGrpc.getDisableKekKeyMethod().getFullMethodName(),
        w -> DisableKekKeyRequest.newBuilder().setKeyId(w.oldKekKeyId).build());
    m.put(AdminServiceGrpc.getEnableKekKeyMethod().getFullMethodName(),
        w -> EnableKekKeyRequest.newBuilder().setKeyId(w.oldKekKeyId).build());
    m.put(AdminServiceGrpc.getDestroyKekKeyMethod().getFullMethodName(),
        w -> DestroyKekKeyRequest.newBuilder().setKeyId(w.oldKekKeyId).build());
    m.put(AdminServiceGrpc.getCreateBackupMethod().getFullMethodName(),
        w -> CreateBackupRequest.newBuilder().setName("fuzz-backup").build());
    // ClusterService (a single node: status is standalone, the changes are refused)
    m.put(ClusterServiceGrpc.getGetClusterStatusMethod().getFullMethodName(),
        w -> GetClusterStatusRequest.getDefaultInstance());
    m.put(ClusterServiceGrpc.getTransferLeadershipMethod().getFullMethodName(),
        w -> TransferLeadershipRequest.newBuilder().setTargetNodeId("coffer-1").build());
    m.put(ClusterServiceGrpc.getTakeSnapshotMethod().getFullMethodName(),
        w -> TakeSnapshotRequest.getDefaultInstance());
    m.put(ClusterServiceGrpc.getRemovePeerMethod().getFullMethodName(),
        w -> RemovePeerRequest.newBuilder().setNodeId("coffer-2").build());
    m.put(ClusterServiceGrpc.getAddPeerMethod().getFullMethodName(),
        w -> AddPeerRequest.newBuilder().setNodeId("coffer-3")
            .setAddress("coffer-3.coffer-peers:7000").build());
    // ApplicationService
    m.put(ApplicationServiceGrpc.getCreateApplicationMethod().getFullMethodName(),
        w -> CreateApplicationRequest.newBuilder().setClientName("fuzz_new_app")
            .setEnvironment("staging").setFlow(OAuthFlow.CLIENT_CREDENTIALS).setOwner("uma")
            .build());
    m.put(ApplicationServiceGrpc.getGetApplicationMethod().getFullMethodName(),
        w -> GetApplicationRequest.newBuilder().setName("applications/" + w.clientId).build());
    m.put(ApplicationServiceGrpc.getListApplicationsMethod().getFullMethodName(),
        w -> ListApplicationsRequest.newBuilder().setPageSize(2).build());
    // ClientAssertionService
    m.put(ClientAssertionServiceGrpc.getGetJwksMethod().getFullMethodName(),
        w -> GetJwksRequest.newBuilder().setParent("applications/" + w.jwtClientId).build());
    m.put(ClientAssertionServiceGrpc.getVerifyClientAssertionMethod().getFullMethodName(),
        w -> VerifyClientAssertionRequest.newBuilder().setClientId(w.jwtClientId)
            .setAssertion("eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln")
            .addAudiences("https://token.example").build());
    // AuditService
    AuditFilter filter = AuditFilter.newBuilder().setSince(Timestamps.fromSeconds(1_700_000_000))
        .setActor("uma").build();
    m.put(AuditServiceGrpc.getListAuditEventsMethod().getFullMethodName(),
        w -> ListAuditEventsRequest.newBuilder().setFilter(filter).setPageSize(5).build());
    m.put(AuditServiceGrpc.getExportAuditEventsMethod().getFullMethodName(),
        w -> ExportAuditEventsRequest.newBuilder().setFilter(filter.toBuilder()
            .setTarget(w.secret)).build());
    m.put(AuditServiceGrpc.getVerifyAuditChainMethod().getFullMethodName(),
        w -> VerifyAuditChainRequest.getDefaultInstance());
    // TrustedIssuerService and LoginService (identity federation)
    m.put(TrustedIssuerServiceGrpc.getCreateTrustedIssuerMethod().getFullMethodName(),
        w -> CreateTrustedIssuerRequest.newBuilder().setIssuer(TrustedIssuer.newBuilder()
            .setIssuerId("corp-fuzz").setIssuer("https://login.example.com/fuzz")
            .setJwksJson(FuzzWorld.INLINE_JWKS)
            .setPurpose(IssuerPurpose.PEOPLE).addAudiences("coffer")
            .setUserClaim("preferred_username").setClientId("coffer-cli")
            .addRequiredClaims(ClaimMatch.newBuilder().setClaim("email_verified")
                .setEquals("true"))
            .setMaxSession(Durations.fromMinutes(30))).build());
    m.put(TrustedIssuerServiceGrpc.getGetTrustedIssuerMethod().getFullMethodName(),
        w -> GetTrustedIssuerRequest.newBuilder()
            .setName("tenants/" + FuzzWorld.TENANT + "/issuers/corp").build());
    m.put(TrustedIssuerServiceGrpc.getListTrustedIssuersMethod().getFullMethodName(),
        w -> ListTrustedIssuersRequest.newBuilder().setPageSize(2).build());
    m.put(TrustedIssuerServiceGrpc.getDeleteTrustedIssuerMethod().getFullMethodName(),
        w -> DeleteTrustedIssuerRequest.newBuilder()
            .setName("tenants/" + FuzzWorld.TENANT + "/issuers/corp").build());
    m.put(LoginServiceGrpc.getLoginMethod().getFullMethodName(),
        w -> LoginRequest.newBuilder().setTenantId(FuzzWorld.TENANT)
            .setSubjectToken("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2xvZ2luLmV4YW1wbGUuY29t"
                + "In0.c2ln")
            .setSubjectTokenType("urn:ietf:params:oauth:token-type:id_token")
            .setTtl(Durations.fromMinutes(10)).setDescription("laptop").build());
    m.put(LoginServiceGrpc.getListLoginIssuersMethod().getFullMethodName(),
        w -> ListLoginIssuersRequest.newBuilder().setTenantId(FuzzWorld.TENANT).build());
    // LeakReportService
    m.put(LeakReportServiceGrpc.getReportLeakMethod().getFullMethodName(),
        w -> ReportLeakRequest.newBuilder().setValue("cfr_cs_not_a_real_value").build());
    // LifecycleService
    m.put(LifecycleServiceGrpc.getWatchLifecycleMethod().getFullMethodName(),
        w -> WatchLifecycleRequest.newBuilder().addLeadTimeSeconds(86_400)
            .addResources(w.secret).build());
    // LocationService
    m.put(LocationServiceGrpc.getCreateLocationMethod().getFullMethodName(),
        w -> CreateLocationRequest.newBuilder().setPath("/Ops/Payments").build());
    m.put(LocationServiceGrpc.getListLocationsMethod().getFullMethodName(),
        w -> ListLocationsRequest.newBuilder().setUnder("/Ops").setPageSize(3).build());
    // ScopeService
    m.put(ScopeServiceGrpc.getCreateScopeMethod().getFullMethodName(),
        w -> CreateScopeRequest.newBuilder().setScopeId("orders.write").setDescription("w")
            .setOwner("uma").build());
    m.put(ScopeServiceGrpc.getGetScopeMethod().getFullMethodName(),
        w -> GetScopeRequest.newBuilder().setName(w.scope).build());
    m.put(ScopeServiceGrpc.getListScopesMethod().getFullMethodName(),
        w -> ListScopesRequest.newBuilder().setPageSize(1).build());
    secrets(m);
    sharing(m);
    directory(m);
    return m;
  }

  private static void secrets(Map<String, Function<FuzzWorld, Message>> m) {
    m.put(SecretServiceGrpc.getCreateSecretMethod().getFullMethodName(),
        w -> CreateSecretRequest.newBuilder().setParent("applications/" + w.clientId)
            .setDisplayName("fuzzed").setDescription("d").setLocation("/Ops")
            .setExpireTime(Timestamps.fromSeconds(1_800_000_000L)).setVaulted(true)
            .setSharingEnabled(true).setOwner("uma").build());
    m.put(SecretServiceGrpc.getGetSecretMethod().getFullMethodName(),
        w -> GetSecretRequest.newBuilder().setName(w.secret).build());
    m.put(SecretServiceGrpc.getListSecretsMethod().getFullMethodName(),
        w -> ListSecretsRequest.newBuilder().setParent("applications/" + w.clientId)
            .setLocation("/Ops").setExpiringWithin(Durations.fromDays(30)).setPageSize(2)
            .build());
    m.put(SecretServiceGrpc.getRevokeSecretMethod().getFullMethodName(),
        w -> RevokeSecretRequest.newBuilder().setName(w.plainSecret).setEtag("r1").build());
    m.put(SecretServiceGrpc.getDeleteSecretMethod().getFullMethodName(),
        w -> DeleteSecretRequest.newBuilder().setName(w.plainSecret).setEtag("r1").build());
    m.put(SecretServiceGrpc.getVerifySecretMethod().getFullMethodName(),
        w -> VerifySecretRequest.newBuilder().setClientId(w.clientId).setValue(w.secretValue)
            .build());
    m.put(SecretServiceGrpc.getRevealSecretMethod().getFullMethodName(),
        w -> RevealSecretRequest.newBuilder().setName(w.secret).build());
    m.put(SecretServiceGrpc.getRotateSecretMethod().getFullMethodName(),
        w -> RotateSecretRequest.newBuilder().setName(w.secret)
            .setOverlap(Durations.fromHours(1)).setEtag(w.secretEtag).build());
    m.put(SecretServiceGrpc.getStoreCredentialMethod().getFullMethodName(),
        w -> StoreCredentialRequest.newBuilder().setDisplayName("partner")
            .setExternalClientId("partner-client").setValue("imported-value-0123456789")
            .setLocation("/Ops").setOwner("uma").setPreapproveOwner(true).build());
    m.put(SecretServiceGrpc.getUnquarantineSecretMethod().getFullMethodName(),
        w -> UnquarantineSecretRequest.newBuilder().setName(w.quarantined).build());
  }

  private static void sharing(Map<String, Function<FuzzWorld, Message>> m) {
    m.put(AccessServiceGrpc.getCreateAccessRequestMethod().getFullMethodName(),
        w -> CreateAccessRequestRequest.newBuilder().setSecret(w.secret)
            .setJustification("incident 42").setDuration(Durations.fromHours(4)).build());
    m.put(AccessServiceGrpc.getGetAccessRequestMethod().getFullMethodName(),
        w -> GetAccessRequestRequest.newBuilder().setName(w.accessRequest).build());
    m.put(AccessServiceGrpc.getListAccessRequestsMethod().getFullMethodName(),
        w -> ListAccessRequestsRequest.newBuilder().setPending(true).setPageSize(2).build());
    m.put(AccessServiceGrpc.getApproveAccessRequestMethod().getFullMethodName(),
        w -> ApproveAccessRequestRequest.newBuilder().setName(w.accessRequest).setEtag("r1")
            .build());
    m.put(AccessServiceGrpc.getDenyAccessRequestMethod().getFullMethodName(),
        w -> DenyAccessRequestRequest.newBuilder().setName(w.accessRequest).setReason("no")
            .setEtag("r1").build());
    m.put(AccessServiceGrpc.getCancelAccessRequestMethod().getFullMethodName(),
        w -> CancelAccessRequestRequest.newBuilder().setName(w.accessRequest).build());
    m.put(GrantServiceGrpc.getCreateGrantMethod().getFullMethodName(),
        w -> CreateGrantRequest.newBuilder().setSecret(w.secret).setGrantee("ada")
            .setExpireTime(Timestamps.fromSeconds(1_796_000_000L)).build());
    m.put(GrantServiceGrpc.getGetGrantMethod().getFullMethodName(),
        w -> GetGrantRequest.newBuilder().setName(w.grant).build());
    m.put(GrantServiceGrpc.getListGrantsMethod().getFullMethodName(),
        w -> ListGrantsRequest.newBuilder().setSecret(w.secret).setPageSize(2).build());
    m.put(GrantServiceGrpc.getRevokeGrantMethod().getFullMethodName(),
        w -> RevokeGrantRequest.newBuilder().setName(w.grant).setEtag("r1").build());
  }

  private static void directory(Map<String, Function<FuzzWorld, Message>> m) {
    m.put(TenantServiceGrpc.getCreateTenantMethod().getFullMethodName(),
        w -> CreateTenantRequest.newBuilder().setTenantId("globex").setPolicy(TenantPolicy
            .newBuilder().setAllowNeverExpire(true).setMaxSecretLifetime(Durations.fromDays(90))
            .setMaxAccessDuration(Durations.fromHours(12))).build());
    m.put(TenantServiceGrpc.getUpdateTenantPolicyMethod().getFullMethodName(),
        w -> UpdateTenantPolicyRequest.newBuilder().setName("tenants/" + FuzzWorld.TENANT)
            .setPolicy(TenantPolicy.newBuilder().setMaxTokenLifetime(Durations.fromDays(30))
                .setRequestDecisionWindow(Durations.fromDays(2))).build());
    m.put(TenantServiceGrpc.getGetTenantMethod().getFullMethodName(),
        w -> GetTenantRequest.newBuilder().setName("tenants/" + FuzzWorld.TENANT).build());
    m.put(PrincipalServiceGrpc.getCreatePrincipalMethod().getFullMethodName(),
        w -> CreatePrincipalRequest.newBuilder().setTenantId(FuzzWorld.TENANT)
            .setPrincipalId("svc.batch").setKind(PrincipalKind.SERVICE).build());
    m.put(PrincipalServiceGrpc.getGetPrincipalMethod().getFullMethodName(),
        w -> GetPrincipalRequest.newBuilder()
            .setName("tenants/" + FuzzWorld.TENANT + "/principals/uma").build());
    m.put(PrincipalServiceGrpc.getListPrincipalsMethod().getFullMethodName(),
        w -> ListPrincipalsRequest.newBuilder().setTenantId(FuzzWorld.TENANT).setPageSize(2)
            .build());
    m.put(PrincipalServiceGrpc.getWhoAmIMethod().getFullMethodName(),
        w -> WhoAmIRequest.getDefaultInstance());
    m.put(TokenServiceGrpc.getIssueTokenMethod().getFullMethodName(),
        w -> IssueTokenRequest.newBuilder().setTenantId(FuzzWorld.TENANT).setPrincipalId("otto")
            .setTtl(Durations.fromHours(1)).setDescription("fuzz").build());
    m.put(TokenServiceGrpc.getListTokensMethod().getFullMethodName(),
        w -> dev.coffer.api.v1.ListTokensRequest.newBuilder().setTenantId(FuzzWorld.TENANT)
            .setPrincipalId("uma").setPageSize(2).build());
    m.put(TokenServiceGrpc.getRevokeTokenMethod().getFullMethodName(),
        w -> RevokeTokenRequest.newBuilder().setName(w.spareToken).build());
  }
}
