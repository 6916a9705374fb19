package dev.coffer.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.coffer.api.v1.AccessRequest;
import dev.coffer.api.v1.AccessServiceGrpc;
import dev.coffer.api.v1.ApplicationServiceGrpc;
import dev.coffer.api.v1.ApproveAccessRequestRequest;
import dev.coffer.api.v1.CreateAccessRequestRequest;
import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.api.v1.CreateApplicationResponse;
import dev.coffer.api.v1.CreateGrantRequest;
import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.api.v1.GetSecretRequest;
import dev.coffer.api.v1.Grant;
import dev.coffer.api.v1.GrantServiceGrpc;
import dev.coffer.api.v1.IssueTokenRequest;
import dev.coffer.api.v1.IssueTokenResponse;
import dev.coffer.api.v1.PrincipalServiceGrpc;
import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.api.v1.RevokeGrantRequest;
import dev.coffer.api.v1.SecretServiceGrpc;
import dev.coffer.api.v1.TokenServiceGrpc;
import dev.coffer.api.v1.VerifySecretRequest;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.server.testing.CofferExtension;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After a vault has seen secrets, values, tokens, grants, requests and failures of every
 * kind, no label of the exposition carries an identifier or a value, and no identifier or
 * value appears anywhere in it.
 */
class LabelHygieneTest {

  /** Coffer's id and value prefixes: secrets, grants, tokens, requests, values. */
  static final Pattern FORBIDDEN = Pattern.compile("(sec|grt|tok|req|cfr)_");
  static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  @RegisterExtension
  final CofferExtension fixture = MeteredServer.extension(2);
  MeteredServer coffer;
  final List<String> shownOrIds = new ArrayList<>();

  @BeforeEach
  void setUp() {
    coffer = new MeteredServer(fixture);
  }

  <T> T remember(T message, String... values) {
    shownOrIds.addAll(List.of(values));
    return message;
  }

  @Test
  void noLabelCarriesAnIdOrValue_afterExercisingTheVault() {
    String admin = coffer.adminToken;
    shownOrIds.add(admin);
    var principals = coffer.as(PrincipalServiceGrpc.newBlockingStub(coffer.channel), admin);
    principals.createPrincipal(CreatePrincipalRequest.newBuilder().setPrincipalId("bob").build());
    IssueTokenResponse bobToken = coffer.as(TokenServiceGrpc.newBlockingStub(coffer.channel),
        admin).issueToken(IssueTokenRequest.newBuilder().setPrincipalId("bob").build());
    String bob = bobToken.getValue();
    remember(bobToken, bob, bobToken.getToken().getTokenId());

    CreateApplicationResponse app = coffer.as(ApplicationServiceGrpc.newBlockingStub(
        coffer.channel), admin).createApplication(CreateApplicationRequest.newBuilder()
        .setClientName("payments_api").setEnvironment("production").build());
    String clientId = app.getApplication().getClientId();
    remember(app, app.getInitialSecretValue(), app.getInitialSecret().getSecretId());

    var secrets = coffer.as(SecretServiceGrpc.newBlockingStub(coffer.channel), admin);
    CreateSecretResponse vaulted = secrets.createSecret(CreateSecretRequest.newBuilder()
        .setParent("applications/" + clientId).setDisplayName("db password")
        .setLocation("/").setVaulted(true).setSharingEnabled(true).setPreapproveOwner(true)
        .build());
    String vaultedId = vaulted.getSecret().getSecretId();
    remember(vaulted, vaulted.getValue(), vaultedId);
    secrets.revealSecret(RevealSecretRequest.newBuilder().setName("secrets/" + vaultedId).build());
    secrets.verifySecret(VerifySecretRequest.newBuilder().setClientId(clientId)
        .setValue(app.getInitialSecretValue()).build());
    CreateApplicationResponse other = coffer.as(ApplicationServiceGrpc.newBlockingStub(
        coffer.channel), admin).createApplication(CreateApplicationRequest.newBuilder()
        .setClientName("orders_api").setEnvironment("production").build());
    remember(other, other.getInitialSecretValue(), other.getInitialSecret().getSecretId());
    for (int i = 0; i < 3; i++) { // two mismatches, then rate limited
      assertThrowsOrMismatch(() -> secrets.verifySecret(VerifySecretRequest.newBuilder()
          .setClientId(clientId).setValue(other.getInitialSecretValue()).build()).getMatch());
    }
    assertThrows(StatusRuntimeException.class, () -> secrets.getSecret(GetSecretRequest
        .newBuilder().setName("secrets/sec_doesnotexist").build()));

    AccessRequest request = coffer.as(AccessServiceGrpc.newBlockingStub(coffer.channel), bob)
        .createAccessRequest(CreateAccessRequestRequest.newBuilder()
            .setSecret("secrets/" + vaultedId).setJustification("incident req_4411 for tok_x")
            .setDuration(Durations.fromHours(8)).build());
    remember(request, request.getRequestId());
    AccessRequest approved = coffer.as(AccessServiceGrpc.newBlockingStub(coffer.channel), admin)
        .approveAccessRequest(ApproveAccessRequestRequest.newBuilder()
            .setName(request.getName()).build());
    remember(approved, approved.getGrant().replace("grants/", ""));
    var grants = coffer.as(GrantServiceGrpc.newBlockingStub(coffer.channel), admin);
    Grant direct = grants.createGrant(CreateGrantRequest.newBuilder()
        .setSecret("secrets/" + vaultedId).setGrantee("bob")
        .setExpireTime(Timestamps.fromMillis(coffer.clock.millis() + 3_600_000)).build());
    remember(direct, direct.getGrantId());
    grants.revokeGrant(RevokeGrantRequest.newBuilder().setName(direct.getName()).build());
    assertThrows(StatusRuntimeException.class, () -> coffer.as(PrincipalServiceGrpc
        .newBlockingStub(coffer.channel), "cfr_at_guessedTokenValue0000000000000000000000000")
        .whoAmI(WhoAmIRequest.getDefaultInstance()));
    coffer.statistics().refresh();

    String exposition = coffer.scrape();

    assertTrue(LABEL.matcher(exposition).results().count() > 1000, "labels to check");
    assertEquals(List.of(), offendingLines(exposition));
    for (String s : shownOrIds) {
      assertFalse(s.isEmpty());
      assertFalse(exposition.contains(s), "an id or value in the exposition: " + s);
    }
    // The exercise did reach the metrics it was meant to.
    assertTrue(exposition.contains("coffer_verify_failures_total{reason=\"no_match\"} 2.0"));
    assertTrue(exposition.contains("coffer_verify_failures_total{reason=\"rate_limited\"} 1.0"));
    assertTrue(exposition.contains(
        "coffer_crypto_operations_total{operation=\"open\",result=\"success\"} 1.0"));
    assertTrue(exposition.contains("coffer_grants_active{tenant=\"default\"} 1.0"));
    assertTrue(exposition.contains(
        "coffer_audit_events_written_total{action=\"SECRET_REVEAL\",outcome=\"ALLOWED\"} 1.0"));
  }

  @Test
  void theCheck_catchesAnIdInALabel() {
    String bad = "# HELP x_total y\nx_total{tenant=\"default\",secret=\"sec_4f8e\"} 1.0\n"
        + "ok_total{tenant=\"acme\"} 2.0\n";

    assertEquals(List.of("x_total{tenant=\"default\",secret=\"sec_4f8e\"} 1.0"),
        offendingLines(bad));
  }

  /** Sample lines with a label value that matches {@link #FORBIDDEN}. */
  static List<String> offendingLines(String exposition) {
    List<String> offending = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      Matcher m = LABEL.matcher(line);
      while (m.find()) {
        if (FORBIDDEN.matcher(m.group(2)).find()) {
          offending.add(line);
        }
      }
    }
    return offending;
  }

  private static void assertThrowsOrMismatch(BooleanSupplier verify) {
    try {
      assertFalse(verify.getAsBoolean());
    } catch (StatusRuntimeException e) {
      assertEquals(io.grpc.Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
    }
  }
}
