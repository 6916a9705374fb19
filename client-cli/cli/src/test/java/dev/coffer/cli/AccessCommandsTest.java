package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.coffer.api.v1.AccessRequest;
import dev.coffer.api.v1.AccessRequestState;
import dev.coffer.api.v1.ApproveAccessRequestRequest;
import dev.coffer.api.v1.CancelAccessRequestRequest;
import dev.coffer.api.v1.CreateAccessRequestRequest;
import dev.coffer.api.v1.DenyAccessRequestRequest;
import dev.coffer.api.v1.GetAccessRequestRequest;
import dev.coffer.api.v1.ListAccessRequestsRequest;
import dev.coffer.api.v1.ListAccessRequestsResponse;
import io.grpc.Status;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccessCommandsTest extends FakeServerTest {

  private static final AccessRequest PENDING =
      AccessRequest.newBuilder()
          .setName("accessRequests/r1")
          .setRequestId("r1")
          .setSecret("secrets/s1")
          .setRequester("bob")
          .setJustification("incident 4411")
          .setDuration(Duration.newBuilder().setSeconds(8 * 3600))
          .setState(AccessRequestState.PENDING)
          .setDecideDeadline(
              Timestamp.newBuilder().setSeconds(Instant.parse("2026-11-30T12:00:00Z").getEpochSecond()))
          .setEtag("e1")
          .build();

  @Test
  void request_sendsTheSecretTheReasonAndTheDuration_andPrintsThePendingRequest() {
    server.answer = req -> PENDING;
    assertEquals(
        0,
        cli.run("access", "request", "s1", "--reason", "incident 4411", "--duration", "8h"),
        cli.err());
    CreateAccessRequestRequest r = server.last(CreateAccessRequestRequest.class);
    assertEquals("secrets/s1", r.getSecret());
    assertEquals("incident 4411", r.getJustification());
    assertEquals(8 * 3600, r.getDuration().getSeconds());
    assertTrue(cli.out().contains("access request  accessRequests/r1\n"), cli.out());
    assertTrue(cli.out().matches("(?s).*\\nduration +8h\\n.*"), cli.out());
    assertTrue(cli.out().matches("(?s).*\\ndecide by +2026-11-30T12:00:00Z\\n.*"), cli.out());
  }

  @Test
  void request_acceptsAPrefixedSecretName() {
    server.answer = req -> PENDING;
    assertEquals(
        0, cli.run("access", "request", "secrets/s1", "--reason", "r", "--duration", "30m"));
    assertEquals("secrets/s1", server.last(CreateAccessRequestRequest.class).getSecret());
    assertEquals(1800, server.last(CreateAccessRequestRequest.class).getDuration().getSeconds());
  }

  @Test
  void list_sendsItsFilters_andPrintsTheTableColumns() {
    server.answer =
        req -> ListAccessRequestsResponse.newBuilder().addAccessRequests(PENDING).build();
    assertEquals(0, cli.run("access", "list", "--pending", "--mine", "--page-size", "5"));
    ListAccessRequestsRequest r = server.last(ListAccessRequestsRequest.class);
    assertTrue(r.getPending() && r.getMine());
    assertEquals(5, r.getPageSize());
    String[] lines = cli.out().split("\n");
    assertEquals(2, lines.length, cli.out());
    assertTrue(
        lines[0].matches("ID +SECRET +REQUESTER +STATE +DURATION +DEADLINE"), lines[0]);
    assertTrue(
        lines[1].matches("r1 +s1 +bob +PENDING +8h +2026-11-30T12:00:00Z"), lines[1]);
  }

  @Test
  void listWithoutFilters_asksForEverythingTheCallerMaySee() {
    server.answer = req -> ListAccessRequestsResponse.getDefaultInstance();
    assertEquals(0, cli.run("access", "list"));
    ListAccessRequestsRequest r = server.last(ListAccessRequestsRequest.class);
    assertFalse(r.getPending() || r.getMine());
  }

  @Test
  void listAll_followsTheNextPageTokens_andPrintsOneJsonResponse() throws Exception {
    server.answer =
        req ->
            ((ListAccessRequestsRequest) req).getPageToken().isEmpty()
                ? ListAccessRequestsResponse.newBuilder()
                    .addAccessRequests(PENDING)
                    .setNextPageToken("p2")
                    .build()
                : ListAccessRequestsResponse.newBuilder()
                    .addAccessRequests(PENDING.toBuilder().setRequestId("r2"))
                    .build();
    assertEquals(0, cli.run("access", "list", "--all", "-o", "json"));
    assertEquals(2, server.requests.size());
    ListAccessRequestsResponse.Builder parsed = ListAccessRequestsResponse.newBuilder();
    JsonFormat.parser().merge(cli.out(), parsed);
    assertEquals(2, parsed.getAccessRequestsCount());
  }

  @Test
  void get_acceptsBareAndPrefixedIds() {
    server.answer = req -> PENDING;
    assertEquals(0, cli.run("access", "get", "r1"));
    assertEquals("accessRequests/r1", server.last(GetAccessRequestRequest.class).getName());
    assertEquals(0, cli.run("access", "get", "accessRequests/r1"));
    assertEquals("accessRequests/r1", server.last(GetAccessRequestRequest.class).getName());
  }

  @Test
  void approve_sendsNameAndEtag_andShowsTheGrantAsJson() throws Exception {
    AccessRequest approved =
        PENDING.toBuilder()
            .setState(AccessRequestState.APPROVED)
            .setDecidedBy("alice")
            .setGrant("grants/g1")
            .build();
    server.answer = req -> approved;
    assertEquals(0, cli.run("access", "approve", "r1", "--etag", "e1", "-o", "json"));
    ApproveAccessRequestRequest r = server.last(ApproveAccessRequestRequest.class);
    assertEquals("accessRequests/r1", r.getName());
    assertEquals("e1", r.getEtag());
    AccessRequest.Builder parsed = AccessRequest.newBuilder();
    JsonFormat.parser().merge(cli.out(), parsed);
    assertEquals(approved, parsed.build());
  }

  @Test
  void approveWithoutEtag_sendsAnEmptyEtag() {
    server.answer = req -> PENDING;
    assertEquals(0, cli.run("access", "approve", "r1"));
    assertEquals("", server.last(ApproveAccessRequestRequest.class).getEtag());
  }

  @Test
  void deny_sendsTheReasonAndEtag() {
    server.answer =
        req -> PENDING.toBuilder().setState(AccessRequestState.DENIED).setDenyReason("no").build();
    assertEquals(0, cli.run("access", "deny", "r1", "--reason", "not on call", "--etag", "e1"));
    DenyAccessRequestRequest r = server.last(DenyAccessRequestRequest.class);
    assertEquals("accessRequests/r1", r.getName());
    assertEquals("not on call", r.getReason());
    assertEquals("e1", r.getEtag());
    assertTrue(cli.out().matches("(?s).*\\nstate +DENIED\\n.*"), cli.out());
  }

  @Test
  void denyWithoutAReason_isAUsageError_andSendsNothing() {
    assertEquals(1, cli.run("access", "deny", "r1"));
    assertTrue(cli.err().contains("'--reason=TEXT'"), cli.err());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void cancel_sendsNameAndEtag() {
    server.answer = req -> PENDING.toBuilder().setState(AccessRequestState.CANCELLED).build();
    assertEquals(0, cli.run("access", "cancel", "accessRequests/r1", "--etag", "e9"));
    CancelAccessRequestRequest r = server.last(CancelAccessRequestRequest.class);
    assertEquals("accessRequests/r1", r.getName());
    assertEquals("e9", r.getEtag());
  }

  @Test
  void aRequestIdWithASlash_isAUsageError_andSendsNothing() {
    assertEquals(1, cli.run("access", "approve", "grants/g1"));
    assertTrue(cli.err().contains("access request id must be a bare id"), cli.err());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void aRequestOnASecretWithoutSharing_exitsWithFailedPrecondition() {
    server.answer =
        req -> Status.FAILED_PRECONDITION.withDescription("sharing is disabled").asRuntimeException();
    assertEquals(15, cli.run("access", "request", "s1", "--reason", "r", "--duration", "1h"));
    assertEquals("error: FAILED_PRECONDITION: sharing is disabled\n", cli.err());
  }
}
