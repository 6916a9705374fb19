package dev.coffer.server.api;

import static dev.coffer.server.testing.GrpcAssertions.assertInvalidField;
import static dev.coffer.server.testing.GrpcAssertions.assertReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import dev.coffer.api.v1.AuditEvent;
import dev.coffer.api.v1.AuditFilter;
import dev.coffer.api.v1.AuditServiceGrpc;
import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.api.v1.CreateLocationRequest;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.ExportAuditEventsRequest;
import dev.coffer.api.v1.IssueTokenRequest;
import dev.coffer.api.v1.ListAuditEventsRequest;
import dev.coffer.api.v1.ListAuditEventsResponse;
import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.api.v1.VerifyAuditChainRequest;
import dev.coffer.api.v1.VerifyAuditChainResponse;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.server.audit.AuditEntry;
import dev.coffer.server.audit.AuditQuery;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KeyValue;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.pb.AuditRec;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.InProcessServer;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** AuditService through the real interceptors: who reads what, bad filters, export, verify. */
class AuditGrpcTest {

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.inProcessServer().build();
  InProcessServer coffer;
  String tadmin;
  String alice;
  String acmeAdmin;

  @BeforeEach
  void setUp() {
    coffer = fixture.coffer();
    var v = coffer.vault.vault;
    var system = coffer.vault.admin();
    v.directory().principals().create(system, "default", "tadmin", PrincipalKind.USER, true);
    v.directory().principals().create(system, "default", "alice", PrincipalKind.USER, false);
    v.directory().tenants().create(system, "acme", null);
    v.directory().principals().create(system, "acme", "ada", PrincipalKind.USER, true);
    tadmin = coffer.vault.tokenFor("default", "tadmin");
    alice = coffer.vault.tokenFor("default", "alice");
    acmeAdmin = coffer.vault.tokenFor("acme", "ada");
    for (String token : List.of(coffer.vault.adminToken, tadmin, alice, acmeAdmin)) {
      coffer.principals(token).whoAmI(WhoAmIRequest.getDefaultInstance()); // first sign-ins
    }
  }

  private AuditServiceGrpc.AuditServiceBlockingStub audit(String token) {
    return AuditServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(token))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private List<AuditEvent> listAll(String token, AuditFilter filter, int pageSize) {
    List<AuditEvent> events = new ArrayList<>();
    String pageToken = "";
    for (int page = 0; page < 100; page++) {
      ListAuditEventsResponse r = audit(token).listAuditEvents(ListAuditEventsRequest
          .newBuilder().setFilter(filter).setPageSize(pageSize).setPageToken(pageToken).build());
      events.addAll(r.getEventsList());
      pageToken = r.getNextPageToken();
      if (pageToken.isEmpty()) {
        return events;
      }
    }
    throw new AssertionError("more than 100 pages");
  }

  private List<AuditEvent> export(String token, AuditFilter filter) {
    List<AuditEvent> events = new ArrayList<>();
    Iterator<AuditEvent> it = audit(token).exportAuditEvents(
        ExportAuditEventsRequest.newBuilder().setFilter(filter).build());
    it.forEachRemaining(events::add);
    return events;
  }

  private static AuditFilter action(String action) {
    return AuditFilter.newBuilder().setAction(action).build();
  }

  /** Creates /L0, /L1, ... one second apart. */
  private void createLocations(String token, int n) {
    for (int i = 0; i < n; i++) {
      coffer.vault.clock.advance(Duration.ofSeconds(1));
      coffer.locations(token).createLocation(CreateLocationRequest.newBuilder()
          .setPath("/L" + i).build());
    }
  }

  @Test
  void aTenantAdmin_listsItsOwnTenantsEvents_andNoOthers() {
    createLocations(tadmin, 2);
    createLocations(acmeAdmin, 3);
    List<AuditEvent> acme = listAll(acmeAdmin, AuditFilter.getDefaultInstance(), 50);
    assertTrue(acme.stream().allMatch(e -> e.getTenantId().equals("acme")), acme.toString());
    assertEquals(3, acme.stream().filter(e -> e.getActor().equals("ada")
        && e.getAction().equals("LOCATION_CREATE")).count());
    List<AuditEvent> mine = listAll(tadmin, AuditFilter.getDefaultInstance(), 50);
    assertTrue(mine.stream().allMatch(e -> e.getTenantId().equals("default")), mine.toString());
    assertEquals(2, mine.stream().filter(e -> e.getAction().equals("LOCATION_CREATE")).count());
  }

  @Test
  void theSystemAdministrator_seesOnlyItsOwnTenantToo() {
    createLocations(acmeAdmin, 1);
    List<AuditEvent> seen = listAll(coffer.vault.adminToken, AuditFilter.getDefaultInstance(),
        50);
    assertFalse(seen.isEmpty());
    assertTrue(seen.stream().allMatch(e -> e.getTenantId().equals("default")));
  }

  @Test
  void anOrdinaryPrincipal_isDenied_andTheDenialIsRecorded() {
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_ADMIN",
        () -> audit(alice).listAuditEvents(ListAuditEventsRequest.getDefaultInstance()));
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_ADMIN",
        () -> export(alice, AuditFilter.getDefaultInstance()));
    List<AuditEvent> denials = listAll(tadmin, AuditFilter.newBuilder().setActor("alice")
        .build(), 50).stream().filter(e -> !e.getAction().equals("AUTHENTICATE")).toList();
    assertEquals(List.of("AUDIT_LIST", "AUDIT_EXPORT"),
        denials.stream().map(AuditEvent::getAction).toList());
    assertTrue(denials.stream().allMatch(e -> e.getOutcome().equals("DENIED")
        && e.getReason().equals("NOT_ADMIN") && e.getTarget().equals("tenants/default")));
  }

  @Test
  void filtersAndPages_followTheRequest_inSequenceOrder() {
    createLocations(tadmin, 5);
    List<AuditEvent> created = listAll(tadmin, action("location_create"), 2);
    assertEquals(5, created.size());
    for (int i = 1; i < created.size(); i++) {
      assertTrue(created.get(i - 1).getSequence() < created.get(i).getSequence());
    }
    assertEquals("locations/L3", created.get(3).getTarget());
    Timestamp third = created.get(2).getTime();
    assertEquals(created.subList(2, 5), listAll(tadmin, AuditFilter.newBuilder()
        .setAction("LOCATION_CREATE").setSince(third).build(), 50));
    assertEquals(created.subList(0, 2), listAll(tadmin, AuditFilter.newBuilder()
        .setAction("LOCATION_CREATE").setUntil(third).build(), 50));
    assertEquals(List.of(created.get(0)), listAll(tadmin, AuditFilter.newBuilder()
        .setTarget("locations/L0").build(), 50));
    assertEquals(created, listAll(tadmin, AuditFilter.newBuilder().setActor("tadmin")
        .setAction("LOCATION_CREATE").build(), 50));
    assertTrue(listAll(tadmin, AuditFilter.newBuilder().setActor("alice")
        .setAction("LOCATION_CREATE").build(), 50).isEmpty());
  }

  @Test
  void badFiltersAndPaging_areInvalidArgumentNamingTheField_andChangeNothing() {
    long before = coffer.vault.vault.kernel().audit().lastSequence();
    Timestamp t = Timestamps.fromSeconds(1_800_000_000L);
    assertInvalidField("filter.until", () -> list(AuditFilter.newBuilder().setSince(t)
        .setUntil(t).build(), 0, ""));
    assertInvalidField("filter.action", () -> list(action("SECRET_SMASH"), 0, ""));
    assertInvalidField("filter.since", () -> list(AuditFilter.newBuilder()
        .setSince(Timestamp.newBuilder().setSeconds(1).setNanos(2_000_000_000)).build(), 0, ""));
    assertInvalidField("filter.until", () -> list(AuditFilter.newBuilder()
        .setUntil(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)).build(), 0, ""));
    assertInvalidField("filter.actor", () -> list(AuditFilter.newBuilder()
        .setActor("al\nice").build(), 0, ""));
    assertInvalidField("page_size", () -> list(AuditFilter.getDefaultInstance(), 1001, ""));
    assertInvalidField("page_size", () -> list(AuditFilter.getDefaultInstance(), -1, ""));
    assertInvalidField("page_token", () -> list(AuditFilter.getDefaultInstance(), 0, "%%%"));
    assertInvalidField("filter.action", () -> export(tadmin, action("nope")));
    assertEquals(before, coffer.vault.vault.kernel().audit().lastSequence());
  }

  private ListAuditEventsResponse list(AuditFilter filter, int pageSize, String pageToken) {
    return audit(tadmin).listAuditEvents(ListAuditEventsRequest.newBuilder().setFilter(filter)
        .setPageSize(pageSize).setPageToken(pageToken).build());
  }

  @Test
  void export_streamsEveryMatchingEventInOrder_endingWithItsOwnRecord() {
    createLocations(tadmin, 1200);
    List<AuditEvent> listed = listAll(tadmin, AuditFilter.getDefaultInstance(), 1000);
    List<AuditEvent> exported = export(tadmin, AuditFilter.getDefaultInstance());
    assertEquals(listed.size() + 1, exported.size());
    assertEquals(listed, exported.subList(0, listed.size()));
    AuditEvent last = exported.get(exported.size() - 1);
    assertEquals("AUDIT_EXPORT", last.getAction());
    assertEquals("tadmin", last.getActor());
    assertEquals(1200, export(tadmin, action("LOCATION_CREATE")).size());
  }

  @Test
  void verify_byTheSystemAdministrator_findsTheChainIntact_andIsRecorded() {
    createLocations(tadmin, 3);
    long events = coffer.vault.vault.kernel().audit().lastSequence();
    VerifyAuditChainResponse r = audit(coffer.vault.adminToken)
        .verifyAuditChain(VerifyAuditChainRequest.getDefaultInstance());
    assertTrue(r.getIntact(), r.getFirstBreak());
    assertEquals(events, r.getEventsChecked());
    assertTrue(r.getCheckpointsChecked() >= 1);
    assertEquals("", r.getFirstBreak());
    AuditEvent recorded = last(listAll(coffer.vault.adminToken, action("AUDIT_VERIFY"), 50));
    assertEquals("ALLOWED", recorded.getOutcome());
  }

  @Test
  void verify_byATenantAdmin_isDenied() {
    assertReason(Status.Code.PERMISSION_DENIED, "NOT_SYSTEM_ADMIN",
        () -> audit(tadmin).verifyAuditChain(VerifyAuditChainRequest.getDefaultInstance()));
  }

  @Test
  void verify_afterAnEditInTheRawStore_reportsTheFirstBreak_andRecordsIt() throws Exception {
    createLocations(tadmin, 3);
    var store = coffer.vault.vault.storage().store();
    byte[] key = ByteBuffer.allocate(8).putLong(2).array();
    AuditRec rec = AuditRec.parseFrom(store.get(Table.AUDIT, key).orElseThrow());
    store.commit(new Changes().put(Table.AUDIT, key,
        rec.toBuilder().setActor("nobody").build().toByteArray()));
    VerifyAuditChainResponse r = audit(coffer.vault.adminToken)
        .verifyAuditChain(VerifyAuditChainRequest.getDefaultInstance());
    assertFalse(r.getIntact());
    assertEquals("event 3 does not chain to event 2 (altered, removed or reordered)",
        r.getFirstBreak());
    AuditEvent recorded = last(listAll(coffer.vault.adminToken, action("AUDIT_VERIFY"), 50));
    assertEquals("FAILED", recorded.getOutcome());
    assertEquals("CHAIN_BROKEN", recorded.getReason());
  }

  @Test
  void revokedAndExpiredTokens_areRecordedWithTheirTenantAndReason_butNotTheToken() {
    var v = coffer.vault.vault;
    var issued = v.directory().tokens().issue(coffer.vault.as(v.directory().principals()
        .get(coffer.vault.admin(),
        "default", "alice")), "default", "alice", null, "t"); // her own: hers stay valid
    String revoked = issued.value().reveal();
    v.directory().tokens().revoke(coffer.vault.admin(), issued.token().tokenId());
    assertReason(Status.Code.UNAUTHENTICATED, "TOKEN_REVOKED",
        () -> coffer.principals(revoked).whoAmI(WhoAmIRequest.getDefaultInstance()));
    coffer.vault.clock.advance(Duration.ofDays(31));
    assertReason(Status.Code.UNAUTHENTICATED, "TOKEN_EXPIRED",
        () -> coffer.principals(alice).whoAmI(WhoAmIRequest.getDefaultInstance()));
    String fresh = coffer.vault.tokenFor("default", "tadmin");

    List<AuditEvent> failures = export(fresh, action("AUTHENTICATE")).stream()
        .filter(e -> e.getOutcome().equals("FAILED")).toList();
    assertEquals(List.of("TOKEN_REVOKED", "TOKEN_EXPIRED"),
        failures.stream().map(AuditEvent::getReason).toList());
    AuditEvent first = failures.get(0);
    assertEquals("default", first.getTenantId());
    assertEquals("", first.getActor());
    assertEquals("FAILED", first.getOutcome());
    assertEquals("tokens/" + issued.token().tokenId(), first.getTarget());
    assertFalse(first.getPeer().isEmpty());
    assertFalse(first.getRequestId().isEmpty());
    String json = failures.toString();
    assertFalse(json.contains(revoked) || json.contains(alice), "a token entered the trail");
  }

  @Test
  void missingAndUnknownTokens_areRecordedWithoutATenant() {
    assertReason(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED",
        () -> coffer.principals(null).whoAmI(WhoAmIRequest.getDefaultInstance()));
    String unknown = "cfr_at_" + "x".repeat(49);
    assertReason(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED",
        () -> coffer.principals(unknown).whoAmI(WhoAmIRequest.getDefaultInstance()));
    List<AuditEntry> anonymous = new AuditQuery(coffer.vault.vault.storage().store())
        .list("", dev.coffer.server.audit.AuditFilter.ALL, "", 50).items();
    assertEquals(2, anonymous.size());
    assertTrue(anonymous.stream().allMatch(e -> e.action().equals("AUTHENTICATE")
        && e.reason().equals("UNAUTHENTICATED") && e.actor().isEmpty()
        && e.target().isEmpty()));
  }

  @Test
  void aFloodOfBadTokens_recordsTenPerPeerPerMinute_andCountsTheRest() {
    String unknown = "cfr_at_" + "y".repeat(49);
    for (int i = 0; i < 25; i++) {
      assertReason(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED",
          () -> coffer.principals(unknown).whoAmI(WhoAmIRequest.getDefaultInstance()));
    }
    var failures = coffer.vault.vault.operator().authFailures();
    assertEquals(10, anonymousEvents());
    assertEquals(15, failures.suppressed());
    coffer.vault.clock.advance(Duration.ofSeconds(6));
    assertReason(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED",
        () -> coffer.principals(unknown).whoAmI(WhoAmIRequest.getDefaultInstance()));
    assertEquals(11, anonymousEvents(), "one more token refilled after 6 s");
    assertEquals(11, failures.recorded());
  }

  private int anonymousEvents() {
    return new AuditQuery(coffer.vault.vault.storage().store())
        .list("", dev.coffer.server.audit.AuditFilter.ALL, "", 1000).items().size();
  }

  @Test
  void noEventEverHoldsAValueOrAToken() throws Exception {
    var app = coffer.apps(tadmin).createApplication(CreateApplicationRequest.newBuilder()
        .setClientName("payments_api").setEnvironment("production").build());
    var vaulted = coffer.secrets(tadmin).createSecret(CreateSecretRequest.newBuilder()
        .setParent(app.getApplication().getName()).setDisplayName("db").setLocation("/")
        .setVaulted(true).setPreapproveOwner(true).build());
    String revealed = coffer.secrets(tadmin).revealSecret(RevealSecretRequest.newBuilder()
        .setName(vaulted.getSecret().getName()).build()).getValue();
    String token = coffer.tokens(tadmin).issueToken(IssueTokenRequest.newBuilder()
        .setPrincipalId("alice").build()).getValue();
    List<String> shownOnce = List.of(app.getInitialSecretValue(), vaulted.getValue(), revealed,
        token, tadmin);

    StringBuilder exported = new StringBuilder();
    for (AuditEvent e : export(tadmin, AuditFilter.getDefaultInstance())) {
      exported.append(JsonFormat.printer().print(e)).append('\n');
    }
    assertTrue(exported.toString().contains("SECRET_REVEAL"));
    StringBuilder raw = new StringBuilder();
    byte[] after = null;
    for (List<KeyValue> page; !(page = coffer.vault.vault.storage().store().scan(Table.AUDIT,
        new byte[0], after, 500)).isEmpty(); after = page.get(page.size() - 1).key()) {
      page.forEach(kv -> raw.append(new String(kv.value(), StandardCharsets.ISO_8859_1)));
    }
    for (String value : shownOnce) {
      assertFalse(value.isEmpty());
      assertFalse(exported.toString().contains(value), "a value reached the export");
      assertFalse(raw.toString().contains(value), "a value reached the stored trail");
    }
  }

  private static AuditEvent last(List<AuditEvent> events) {
    return events.get(events.size() - 1);
  }
}
