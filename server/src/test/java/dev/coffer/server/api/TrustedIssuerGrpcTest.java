package dev.coffer.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.coffer.api.v1.CreateTrustedIssuerRequest;
import dev.coffer.api.v1.DeleteTrustedIssuerRequest;
import dev.coffer.api.v1.GetTrustedIssuerRequest;
import dev.coffer.api.v1.IssuerPurpose;
import dev.coffer.api.v1.ListPrincipalsRequest;
import dev.coffer.api.v1.ListTrustedIssuersRequest;
import dev.coffer.api.v1.ListTrustedIssuersResponse;
import dev.coffer.api.v1.TrustedIssuer;
import dev.coffer.api.v1.TrustedIssuerServiceGrpc;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.GrpcAssertions;
import dev.coffer.server.testing.InProcessServer;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TrustedIssuerService over gRPC: create/get/list/delete round trip, paging with the
 * server's sealed page tokens (a token of another listing is refused), field-named
 * INVALID_ARGUMENT from the request mapping, NOT_FOUND for a missing issuer.
 */
class TrustedIssuerGrpcTest {

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.inProcessServer().build();
  InProcessServer coffer;

  @BeforeEach
  void setUp() {
    coffer = fixture.coffer();
  }

  private TrustedIssuerServiceGrpc.TrustedIssuerServiceBlockingStub issuers() {
    return TrustedIssuerServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(coffer.vault.adminToken))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static TrustedIssuer.Builder people(String id) {
    return TrustedIssuer.newBuilder().setIssuerId(id).setIssuer("https://idp.example/" + id)
        .setPurpose(IssuerPurpose.PEOPLE).addAudiences("coffer").setUserClaim("sub_name")
        .setClientId("cli");
  }

  @Test
  void createGetListDelete_roundTrip_withPaging() {
    for (String id : List.of("a-one", "b-two", "c-three")) {
      issuers().createTrustedIssuer(CreateTrustedIssuerRequest.newBuilder()
          .setIssuer(people(id)).build());
    }
    TrustedIssuer got = issuers().getTrustedIssuer(GetTrustedIssuerRequest.newBuilder()
        .setName("tenants/default/issuers/b-two").build());
    assertEquals("https://idp.example/b-two", got.getIssuer());
    assertEquals(3600, got.getMaxSession().getSeconds());
    assertEquals("tenants/default/principals/admin", got.getCreator());

    List<String> seen = new ArrayList<>();
    String token = "";
    for (int i = 0; i < 5; i++) {
      ListTrustedIssuersResponse page = issuers().listTrustedIssuers(ListTrustedIssuersRequest
          .newBuilder().setPageSize(1).setPageToken(token).build());
      page.getIssuersList().forEach(x -> seen.add(x.getIssuerId()));
      token = page.getNextPageToken();
      if (token.isEmpty()) {
        break;
      }
    }
    assertEquals(List.of("a-one", "b-two", "c-three"), seen);

    String first = issuers().listTrustedIssuers(ListTrustedIssuersRequest.newBuilder()
        .setPageSize(1).build()).getNextPageToken();
    GrpcAssertions.assertInvalidField("page_token", () -> coffer.principals(
        coffer.vault.adminToken).listPrincipals(ListPrincipalsRequest.newBuilder()
            .setPageToken(first).build()));
    coffer.vault.newPrincipal("default", "zed", false);
    String principalsToken = coffer.principals(coffer.vault.adminToken).listPrincipals(
        ListPrincipalsRequest.newBuilder().setPageSize(1).build()).getNextPageToken();
    assertFalse(principalsToken.isEmpty());
    GrpcAssertions.assertInvalidField("page_token", () -> issuers().listTrustedIssuers(
        ListTrustedIssuersRequest.newBuilder().setPageToken(principalsToken).build()));

    issuers().deleteTrustedIssuer(DeleteTrustedIssuerRequest.newBuilder()
        .setName("tenants/default/issuers/b-two").build());
    GrpcAssertions.assertReason(Status.Code.NOT_FOUND, "ISSUER_NOT_FOUND",
        () -> issuers().getTrustedIssuer(GetTrustedIssuerRequest.newBuilder()
            .setName("tenants/default/issuers/b-two").build()));
  }

  @Test
  void badRequestsNameTheirField() {
    GrpcAssertions.assertInvalidField("issuer.purpose", () -> issuers().createTrustedIssuer(
        CreateTrustedIssuerRequest.newBuilder().setIssuer(people("p").setPurposeValue(9))
            .build()));
    GrpcAssertions.assertInvalidField("issuer.max_session", () -> issuers().createTrustedIssuer(
        CreateTrustedIssuerRequest.newBuilder().setIssuer(people("p-two").setMaxSession(
            com.google.protobuf.Duration.newBuilder().setSeconds(-5))).build()));
    GrpcAssertions.assertInvalidField("issuer.algorithms", () -> issuers().createTrustedIssuer(
        CreateTrustedIssuerRequest.newBuilder().setIssuer(people("p-three").addAlgorithms("HS256"))
            .build()));
    GrpcAssertions.assertInvalidField("name", () -> issuers().getTrustedIssuer(
        GetTrustedIssuerRequest.newBuilder().setName("issuers/x").build()));
    GrpcAssertions.assertInvalidField("tenant_id", () -> issuers().createTrustedIssuer(
        CreateTrustedIssuerRequest.newBuilder().setTenantId("Bad Tenant")
            .setIssuer(people("p-four")).build()));
  }
}
