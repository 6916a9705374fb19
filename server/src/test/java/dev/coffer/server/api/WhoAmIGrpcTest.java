package dev.coffer.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.GetPrincipalRequest;
import dev.coffer.api.v1.IssueTokenRequest;
import dev.coffer.api.v1.IssueTokenResponse;
import dev.coffer.api.v1.Principal;
import dev.coffer.api.v1.RevokeTokenRequest;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.InProcessServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WhoAmI names the token the caller authenticated with, so that it can be revoked. */
class WhoAmIGrpcTest {

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.inProcessServer().build();
  InProcessServer coffer;

  @BeforeEach
  void setUp() throws Exception {
    coffer = fixture.coffer();
  }

  @Test
  void whoAmI_returnsTheIdOfThePresentedToken_whichRevokesIt() {
    String admin = coffer.vault.adminToken;
    coffer.principals(admin).createPrincipal(CreatePrincipalRequest.newBuilder()
        .setPrincipalId("alice").build());
    IssueTokenResponse issued = coffer.tokens(admin).issueToken(IssueTokenRequest.newBuilder()
        .setPrincipalId("alice").build());

    Principal me = coffer.principals(issued.getValue()).whoAmI(WhoAmIRequest.getDefaultInstance());
    assertEquals("alice", me.getPrincipalId());
    assertEquals(issued.getToken().getTokenId(), me.getTokenId());
    assertFalse(me.toString().contains(issued.getValue()), "never the value");

    String adminTokenId = coffer.principals(admin).whoAmI(WhoAmIRequest.getDefaultInstance())
        .getTokenId();
    assertTrue(adminTokenId.startsWith("tok_"), adminTokenId);
    assertFalse(adminTokenId.equals(me.getTokenId()), "each caller sees its own token");

    coffer.tokens(admin).revokeToken(RevokeTokenRequest.newBuilder()
        .setName("tokens/" + me.getTokenId()).build());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> coffer.principals(issued.getValue()).whoAmI(WhoAmIRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
  }

  @Test
  void otherPrincipalResponses_carryNoTokenId() {
    String admin = coffer.vault.adminToken;
    Principal got = coffer.principals(admin).getPrincipal(GetPrincipalRequest.newBuilder()
        .setName("tenants/default/principals/admin").build());
    assertEquals("", got.getTokenId());
  }
}
