package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.AccessToken;
import dev.coffer.api.v1.Application;
import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.api.v1.CreateApplicationResponse;
import dev.coffer.api.v1.CreateTenantRequest;
import dev.coffer.api.v1.GetPrincipalRequest;
import dev.coffer.api.v1.IssueTokenRequest;
import dev.coffer.api.v1.IssueTokenResponse;
import dev.coffer.api.v1.OAuthFlow;
import dev.coffer.api.v1.Principal;
import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.SecurityType;
import dev.coffer.api.v1.Tenant;
import dev.coffer.api.v1.TenantPolicy;
import dev.coffer.api.v1.WhoAmIRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtherCommandsTest extends FakeServerTest {


  @Test
  void tokenIssue_sendsItsFields_andPrintsTheTokenAloneOnStdoutWithAWarningOnStderr() {
    server.answer =
        req ->
            IssueTokenResponse.newBuilder()
                .setToken(AccessToken.newBuilder().setName("tokens/t1").setPrincipalId("alice"))
                .setValue("cfr_at_ISSUED")
                .build();
    assertEquals(
        0,
        cli.run(
            "token", "issue", "--principal", "alice", "--tenant", "acme", "--ttl", "90d",
            "--description", "ci"));
    IssueTokenRequest r = server.last(IssueTokenRequest.class);
    assertEquals("alice", r.getPrincipalId());
    assertEquals("acme", r.getTenantId());
    assertEquals(90L * 86_400, r.getTtl().getSeconds());
    assertEquals("ci", r.getDescription());
    assertEquals("cfr_at_ISSUED\n", cli.out());
    assertTrue(cli.err().contains("WARNING: This token is shown once."), cli.err());
    assertTrue(cli.err().contains("tokens/t1"), cli.err());
  }

  @Test
  void tokenIssue_forSomeoneWhoseTokensItRevoked_saysSoOnStderr() {
    server.answer =
        req ->
            IssueTokenResponse.newBuilder()
                .setToken(AccessToken.newBuilder().setName("tokens/t2").setPrincipalId("alice"))
                .setValue("cfr_at_ISSUED")
                .setRevokedTokenCount(2)
                .build();
    assertEquals(0, cli.run("token", "issue", "--principal", "alice"));
    assertEquals("cfr_at_ISSUED\n", cli.out());
    assertTrue(cli.err().contains("revoked the 2 token(s) alice held"), cli.err());
  }

  @Test
  void tokenList_namesThePrincipal_andPrintsIdsNeverValues() {
    server.answer =
        req ->
            dev.coffer.api.v1.ListTokensResponse.newBuilder()
                .addTokens(AccessToken.newBuilder().setName("tokens/tok_1").setTokenId("tok_1")
                    .setPrincipalId("billing").setDescription("replica a"))
                .build();
    assertEquals(0, cli.run("token", "list", "--principal", "billing"));
    assertEquals("billing", server.last(dev.coffer.api.v1.ListTokensRequest.class)
        .getPrincipalId());
    assertTrue(cli.out().contains("tok_1") && cli.out().contains("replica a"), cli.out());
  }

  @Test
  void appCreate_mapsTheKebabCaseChoices_andShowsTheInitialSecretOnce() {
    server.answer =
        req ->
            CreateApplicationResponse.newBuilder()
                .setApplication(Application.newBuilder().setName("applications/c1").setClientId("c1"))
                .setInitialSecret(Secret.newBuilder().setName("secrets/s0"))
                .setInitialSecretValue("cfr_cs_INITIAL")
                .build();
    assertEquals(
        0,
        cli.run(
            "app", "create", "--name", "payments_api", "--env", "production",
            "--security-type", "signed-jwt", "--flow", "authorization-code", "--owner", "alice"));
    CreateApplicationRequest r = server.last(CreateApplicationRequest.class);
    assertEquals("payments_api", r.getClientName());
    assertEquals("production", r.getEnvironment());
    assertEquals(SecurityType.SIGNED_JWT, r.getSecurityType());
    assertEquals(OAuthFlow.AUTHORIZATION_CODE, r.getFlow());
    assertEquals("alice", r.getOwner());
    assertEquals("cfr_cs_INITIAL\n", cli.out());
    assertTrue(cli.err().contains(Printer.WARN_VERIFIER), cli.err());
  }

  @Test
  void appCreate_withoutChoices_leavesTheServerDefaults_andPrintsTheApplication() {
    server.answer =
        req ->
            CreateApplicationResponse.newBuilder()
                .setApplication(Application.newBuilder().setName("applications/c1").setClientId("c1"))
                .build();
    assertEquals(0, cli.run("app", "create", "--name", "payments_api", "--env", "production"));
    CreateApplicationRequest r = server.last(CreateApplicationRequest.class);
    assertEquals(SecurityType.SECURITY_TYPE_UNSPECIFIED, r.getSecurityType());
    assertEquals(OAuthFlow.OAUTH_FLOW_UNSPECIFIED, r.getFlow());
    assertTrue(cli.out().matches("(?s).*\\nclient id +c1\\n.*"), cli.out());
    assertFalse(cli.err().contains("WARNING"), cli.err());
  }

  @Test
  void appCreate_withOutFile_writesTheInitialSecret0600(@TempDir Path dir) throws Exception {
    server.answer =
        req ->
            CreateApplicationResponse.newBuilder()
                .setApplication(Application.newBuilder().setName("applications/c1"))
                .setInitialSecret(Secret.newBuilder().setName("secrets/s0"))
                .setInitialSecretValue("cfr_cs_INITIAL")
                .build();
    Path file = dir.resolve("initial");
    assertEquals(
        0,
        cli.run(
            "app", "create", "--name", "payments_api", "--env", "production", "--out-file",
            file.toString(), "-o", "json"));
    assertEquals("cfr_cs_INITIAL\n", Files.readString(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertFalse(cli.out().contains("cfr_cs_INITIAL"), cli.out());
  }

  @Test
  void principalGet_withoutTenant_asksWhoAmIForTheCallersTenant() {
    server.answer =
        req ->
            req instanceof WhoAmIRequest
                ? Principal.newBuilder().setTenantId("acme").build()
                : Principal.newBuilder().setName("tenants/acme/principals/bob").build();
    assertEquals(0, cli.run("principal", "get", "bob"));
    assertEquals("tenants/acme/principals/bob", server.last(GetPrincipalRequest.class).getName());

    server.requests.clear();
    assertEquals(0, cli.run("principal", "get", "bob", "--tenant", "other"));
    assertEquals(1, server.requests.size());
    assertEquals("tenants/other/principals/bob", server.last(GetPrincipalRequest.class).getName());
  }

  @Test
  void tenantCreate_sendsTheSharingPolicy_andShowsIt() {
    server.answer =
        req ->
            Tenant.newBuilder()
                .setName("tenants/acme")
                .setPolicy(((CreateTenantRequest) req).getPolicy())
                .build();
    assertEquals(
        0,
        cli.run(
            "tenant", "create", "acme", "--max-access-duration", "30d",
            "--request-decision-window", "36h"),
        cli.err());
    TenantPolicy policy = server.last(CreateTenantRequest.class).getPolicy();
    assertEquals(30L * 86_400, policy.getMaxAccessDuration().getSeconds());
    assertEquals(36L * 3_600, policy.getRequestDecisionWindow().getSeconds());
    assertTrue(cli.out().matches("(?s).*\\nmax access duration +30d\\n.*"), cli.out());
    assertTrue(cli.out().matches("(?s).*\\nrequest decision window +36h\\n.*"), cli.out());
  }

  @Test
  void tenantCreate_withoutSharingFlags_leavesTheServerDefaults() {
    server.answer = req -> Tenant.newBuilder().setName("tenants/acme").build();
    assertEquals(0, cli.run("tenant", "create", "acme"));
    TenantPolicy policy = server.last(CreateTenantRequest.class).getPolicy();
    assertFalse(policy.hasMaxAccessDuration() || policy.hasRequestDecisionWindow());
    assertTrue(cli.out().matches("(?s).*\\nmax access duration +default\\n.*"), cli.out());
  }

  @Test
  void completion_printsABashScriptCoveringTheCommandTree() {
    CliHarness offline = new CliHarness(null);
    assertEquals(0, offline.run("completion"));
    String script = offline.out();
    assertTrue(script.startsWith("#!/usr/bin/env bash"), script);
    assertTrue(script.contains("complete -F"), script);
    assertTrue(script.contains("verify"), script);
    assertTrue(script.contains("--expiring-within"), script);
    assertTrue(script.contains("--value-file") && script.contains("--request-decision-window"), script);
  }
}
