package dev.coffer.server.fuzz;

import dev.coffer.api.v1.AccessServiceGrpc;
import dev.coffer.api.v1.AdminServiceGrpc;
import dev.coffer.api.v1.CreateAccessRequestRequest;
import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.api.v1.CreateGrantRequest;
import dev.coffer.api.v1.CreateLocationRequest;
import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.CreateScopeRequest;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateTenantRequest;
import dev.coffer.api.v1.CreateTrustedIssuerRequest;
import dev.coffer.api.v1.GetVaultStatusRequest;
import dev.coffer.api.v1.GrantServiceGrpc;
import dev.coffer.api.v1.IssueTokenRequest;
import dev.coffer.api.v1.IssuerPurpose;
import dev.coffer.api.v1.KeyAlgorithm;
import dev.coffer.api.v1.LeakReportServiceGrpc;
import dev.coffer.api.v1.OAuthFlow;
import dev.coffer.api.v1.ReportLeakRequest;
import dev.coffer.api.v1.RotateKekRequest;
import dev.coffer.api.v1.ScopeServiceGrpc;
import dev.coffer.api.v1.SecurityType;
import dev.coffer.api.v1.TrustedIssuer;
import dev.coffer.api.v1.TrustedIssuerServiceGrpc;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.server.domain.TenantPolicy;
import dev.coffer.server.service.lifecycle.LifecycleMonitor;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.TestVault;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The vault the fuzzer calls into: a real in-process Coffer (real interceptors, RocksDB in a
 * temp dir) holding one of everything a request can name, in tenant {@value #TENANT}: an
 * application and a signed-JWT application owned by an ordinary user, a vaulted shared secret,
 * a plain one, a quarantined one, a pending access request, a grant, a scope, a spare token,
 * two KEK keys. Requests are sent as four {@link Caller}s. Of the background jobs only the
 * lifecycle monitor runs, which writes nothing: the others write on their own (KEK re-wrap,
 * data-key shredding after a delete, replay-cache purge), and every store write during a call
 * must belong to that call.
 */
@SuppressWarnings("try") // close() waits for the server to stop, so it may be interrupted
final class FuzzWorld implements AutoCloseable {

  static final String TENANT = "acme";

  /** Who sends a request. */
  /**
   * A public JWK Set (an RSA key of the RFC 7517 examples) for the world's trusted issuer:
   * inline keys, so no fuzzed sign-in ever fetches keys from the network.
   */
  static final String INLINE_JWKS = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"2011-04-29\","
      + "\"e\":\"AQAB\",\"n\":\"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT"
      + "86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7"
      + "_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91"
      + "CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kE"
      + "gU8awapJzKnqDKgw\"}]}";

  enum Caller { SYSTEM_ADMIN, TENANT_ADMIN, USER, ANONYMOUS }

  final InProcessServer coffer;
  private final Map<Caller, String> tokens = new EnumMap<>(Caller.class);
  final String clientId;
  final String jwtClientId;
  final String secret;
  final String secretEtag;
  final String secretValue;
  final String plainSecret;
  final String quarantined;
  final String accessRequest;
  final String grant;
  final String scope = "scopes/orders.read";
  final String spareToken;
  final int oldKekKeyId;
  /** Names and values the generator mixes into strings, so random requests hit real objects. */
  final List<String> dictionary = new ArrayList<>();

  FuzzWorld(Path dir) throws IOException {
    // No job that writes (and no re-wrap: the old KEK key must keep wrapping data keys).
    coffer = new InProcessServer(dir, (vault, server) -> server.backgroundJobs(
        vault.backgroundJobs().stream()
            .filter(job -> job.name().equals(LifecycleMonitor.JOB_NAME)).toList()));
    String sys = coffer.vault.adminToken;
    tokens.put(Caller.SYSTEM_ADMIN, sys);
    coffer.tenants(sys).createTenant(CreateTenantRequest.newBuilder().setTenantId(TENANT)
        .build());
    for (String p : new String[] {"ada", "uma", "otto"}) {
      coffer.principals(sys).createPrincipal(CreatePrincipalRequest.newBuilder()
          .setTenantId(TENANT).setPrincipalId(p).setAdmin(p.equals("ada")).build());
    }
    tokens.put(Caller.TENANT_ADMIN, coffer.vault.tokenFor(TENANT, "ada"));
    tokens.put(Caller.USER, coffer.vault.tokenFor(TENANT, "uma"));
    String ada = tokens.get(Caller.TENANT_ADMIN);
    String uma = tokens.get(Caller.USER);
    String otto = coffer.vault.tokenFor(TENANT, "otto");
    coffer.locations(ada).createLocation(CreateLocationRequest.newBuilder().setPath("/Ops")
        .build());
    clientId = coffer.apps(uma).createApplication(CreateApplicationRequest.newBuilder()
        .setClientName("fuzz_app").setEnvironment("production")
        .setFlow(OAuthFlow.AUTHORIZATION_CODE).build()).getApplication().getClientId();
    jwtClientId = coffer.apps(uma).createApplication(CreateApplicationRequest.newBuilder()
        .setClientName("fuzz_jwt_app").setEnvironment("production")
        .setSecurityType(SecurityType.SIGNED_JWT).setFlow(OAuthFlow.AUTHORIZATION_CODE).build())
        .getApplication().getClientId();
    coffer.secrets(uma).createSecret(CreateSecretRequest.newBuilder()
        .setParent("applications/" + jwtClientId).setDisplayName("signing")
        .setLocation("/Ops").setKeyAlgorithm(KeyAlgorithm.ES256).build());
    var vaulted = coffer.secrets(uma).createSecret(CreateSecretRequest.newBuilder()
        .setParent("applications/" + clientId).setDisplayName("db").setLocation("/Ops")
        .setVaulted(true).setSharingEnabled(true).setPreapproveOwner(true).build());
    secret = vaulted.getSecret().getName();
    secretEtag = vaulted.getSecret().getEtag();
    secretValue = vaulted.getValue();
    plainSecret = coffer.secrets(uma).createSecret(CreateSecretRequest.newBuilder()
        .setParent("applications/" + clientId).setDisplayName("ci").setLocation("/Ops")
        .build()).getSecret().getName();
    var leaked = coffer.secrets(uma).createSecret(CreateSecretRequest.newBuilder()
        .setParent("applications/" + clientId).setDisplayName("leaked").setLocation("/Ops")
        .build());
    quarantined = leaked.getSecret().getName();
    stub(LeakReportServiceGrpc.newBlockingStub(coffer.channel), null)
        .reportLeak(ReportLeakRequest.newBuilder().setValue(leaked.getValue()).build());
    accessRequest = stub(AccessServiceGrpc.newBlockingStub(coffer.channel), otto)
        .createAccessRequest(CreateAccessRequestRequest.newBuilder().setSecret(secret)
            .setJustification("on call").setDuration(com.google.protobuf.util.Durations
                .fromHours(8)).build()).getName();
    grant = stub(GrantServiceGrpc.newBlockingStub(coffer.channel), uma)
        .createGrant(CreateGrantRequest.newBuilder().setSecret(secret).setGrantee("otto")
            .setExpireTime(com.google.protobuf.util.Timestamps.fromSeconds(
                TestVault.START.getEpochSecond() + 7 * 86_400)).build()).getName();
    stub(ScopeServiceGrpc.newBlockingStub(coffer.channel), ada).createScope(CreateScopeRequest
        .newBuilder().setScopeId("orders.read").setDescription("orders").build());
    stub(TrustedIssuerServiceGrpc.newBlockingStub(coffer.channel), ada).createTrustedIssuer(
        CreateTrustedIssuerRequest.newBuilder().setIssuer(TrustedIssuer.newBuilder()
            .setIssuerId("corp").setIssuer("https://login.example.com")
            .setPurpose(IssuerPurpose.PEOPLE).addAudiences("coffer")
            .setUserClaim("email").setClientId("coffer-cli").setJwksJson(INLINE_JWKS))
        .build());
    spareToken = coffer.tokens(ada).issueToken(IssueTokenRequest.newBuilder()
        .setTenantId(TENANT).setPrincipalId("otto").setDescription("spare").build())
        .getToken().getName();
    var admin = stub(AdminServiceGrpc.newBlockingStub(coffer.channel), sys);
    oldKekKeyId = admin.getVaultStatus(GetVaultStatusRequest.getDefaultInstance())
        .getKekKeys(0).getKeyId();
    admin.rotateKek(RotateKekRequest.getDefaultInstance());
    dictionary.addAll(List.of(TENANT, "default", "admin", "ada", "uma", "otto", "/", "/Ops",
        "/Ops/x", "applications/" + clientId, "applications/" + jwtClientId, clientId,
        jwtClientId, secret, plainSecret, quarantined, accessRequest, grant, scope,
        "orders.read", secretEtag, "r1", "r2", "production", "tenants/" + TENANT,
        "tenants/" + TENANT + "/principals/uma", "fuzz_app", "secrets/", "grants/",
        "accessRequests/", "applications/", "tokens/", "scopes/",
        "tenants/" + TENANT + "/issuers/corp", "https://login.example.com", "corp"));
  }

  String token(Caller caller) {
    return tokens.get(caller);
  }

  /** The callers' token values (confidential: never in a status). */
  List<String> tokenValues() {
    return tokens.values().stream().filter(Objects::nonNull).toList();
  }

  <S extends AbstractStub<S>> S stub(S stub, String token) {
    return stub.withInterceptors(InProcessServer.bearer(token))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /**
   * Gives back a working token to any caller whose token a fuzzed request revoked (the
   * fuzzer is allowed to find RevokeToken), so later requests keep their caller. Runs between
   * calls, never inside a measured one.
   */
  void heal() {
    allowUserTokensAgain("default");
    allowUserTokensAgain(TENANT);
    heal(Caller.SYSTEM_ADMIN, "default", "admin");
    heal(Caller.TENANT_ADMIN, TENANT, "ada");
    heal(Caller.USER, TENANT, "uma");
  }

  /**
   * Turns {@code federated_user_sign_in_only} off again where a fuzzed UpdateTenantPolicy
   * turned it on (it revoked the people's tokens and refuses them new ones), so the callers
   * that are people can be given tokens again.
   */
  private void allowUserTokensAgain(String tenant) {
    var tenants = coffer.vault.vault.directory().tenants();
    var system = coffer.vault.admin();
    TenantPolicy p = tenants.get(system, tenant).policy();
    if (p.federatedUserSignInOnly()) {
      tenants.updatePolicy(system, tenant, new TenantPolicy(p.allowNeverExpire(),
          p.maxSecretLifetime(), p.maxTokenLifetime(), p.maxAccessDuration(),
          p.requestDecisionWindow(), false));
    }
  }

  private void heal(Caller caller, String tenant, String principal) {
    try {
      coffer.principals(tokens.get(caller)).whoAmI(WhoAmIRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNAUTHENTICATED) {
        throw e;
      }
      tokens.put(caller, coffer.vault.tokenFor(tenant, principal));
    }
  }

  @Override
  public void close() throws InterruptedException {
    coffer.close();
  }
}
