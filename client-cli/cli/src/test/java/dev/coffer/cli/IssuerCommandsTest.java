package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import dev.coffer.api.v1.ClaimBinding;
import dev.coffer.api.v1.ClaimMatch;
import dev.coffer.api.v1.CreateTrustedIssuerRequest;
import dev.coffer.api.v1.GetTenantRequest;
import dev.coffer.api.v1.GetTrustedIssuerRequest;
import dev.coffer.api.v1.IssuerPurpose;
import dev.coffer.api.v1.Principal;
import dev.coffer.api.v1.Tenant;
import dev.coffer.api.v1.TenantPolicy;
import dev.coffer.api.v1.TrustedIssuer;
import dev.coffer.api.v1.UpdateTenantPolicyRequest;
import dev.coffer.api.v1.WhoAmIRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coffer issuer create|get} and {@code coffer tenant set-policy} against the fake
 * server: every flag reaches its field, {@code --bind} and {@code --require} parse as documented
 * and bad ones are usage errors that call nothing, set-policy changes only what it is given.
 */
class IssuerCommandsTest extends FakeServerTest {

  @TempDir Path dir;

  @Test
  void create_sendsEveryFlagToItsField() throws Exception {
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, "{\"keys\":[]}\n");
    server.answer = req -> ((CreateTrustedIssuerRequest) req).getIssuer().toBuilder()
        .setName("tenants/acme/issuers/cluster-a").build();
    assertEquals(0, cli.run("issuer", "create", "cluster-a", "--tenant", "acme",
        "--url", "https://k8s.example", "--purpose", "workloads", "--jwks-file", jwks.toString(),
        "--audience", "coffer", "--audience", "vault", "--algorithm", "ES256",
        "--max-token-lifetime", "2h", "--max-session", "30m", "--clock-skew", "90s",
        "--bind", "sub=system:serviceaccount:payments:api->payments-api",
        "--bind", "repository=acme/api, ref~refs/heads/rel* -> deployer"), cli.err());
    CreateTrustedIssuerRequest r = server.last(CreateTrustedIssuerRequest.class);
    assertEquals("acme", r.getTenantId());
    TrustedIssuer i = r.getIssuer();
    assertEquals("cluster-a", i.getIssuerId());
    assertEquals("https://k8s.example", i.getIssuer());
    assertEquals(IssuerPurpose.WORKLOADS, i.getPurpose());
    assertEquals("{\"keys\":[]}", i.getJwksJson());
    assertEquals(List.of("coffer", "vault"), i.getAudiencesList());
    assertEquals(List.of("ES256"), i.getAlgorithmsList());
    assertEquals(7200, i.getMaxTokenLifetime().getSeconds());
    assertEquals(1800, i.getMaxSession().getSeconds());
    assertEquals(90, i.getClockSkew().getSeconds());
    assertEquals(List.of(
        ClaimBinding.newBuilder().setPrincipalId("payments-api").addClaims(ClaimMatch.newBuilder()
            .setClaim("sub").setEquals("system:serviceaccount:payments:api")).build(),
        ClaimBinding.newBuilder().setPrincipalId("deployer")
            .addClaims(ClaimMatch.newBuilder().setClaim("repository").setEquals("acme/api"))
            .addClaims(ClaimMatch.newBuilder().setClaim("ref").setPattern("refs/heads/rel*"))
            .build()), i.getBindingsList());
    assertTrue(cli.out().matches("(?s).*\\nbinding +repository=acme/api,ref~refs/heads/rel\\*"
        + "->deployer\\n.*"), cli.out());
    assertTrue(cli.out().contains("inline JWK Set"), cli.out());
  }

  @Test
  void create_forPeople_sendsTheSignInFields() {
    server.answer = req -> ((CreateTrustedIssuerRequest) req).getIssuer();
    assertEquals(0, cli.run("issuer", "create", "corp", "--url", "https://login.example.com",
        "--purpose", "people", "--audience", "coffer-cli", "--client-id", "coffer-cli",
        "--user-claim", "preferred_username", "--require", "email_verified=true",
        "--require", "hd=example.com", "--create-users", "--scope", "openid", "--scope",
        "email"), cli.err());
    TrustedIssuer i = server.last(CreateTrustedIssuerRequest.class).getIssuer();
    assertEquals("", server.last(CreateTrustedIssuerRequest.class).getTenantId());
    assertEquals(IssuerPurpose.PEOPLE, i.getPurpose());
    assertEquals("preferred_username", i.getUserClaim());
    assertEquals("coffer-cli", i.getClientId());
    assertTrue(i.getCreateUsers());
    assertEquals(List.of("openid", "email"), i.getScopesList());
    assertEquals(2, i.getRequiredClaimsCount());
    assertEquals("true", i.getRequiredClaims(0).getEquals());
  }

  @Test
  void badRules_areUsageErrors_thatCallNothing() {
    for (String bind : List.of("sub=x", "->svc", "sub->svc", "=x->svc", "sub=->svc")) {
      assertEquals(ExitCodes.USAGE, cli.run("issuer", "create", "c", "--url", "https://k",
          "--purpose", "workloads", "--audience", "a", "--bind", bind), bind);
      assertTrue(cli.err().contains("error: '"), cli.err());
    }
    assertEquals(ExitCodes.USAGE, cli.run("issuer", "create", "c", "--url", "https://k",
        "--purpose", "people", "--audience", "a", "--require", "email_verified"));
    assertEquals(ExitCodes.USAGE, cli.run("issuer", "create", "c", "--url", "https://k",
        "--purpose", "people", "--audience", "a", "--jwks-file", "/nonexistent/jwks"));
    assertEquals(ExitCodes.USAGE, cli.run("issuer", "create", "c", "--url", "https://k",
        "--audience", "a"));
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void get_withABareId_asksWhoAmIForTheTenant() {
    server.answer = req -> req instanceof WhoAmIRequest
        ? Principal.newBuilder().setTenantId("acme").build()
        : TrustedIssuer.newBuilder().setName("tenants/acme/issuers/corp").build();
    assertEquals(0, cli.run("issuer", "get", "corp"), cli.err());
    assertEquals("tenants/acme/issuers/corp", server.last(GetTrustedIssuerRequest.class)
        .getName());
    assertEquals(0, cli.run("issuer", "get", "corp", "--tenant", "globex"), cli.err());
    assertEquals("tenants/globex/issuers/corp", server.last(GetTrustedIssuerRequest.class)
        .getName());
  }

  @Test
  void setPolicy_changesOnlyTheFieldsGiven_andKeepsTheRest() {
    TenantPolicy current = TenantPolicy.newBuilder().setAllowNeverExpire(true)
        .setMaxTokenLifetime(Duration.newBuilder().setSeconds(30L * 86_400))
        .setMaxAccessDuration(Duration.newBuilder().setSeconds(86_400)).build();
    server.answer = req -> req instanceof GetTenantRequest
        ? Tenant.newBuilder().setName("tenants/acme").setPolicy(current).build()
        : Tenant.newBuilder().setName("tenants/acme")
            .setPolicy(((UpdateTenantPolicyRequest) req).getPolicy()).build();
    assertEquals(0, cli.run("tenant", "set-policy", "acme", "--federated-user-sign-in-only",
        "--max-secret-lifetime", "90d", "--allow-never-expire=false"), cli.err());
    UpdateTenantPolicyRequest r = server.last(UpdateTenantPolicyRequest.class);
    assertEquals("tenants/acme", r.getName());
    assertEquals(current.toBuilder().setFederatedUserSignInOnly(true).setAllowNeverExpire(false)
        .setMaxSecretLifetime(Duration.newBuilder().setSeconds(90L * 86_400)).build(),
        r.getPolicy());
    assertTrue(cli.out().matches("(?s).*people sign in only via issuers +yes.*"), cli.out());
    assertEquals(0, cli.run("tenant", "set-policy", "acme", "--federated-user-sign-in-only=false"));
    assertFalse(server.last(UpdateTenantPolicyRequest.class).getPolicy()
        .getFederatedUserSignInOnly());
    assertTrue(server.last(UpdateTenantPolicyRequest.class).getPolicy().getAllowNeverExpire());
  }
}
