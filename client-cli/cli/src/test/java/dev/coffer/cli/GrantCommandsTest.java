package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.coffer.api.v1.CreateGrantRequest;
import dev.coffer.api.v1.GetGrantRequest;
import dev.coffer.api.v1.Grant;
import dev.coffer.api.v1.GrantState;
import dev.coffer.api.v1.ListGrantsRequest;
import dev.coffer.api.v1.ListGrantsResponse;
import dev.coffer.api.v1.RevokeGrantRequest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GrantCommandsTest extends FakeServerTest {

  private static final Grant ACTIVE =
      Grant.newBuilder()
          .setName("grants/g1")
          .setGrantId("g1")
          .setSecret("secrets/s1")
          .setGrantee("bob")
          .setGrantor("alice")
          .setState(GrantState.GRANT_ACTIVE)
          .setExpireTime(seconds(Instant.parse("2026-12-01T00:00:00Z")))
          .setEtag("e1")
          .build();

  private static Timestamp seconds(Instant at) {
    return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).build();
  }

  @Test
  void createWithAnInstant_sendsSecretGranteeAndThatExpiry_andPrintsTheGrant() {
    server.answer = req -> ACTIVE;
    assertEquals(
        0,
        cli.run("grant", "create", "s1", "--principal", "bob", "--expires", "2026-12-01T00:00:00Z"),
        cli.err());
    CreateGrantRequest r = server.last(CreateGrantRequest.class);
    assertEquals("secrets/s1", r.getSecret());
    assertEquals("bob", r.getGrantee());
    assertEquals(seconds(Instant.parse("2026-12-01T00:00:00Z")), r.getExpireTime());
    assertTrue(cli.out().matches("(?s)grant +grants/g1\\n.*\\nstate +ACTIVE\\n.*"), cli.out());
  }

  @Test
  void createWithARelativeExpires_countsFromNow_likeFor() {
    server.answer = req -> ACTIVE;
    assertEquals(0, cli.run("grant", "create", "s1", "--principal", "bob", "--expires", "8h"),
        cli.err());
    assertEquals(seconds(CliHarness.NOW.plus(java.time.Duration.ofHours(8))),
        server.last(CreateGrantRequest.class).getExpireTime());
  }

  @Test
  void createWithADate_expiresAtMidnightUtc() {
    server.answer = req -> ACTIVE;
    assertEquals(0, cli.run("grant", "create", "s1", "--principal", "bob", "--expires", "2026-12-01"));
    assertEquals(
        seconds(Instant.parse("2026-12-01T00:00:00Z")),
        server.last(CreateGrantRequest.class).getExpireTime());
  }

  @Test
  void createFor8h_expiresEightHoursFromNow() {
    server.answer = req -> ACTIVE;
    assertEquals(0, cli.run("grant", "create", "secrets/s1", "--principal", "bob", "--for", "8h"));
    assertEquals(
        seconds(CliHarness.NOW.plus(Duration.ofHours(8))),
        server.last(CreateGrantRequest.class).getExpireTime());
  }

  @Test
  void createWithNever_isRefusedLocally_becauseEveryGrantExpires() {
    assertEquals(1, cli.run("grant", "create", "s1", "--principal", "bob", "--expires", "never"));
    assertTrue(cli.err().startsWith("error: --expires never is not allowed: every grant expires"), cli.err());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void createWithoutAnEnd_isAUsageError_andSendsNothing() {
    assertEquals(1, cli.run("grant", "create", "s1", "--principal", "bob"));
    assertTrue(cli.err().startsWith("error: every grant expires: give --expires WHEN or --for DURATION"), cli.err());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void createWithBothEnds_isAUsageError_andSendsNothing() {
    assertEquals(
        1,
        cli.run(
            "grant", "create", "s1", "--principal", "bob", "--expires", "2026-12-01", "--for", "8h"));
    assertTrue(cli.err().startsWith("error: give --expires or --for, not both"), cli.err());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void listWithoutASecret_asksForTheCallersOwnGrants() {
    server.answer = req -> ListGrantsResponse.newBuilder().addGrants(ACTIVE).build();
    assertEquals(0, cli.run("grant", "list"));
    assertEquals("", server.last(ListGrantsRequest.class).getSecret());
    String[] lines = cli.out().split("\n");
    assertTrue(lines[0].matches("ID +SECRET +GRANTEE +GRANTOR +STATE +EXPIRES"), lines[0]);
    assertTrue(lines[1].matches("g1 +s1 +bob +alice +ACTIVE +2026-12-01T00:00:00Z"), lines[1]);
  }

  @Test
  void listOfASecret_sendsItsName_andPageSize_andNotesMorePages() {
    server.answer =
        req -> ListGrantsResponse.newBuilder().addGrants(ACTIVE).setNextPageToken("p2").build();
    assertEquals(0, cli.run("grant", "list", "s1", "--page-size", "3"));
    ListGrantsRequest r = server.last(ListGrantsRequest.class);
    assertEquals("secrets/s1", r.getSecret());
    assertEquals(3, r.getPageSize());
    assertTrue(cli.err().contains("--page-token p2"), cli.err());
  }

  @Test
  void get_acceptsBareAndPrefixedIds_andPrintsJson() throws Exception {
    server.answer = req -> ACTIVE;
    assertEquals(0, cli.run("grant", "get", "grants/g1", "-o", "json"));
    assertEquals("grants/g1", server.last(GetGrantRequest.class).getName());
    Grant.Builder parsed = Grant.newBuilder();
    JsonFormat.parser().merge(cli.out(), parsed);
    assertEquals(ACTIVE, parsed.build());
    assertEquals(0, cli.run("grant", "get", "g1"));
    assertEquals("grants/g1", server.last(GetGrantRequest.class).getName());
  }

  @Test
  void revoke_sendsNameAndEtag_andShowsTheRevokedGrant() {
    server.answer =
        req ->
            ACTIVE.toBuilder()
                .setState(GrantState.GRANT_REVOKED)
                .setRevokeTime(seconds(CliHarness.NOW))
                .build();
    assertEquals(0, cli.run("grant", "revoke", "g1", "--etag", "e1"));
    RevokeGrantRequest r = server.last(RevokeGrantRequest.class);
    assertEquals("grants/g1", r.getName());
    assertEquals("e1", r.getEtag());
    assertTrue(cli.out().matches("(?s).*\\nstate +REVOKED\\n.*"), cli.out());
    assertTrue(cli.out().matches("(?s).*\\nrevoked +2026-11-23T12:00:00Z\\n.*"), cli.out());
  }

  @Test
  void aGrantIdWithASlash_isAUsageError_andSendsNothing() {
    assertEquals(1, cli.run("grant", "revoke", "secrets/s1"));
    assertTrue(cli.err().contains("grant id must be a bare id"), cli.err());
    assertFalse(cli.out().contains("grant"), cli.out());
    assertTrue(server.requests.isEmpty());
  }
}
