package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.coffer.api.v1.AuditEvent;
import dev.coffer.api.v1.ExportAuditEventsRequest;
import dev.coffer.api.v1.ListAuditEventsRequest;
import dev.coffer.api.v1.ListAuditEventsResponse;
import dev.coffer.api.v1.VerifyAuditChainResponse;
import dev.coffer.server.testing.MutableClock;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandsTest extends FakeServerTest {

  @TempDir Path dir;

  private static AuditEvent event(long sequence, String actor, String action) {
    return AuditEvent.newBuilder()
        .setSequence(sequence)
        .setTime(Timestamp.newBuilder().setSeconds(CliHarness.NOW.getEpochSecond() + sequence))
        .setTenantId("default")
        .setActor(actor)
        .setAction(action)
        .setTarget("secrets/s" + sequence)
        .setOutcome("ALLOWED")
        .setRequestId("r" + sequence)
        .setPreviousHash("ab".repeat(32))
        .build();
  }

  private static Timestamp ts(String instant) {
    Instant at = Instant.parse(instant);
    return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).build();
  }

  @Test
  void list_sendsEveryFilter_andPrintsATable() {
    server.answer = req -> ListAuditEventsResponse.newBuilder()
        .addEvents(event(7, "alice", "SECRET_REVEAL"))
        .addEvents(event(9, "", "AUTHENTICATE").toBuilder().setTarget("").setOutcome("FAILED")
            .setReason("TOKEN_EXPIRED"))
        .build();
    assertEquals(0, cli.run("audit", "list", "--since", "2026-11-01", "--until",
        "2026-11-23T10:00:00Z", "--actor", "alice", "--target", "secrets/s1", "--action",
        "secret_reveal", "--page-size", "5"), cli.err());
    ListAuditEventsRequest r = server.last(ListAuditEventsRequest.class);
    assertEquals(ts("2026-11-01T00:00:00Z"), r.getFilter().getSince());
    assertEquals(ts("2026-11-23T10:00:00Z"), r.getFilter().getUntil());
    assertEquals("alice", r.getFilter().getActor());
    assertEquals("secrets/s1", r.getFilter().getTarget());
    assertEquals("SECRET_REVEAL", r.getFilter().getAction());
    assertEquals(5, r.getPageSize());
    String[] lines = cli.out().split("\n");
    assertTrue(lines[0].matches("SEQ +TIME +ACTOR +ACTION +TARGET +OUTCOME +REASON"), lines[0]);
    assertTrue(lines[1].matches("7 +2026-11-23T12:00:07Z +alice +SECRET_REVEAL +secrets/s7 "
        + "+ALLOWED +-"), lines[1]);
    assertTrue(lines[2].matches("9 +\\S+ +- +AUTHENTICATE +- +FAILED +TOKEN_EXPIRED"), lines[2]);
  }

  @Test
  void list_withoutFilters_sendsAnEmptyFilter() {
    server.answer = req -> ListAuditEventsResponse.getDefaultInstance();
    assertEquals(0, cli.run("audit", "list"));
    ListAuditEventsRequest r = server.last(ListAuditEventsRequest.class);
    assertFalse(r.getFilter().hasSince());
    assertFalse(r.getFilter().hasUntil());
    assertEquals("", r.getFilter().getAction());
  }

  @Test
  void list_sinceADuration_meansThatLongAgo() {
    server.answer = req -> ListAuditEventsResponse.getDefaultInstance();
    assertEquals(0, cli.run("audit", "list", "--since", "24h"));
    assertEquals(Timestamp.newBuilder()
            .setSeconds(CliHarness.NOW.minus(Duration.ofHours(24)).getEpochSecond()).build(),
        server.last(ListAuditEventsRequest.class).getFilter().getSince());
  }

  @Test
  void list_withABadTime_isAUsageError_andSendsNothing() {
    assertEquals(1, cli.run("audit", "list", "--since", "yesterday"));
    assertTrue(cli.err().startsWith("error: --since 'yesterday' is not a time: use YYYY-MM-DD"),
        cli.err());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void list_withSinceNotBeforeUntil_isAUsageError_andSendsNothing() {
    assertEquals(1, cli.run("audit", "list", "--since", "2026-11-02", "--until", "2026-11-01"));
    assertTrue(cli.err().startsWith("error: --since must be before --until"), cli.err());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void list_all_followsEveryPageToken() {
    server.answer = req -> ((ListAuditEventsRequest) req).getPageToken().isEmpty()
        ? ListAuditEventsResponse.newBuilder().addEvents(event(1, "a", "SECRET_CREATE"))
            .setNextPageToken("p2").build()
        : ListAuditEventsResponse.newBuilder().addEvents(event(2, "b", "SECRET_DELETE")).build();
    assertEquals(0, cli.run("audit", "list", "--all", "--action", "x"));
    assertEquals(2, server.requests.size());
    assertEquals("p2", server.last(ListAuditEventsRequest.class).getPageToken());
    assertEquals("X", server.last(ListAuditEventsRequest.class).getFilter().getAction());
    assertTrue(cli.out().contains("SECRET_CREATE") && cli.out().contains("SECRET_DELETE"));
    assertEquals("", cli.err());
  }

  @Test
  void list_withoutAll_notesTheNextPage() {
    server.answer = req -> ListAuditEventsResponse.newBuilder()
        .addEvents(event(1, "a", "SECRET_CREATE")).setNextPageToken("p2").build();
    assertEquals(0, cli.run("audit", "list"));
    assertEquals(1, server.requests.size());
    assertTrue(cli.err().contains("--page-token p2"), cli.err());
  }

  @Test
  void list_asJson_printsTheResponse() throws Exception {
    ListAuditEventsResponse response = ListAuditEventsResponse.newBuilder()
        .addEvents(event(1, "a", "SECRET_CREATE")).build();
    server.answer = req -> response;
    assertEquals(0, cli.run("audit", "list", "-o", "json"));
    ListAuditEventsResponse.Builder parsed = ListAuditEventsResponse.newBuilder();
    JsonFormat.parser().merge(cli.out(), parsed);
    assertEquals(response, parsed.build());
  }

  @Test
  void list_deniedByTheServer_exits12() {
    server.answer = req -> Status.PERMISSION_DENIED.withDescription("only a tenant admin reads "
        + "the audit trail").asRuntimeException();
    assertEquals(12, cli.run("audit", "list"));
    assertEquals("error: PERMISSION_DENIED: only a tenant admin reads the audit trail\n",
        cli.err());
  }

  private List<AuditEvent> events(int n) {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      events.add(event(i, "alice", "SECRET_REVEAL"));
    }
    return events;
  }

  @Test
  void export_writesOneJsonEventPerLine_toANew0600File() throws Exception {
    List<AuditEvent> events = events(3);
    server.answer = req -> events;
    Path out = dir.resolve("audit.jsonl");
    assertEquals(0, cli.run("audit", "export", "--out", out.toString(), "--actor", "alice"),
        cli.err());
    assertEquals("alice", server.last(ExportAuditEventsRequest.class).getFilter().getActor());
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(3, lines.size());
    for (int i = 0; i < 3; i++) {
      assertFalse(lines.get(i).contains("\n"));
      AuditEvent.Builder parsed = AuditEvent.newBuilder();
      JsonFormat.parser().merge(lines.get(i), parsed);
      assertEquals(events.get(i), parsed.build());
    }
    assertEquals("rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    assertTrue(cli.out().matches("exported +3 events\nfile +" + Path.of(out.toString())
        .toString().replace(".", "\\.") + " \\(mode 0600\\)\n"), cli.out());
    assertEquals("", cli.err(), "no progress line when stderr is not a terminal");
  }

  @Test
  void export_refusesAnExistingFile_beforeCallingTheServer() throws Exception {
    Path out = dir.resolve("kept.jsonl");
    Files.writeString(out, "precious\n");
    assertEquals(1, cli.run("audit", "export", "--out", out.toString()));
    assertTrue(cli.err().startsWith("error: --out " + out + " already exists; refusing to "
        + "overwrite it"), cli.err());
    assertEquals("precious\n", Files.readString(out));
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void export_withoutOut_isAUsageError() {
    assertEquals(1, cli.run("audit", "export"));
    assertTrue(cli.err().contains("--out"), cli.err());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void export_failingMidway_removesThePartialFile_andExitsWithTheStatus() {
    List<Object> stream = new ArrayList<>(events(2));
    stream.add(Status.UNAVAILABLE.withDescription("gone").asRuntimeException());
    server.answer = req -> stream;
    Path out = dir.resolve("partial.jsonl");
    assertEquals(19, cli.run("audit", "export", "--out", out.toString()));
    assertFalse(Files.exists(out));
    assertTrue(cli.err().startsWith("export failed after 2 events; " + out + " was removed\n"
        + "error: UNAVAILABLE: gone"), cli.err());
  }

  @Test
  void export_deniedByTheServer_leavesNoFile() {
    server.answer = req -> Status.PERMISSION_DENIED.withDescription("no").asRuntimeException();
    Path out = dir.resolve("denied.jsonl");
    assertEquals(12, cli.run("audit", "export", "--out", out.toString()));
    assertFalse(Files.exists(out));
  }

  @Test
  void export_progress_isRedrawnAtMostTenTimesASecond_andEndsWithTheCount() {
    server.answer = req -> events(100);
    cli.clock = MutableClock.ticking(CliHarness.NOW, Duration.ofMillis(25));
    Path out = dir.resolve("progress.jsonl");
    assertEquals(0, cli.run("audit", "export", "--out", out.toString(), "--progress"));
    String err = cli.err();
    long draws = err.chars().filter(c -> c == '\r').count();
    assertTrue(draws >= 20 && draws <= 27, draws + " redraws for 2.5 s of export: " + err);
    assertTrue(err.startsWith("\rexported 1 event\r"), err);
    assertTrue(err.endsWith("\rexported 100 events\n"), err);
  }

  @Test
  void export_noProgress_printsNoProgressLine() {
    server.answer = req -> events(5);
    cli.terminal = true;
    Path out = dir.resolve("quiet.jsonl");
    assertEquals(0, cli.run("audit", "export", "--out", out.toString(), "--no-progress"));
    assertEquals("", cli.err());
  }

  @Test
  void export_hasALongDeadlineUnlessTimeoutIsGiven() {
    server.answer = req -> List.of();
    assertEquals(0, cli.run("audit", "export", "--out", dir.resolve("a").toString()));
    long defaultLeft = server.deadlines.get(0).timeRemaining(java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(defaultLeft > 3000, defaultLeft + " s");
    assertEquals(0, cli.run("audit", "export", "--out", dir.resolve("b").toString(),
        "--timeout", "30s"));
    long givenLeft = server.deadlines.get(1).timeRemaining(java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(givenLeft <= 30, givenLeft + " s");
  }

  @Test
  void export_asJson_printsASummaryObject() throws Exception {
    server.answer = req -> events(2);
    Path out = dir.resolve("j.jsonl");
    assertEquals(0, cli.run("audit", "export", "--out", out.toString(), "-o", "json"));
    Struct.Builder summary = Struct.newBuilder();
    JsonFormat.parser().merge(cli.out(), summary);
    assertEquals(out.toString(), summary.getFieldsOrThrow("file").getStringValue());
    assertEquals(2.0, summary.getFieldsOrThrow("events").getNumberValue());
  }

  @Test
  void verify_intactChain_exits0() {
    server.answer = req -> VerifyAuditChainResponse.newBuilder().setIntact(true)
        .setEventsChecked(1234).setCheckpointsChecked(2).build();
    assertEquals(0, cli.run("audit", "verify"));
    assertTrue(cli.out().matches("intact +yes\nevents checked +1234\ncheckpoints checked +2\n"),
        cli.out());
    assertEquals("", cli.err());
  }

  @Test
  void verify_brokenChain_exits4_andPrintsTheFirstBreak() {
    server.answer = req -> VerifyAuditChainResponse.newBuilder().setIntact(false)
        .setEventsChecked(2).setFirstBreak("event 3 does not chain to event 2").build();
    assertEquals(AuditVerifyCommand.CHAIN_BROKEN, cli.run("audit", "verify"));
    assertEquals(4, AuditVerifyCommand.CHAIN_BROKEN);
    assertTrue(cli.out().contains("intact               no\n"), cli.out());
    assertTrue(cli.out().endsWith("first break          event 3 does not chain to event 2\n"),
        cli.out());
  }

  @Test
  void verify_brokenChainAsJson_alsoExits4() throws Exception {
    VerifyAuditChainResponse broken = VerifyAuditChainResponse.newBuilder().setIntact(false)
        .setFirstBreak("event 3 is missing").build();
    server.answer = req -> broken;
    assertEquals(4, cli.run("audit", "verify", "-o", "json"));
    VerifyAuditChainResponse.Builder parsed = VerifyAuditChainResponse.newBuilder();
    JsonFormat.parser().merge(cli.out(), parsed);
    assertEquals(broken, parsed.build());
  }

  @Test
  void verify_deniedByTheServer_exits12_notTheBrokenCode() {
    server.answer = req -> Status.PERMISSION_DENIED.withDescription("only the system "
        + "administrator verifies the audit chain").asRuntimeException();
    assertEquals(12, cli.run("audit", "verify"));
  }
}
