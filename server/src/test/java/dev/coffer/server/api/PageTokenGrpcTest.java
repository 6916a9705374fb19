package dev.coffer.server.api;

import static dev.coffer.server.testing.GrpcAssertions.assertInvalidField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Durations;
import dev.coffer.api.v1.AccessServiceGrpc;
import dev.coffer.api.v1.AuditFilter;
import dev.coffer.api.v1.AuditServiceGrpc;
import dev.coffer.api.v1.CreateAccessRequestRequest;
import dev.coffer.api.v1.GrantServiceGrpc;
import dev.coffer.api.v1.ListAccessRequestsRequest;
import dev.coffer.api.v1.ListApplicationsRequest;
import dev.coffer.api.v1.ListAuditEventsRequest;
import dev.coffer.api.v1.ListGrantsRequest;
import dev.coffer.api.v1.ListLocationsRequest;
import dev.coffer.api.v1.ListPrincipalsRequest;
import dev.coffer.api.v1.ListScopesRequest;
import dev.coffer.api.v1.ListSecretsRequest;
import dev.coffer.api.v1.ListSecretsResponse;
import dev.coffer.api.v1.ScopeServiceGrpc;
import dev.coffer.api.v1.Secret;
import dev.coffer.server.Vault;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.SecurityType;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.TestSecrets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Page tokens over the real interceptors: opaque (sealed, never an object id), bound to
 * method, caller, tenant and filters, refused with INVALID_ARGUMENT {@code page_token}
 * otherwise; and paging still returns every item exactly once, on every List RPC.
 */
class PageTokenGrpcTest {

  static final int SECRETS = 7;

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.inProcessServer().build();
  InProcessServer coffer;
  String admin;
  String alice;
  String bob;
  String acmeAdmin;
  String clientId;
  List<String> secretIds = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    coffer = fixture.coffer();
    Vault v = coffer.vault.vault;
    CallContext system = coffer.vault.admin();
    v.directory().principals().create(system, "default", "alice", PrincipalKind.USER, false);
    v.directory().principals().create(system, "default", "bob", PrincipalKind.USER, false);
    v.directory().tenants().create(system, "acme", null);
    v.directory().principals().create(system, "acme", "ada", PrincipalKind.USER, true);
    admin = coffer.vault.adminToken;
    alice = coffer.vault.tokenFor("default", "alice");
    bob = coffer.vault.tokenFor("default", "bob");
    acmeAdmin = coffer.vault.tokenFor("acme", "ada");
    CallContext aliceCtx = coffer.vault.as(v.directory().principals().get(system, "default",
        "alice"));
    clientId = v.directory().applications().create(aliceCtx, "payments_api", "production",
        SecurityType.CLIENT_SECRET, OAuthFlow.AUTHORIZATION_CODE, "alice").application()
        .clientId();
    v.directory().applications().create(aliceCtx, "billing_api", "production",
        SecurityType.CLIENT_SECRET, OAuthFlow.AUTHORIZATION_CODE, "alice");
    for (int i = 0; i < SECRETS; i++) {
      try (var minted = TestSecrets.create(v, aliceCtx, clientId, SecretRequest.builder()
          .displayName("s" + i).location("/").vaulted(true).sharingEnabled(true).build())) {
        secretIds.add(minted.stored().metadata().secretId());
      }
    }
    for (String path : new String[] {"/a", "/b", "/c", "/a/x"}) {
      v.secrets().locations().create(system, path);
    }
    for (String scope : new String[] {"read_api", "write_api", "admin_api"}) {
      v.directory().scopes().create(aliceCtx, scope, "", "alice");
    }
    CallContext bobCtx = coffer.vault.as(v.directory().principals().get(system, "default", "bob"));
    for (int i = 0; i < 4; i++) {
      v.sharing().accessRequests().create(bobCtx, secretIds.get(i), "incident " + i,
          Duration.ofHours(1));
      v.sharing().grants().create(aliceCtx, secretIds.get(i), "bob",
          coffer.vault.clock.instant().plusSeconds(3600));
    }
  }

  ListSecretsResponse secrets(String token, ListSecretsRequest.Builder req) {
    return coffer.secrets(token).listSecrets(req.build());
  }

  String firstToken(String token, ListSecretsRequest.Builder req) {
    String next = secrets(token, req.setPageSize(2)).getNextPageToken();
    assertFalse(next.isEmpty());
    return next;
  }

  @Test
  void secretsPaging_returnsEveryItemExactlyOnce_evenWhenThePageSizeChanges() {
    List<String> seen = new ArrayList<>();
    String token = "";
    int[] sizes = {2, 3, 1, 5};
    for (int page = 0; page < 20; page++) {
      var response = secrets(alice, ListSecretsRequest.newBuilder()
          .setPageSize(sizes[page % sizes.length]).setPageToken(token));
      response.getSecretsList().stream().map(Secret::getName).forEach(seen::add);
      token = response.getNextPageToken();
      if (token.isEmpty()) {
        break;
      }
    }
    assertEquals("", token, "paging ended");
    assertEquals(SECRETS, seen.size(), seen.toString());
    assertEquals(SECRETS, new HashSet<>(seen).size(), seen.toString());
    assertEquals(secretIds.stream().map(id -> "secrets/" + id).collect(
        Collectors.toSet()), new HashSet<>(seen));
  }

  @Test
  void tokenFromAnotherMethod_isRefused() {
    String token = firstToken(alice, ListSecretsRequest.newBuilder());
    assertInvalidField("page_token", () -> coffer.apps(alice).listApplications(
        ListApplicationsRequest.newBuilder().setPageToken(token).build()));
    assertInvalidField("page_token", () -> coffer.locations(alice).listLocations(
        ListLocationsRequest.newBuilder().setPageToken(token).build()));
  }

  @Test
  void tokenWithOtherFilters_isRefused_butAnotherPageSizeIsNot() {
    String token = firstToken(alice, ListSecretsRequest.newBuilder());
    assertInvalidField("page_token", () -> secrets(alice, ListSecretsRequest.newBuilder()
        .setShared(true).setPageToken(token)));
    assertInvalidField("page_token", () -> secrets(alice, ListSecretsRequest.newBuilder()
        .setLocation("/").setPageToken(token)));
    assertInvalidField("page_token", () -> secrets(alice, ListSecretsRequest.newBuilder()
        .setParent("applications/" + clientId).setPageToken(token)));
    assertInvalidField("page_token", () -> secrets(alice, ListSecretsRequest.newBuilder()
        .setExpiringWithin(Durations.fromDays(400)).setPageToken(token)));
    assertEquals(5, secrets(alice, ListSecretsRequest.newBuilder().setPageSize(9)
        .setPageToken(token)).getSecretsCount());
  }

  @Test
  void tokenOfAnotherCaller_isRefused() {
    String token = firstToken(alice, ListSecretsRequest.newBuilder());
    assertInvalidField("page_token", () -> secrets(bob, ListSecretsRequest.newBuilder()
        .setPageSize(2).setPageToken(token)));
    assertInvalidField("page_token", () -> secrets(admin, ListSecretsRequest.newBuilder()
        .setPageSize(2).setPageToken(token)));
  }

  @Test
  void tokenOfAnotherTenant_isRefused() {
    String token = coffer.locations(admin).listLocations(ListLocationsRequest.newBuilder()
        .setPageSize(1).build()).getNextPageToken();
    assertFalse(token.isEmpty());
    assertInvalidField("page_token", () -> coffer.locations(acmeAdmin).listLocations(
        ListLocationsRequest.newBuilder().setPageSize(1).setPageToken(token).build()));
    String principals = coffer.principals(admin).listPrincipals(ListPrincipalsRequest
        .newBuilder().setPageSize(1).build()).getNextPageToken();
    assertFalse(principals.isEmpty());
    assertInvalidField("page_token", () -> coffer.principals(admin).listPrincipals(
        ListPrincipalsRequest.newBuilder().setTenantId("acme").setPageSize(1)
            .setPageToken(principals).build()));
  }

  @Test
  void tamperedTruncatedOrForgedTokens_areRefused() {
    String token = firstToken(alice, ListSecretsRequest.newBuilder());
    int mid = token.length() / 2;
    char flipped = token.charAt(mid) == 'A' ? 'B' : 'A';
    String tampered = token.substring(0, mid) + flipped + token.substring(mid + 1);
    for (String bad : List.of(tampered, token.substring(0, token.length() - 4),
        token.substring(0, 10), token + "AAAA", "!!!", "x".repeat(5000))) {
      assertInvalidField("page_token", () -> secrets(alice, ListSecretsRequest.newBuilder()
          .setPageSize(2).setPageToken(bad)));
    }
    // A bare cursor, as tokens used to be (base64url of the last key read), is refused too.
    Vault v = coffer.vault.vault;
    CallContext aliceCtx = coffer.vault.as(
        v.directory().principals().get(coffer.vault.admin(), "default", "alice"));
    String bareCursor = v.secrets().secrets().list(aliceCtx, null, "", null, false, "", 2)
        .nextPageToken();
    assertFalse(bareCursor.isEmpty());
    assertInvalidField("page_token", () -> secrets(alice, ListSecretsRequest.newBuilder()
        .setPageSize(2).setPageToken(bareCursor)));
  }

  @Test
  void tokens_areFreshCiphertext_thatNeverShowAnId() {
    String first = firstToken(alice, ListSecretsRequest.newBuilder());
    String again = firstToken(alice, ListSecretsRequest.newBuilder());
    assertNotEquals(first, again, "sealing is randomized");
    for (String token : List.of(first, again)) {
      String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.ISO_8859_1);
      for (String id : secretIds) {
        assertFalse(token.contains(id) || decoded.contains(id), "token shows " + id);
      }
      assertFalse(decoded.contains("default"), "token shows the tenant id");
    }
  }

  /** Every List RPC: pages with a sealed token, ends, and refuses another method's token. */
  @Test
  void everyListRpc_sealsItsTokens_andPagesToTheEnd() {
    String foreign = firstToken(alice, ListSecretsRequest.newBuilder());
    var grants = GrantServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(bob)).withDeadlineAfter(10, TimeUnit.SECONDS);
    var access = AccessServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(alice)).withDeadlineAfter(10, TimeUnit.SECONDS);
    var scopes = ScopeServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(alice)).withDeadlineAfter(10, TimeUnit.SECONDS);
    var audit = AuditServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(admin)).withDeadlineAfter(10, TimeUnit.SECONDS);
    assertPagesThrough("ListApplications", 2, foreign, t -> {
      var r = coffer.apps(alice).listApplications(ListApplicationsRequest.newBuilder()
          .setPageSize(1).setPageToken(t).build());
      return new PageView(r.getApplicationsCount(), r.getNextPageToken());
    });
    assertPagesThrough("ListLocations", 5, foreign, t -> {
      var r = coffer.locations(alice).listLocations(ListLocationsRequest.newBuilder()
          .setPageSize(2).setPageToken(t).build());
      return new PageView(r.getLocationsCount(), r.getNextPageToken());
    });
    assertPagesThrough("ListPrincipals", 3, foreign, t -> {
      var r = coffer.principals(admin).listPrincipals(ListPrincipalsRequest.newBuilder()
          .setPageSize(2).setPageToken(t).build());
      return new PageView(r.getPrincipalsCount(), r.getNextPageToken());
    });
    assertPagesThrough("ListScopes", 3, foreign, t -> {
      var r = scopes.listScopes(ListScopesRequest.newBuilder().setPageSize(2).setPageToken(t)
          .build());
      return new PageView(r.getScopesCount(), r.getNextPageToken());
    });
    assertPagesThrough("ListGrants", 4, foreign, t -> {
      var r = grants.listGrants(ListGrantsRequest.newBuilder().setPageSize(3).setPageToken(t)
          .build());
      return new PageView(r.getGrantsCount(), r.getNextPageToken());
    });
    assertPagesThrough("ListAccessRequests", 4, foreign, t -> {
      var r = access.listAccessRequests(ListAccessRequestsRequest.newBuilder().setPending(true)
          .setPageSize(3).setPageToken(t).build());
      return new PageView(r.getAccessRequestsCount(), r.getNextPageToken());
    });
    for (int i = 0; i < 3; i++) {
      coffer.tokens(alice).issueToken(dev.coffer.api.v1.IssueTokenRequest.newBuilder()
          .setPrincipalId("alice").build());
    }
    assertPagesThrough("ListTokens", 4, foreign, t -> {
      var r = coffer.tokens(alice).listTokens(dev.coffer.api.v1.ListTokensRequest.newBuilder()
          .setPageSize(3).setPageToken(t).build());
      return new PageView(r.getTokensCount(), r.getNextPageToken());
    });
    int events = audit.listAuditEvents(ListAuditEventsRequest.newBuilder().setPageSize(1000)
        .build()).getEventsCount();
    assertPagesThrough("ListAuditEvents", events, foreign, t -> {
      var r = audit.listAuditEvents(ListAuditEventsRequest.newBuilder()
          .setFilter(AuditFilter.newBuilder().setTarget("")).setPageSize(7).setPageToken(t)
          .build());
      return new PageView(r.getEventsCount(), r.getNextPageToken());
    });
  }

  record PageView(int items, String next) {}

  /**
   * Pages {@code list} to its end, checking each token is not a bare cursor, then presents
   * {@code foreign} (another listing's token).
   */
  private void assertPagesThrough(String rpc, int expected, String foreign,
      Function<String, PageView> list) {
    int items = 0;
    String token = "";
    Set<String> tokens = new HashSet<>();
    for (int page = 0; page < 1000; page++) {
      PageView view = list.apply(token);
      items += view.items();
      token = view.next();
      if (token.isEmpty()) {
        break;
      }
      assertTrue(tokens.add(token), rpc + " repeated a token");
      String decoded = new String(Base64.getUrlDecoder().decode(token),
          StandardCharsets.ISO_8859_1);
      assertFalse(decoded.contains("default"), rpc + " token shows a key: " + decoded);
    }
    assertEquals("", token, rpc + " ended");
    assertEquals(expected, items, rpc);
    assertFalse(tokens.isEmpty(), rpc + " had more than one page");
    assertInvalidField("page_token", () -> list.apply(foreign));
  }
}
