package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.coffer.api.v1.LifecycleEvent;
import dev.coffer.api.v1.LifecycleEventType;
import dev.coffer.api.v1.WatchLifecycleRequest;
import dev.coffer.client.FakeCofferServer;
import io.grpc.Deadline;
import io.grpc.Status;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WatchCommandTest extends FakeServerTest {

  private static final LifecycleEvent WARNING =
      LifecycleEvent.newBuilder()
          .setType(LifecycleEventType.LIFECYCLE_EXPIRY_WARNING)
          .setResource("secrets/s1")
          .setLeadTimeSeconds(7 * 86_400)
          .setExpireTime(ts("2026-12-30T10:00:00Z"))
          .setTime(ts("2026-12-23T10:00:00Z"))
          .build();

  private static final LifecycleEvent ROTATED =
      LifecycleEvent.newBuilder()
          .setType(LifecycleEventType.LIFECYCLE_STATE_CHANGED)
          .setResource("secrets/s1")
          .setState("ROTATED")
          .setSuccessor("secrets/s2")
          .setExpireTime(ts("2026-12-24T10:00:00Z"))
          .setTime(ts("2026-12-23T11:00:00Z"))
          .build();

  private static final LifecycleEvent EXPIRED =
      LifecycleEvent.newBuilder()
          .setType(LifecycleEventType.LIFECYCLE_EXPIRED)
          .setResource("grants/g1")
          .setExpireTime(ts("2026-12-24T00:00:00Z"))
          .setTime(ts("2026-12-24T00:00:00Z"))
          .build();

  private static Timestamp ts(String at) {
    return Timestamp.newBuilder().setSeconds(Instant.parse(at).getEpochSecond()).build();
  }

  @Test
  void maxEvents_printsOneLinePerEvent_thenCancelsTheStream_andExitsZero() throws Exception {
    server.answer = req -> List.of(WARNING, ROTATED, EXPIRED, FakeCofferServer.HOLD_OPEN);
    assertEquals(0, cli.run("watch", "--max-events", "3"), cli.err());
    assertEquals(
        "2026-12-23T10:00:00Z  EXPIRY_WARNING  secrets/s1  expires 2026-12-30T10:00:00Z (7d)\n"
            + "2026-12-23T11:00:00Z  ROTATED  secrets/s1  successor secrets/s2, old one valid"
            + " until 2026-12-24T10:00:00Z\n"
            + "2026-12-24T00:00:00Z  EXPIRED  grants/g1  at 2026-12-24T00:00:00Z\n",
        cli.out());
    assertTrue(server.watchCancelled.await(5, TimeUnit.SECONDS), "the call was cancelled");
    assertEquals(WatchLifecycleRequest.getDefaultInstance(),
        server.last(WatchLifecycleRequest.class), "defaults are the server's");
  }

  @Test
  void theWatch_hasNoUnaryDeadline() {
    server.answer = req -> List.of(WARNING, FakeCofferServer.HOLD_OPEN);
    assertEquals(0, cli.run("watch", "--max-events", "1", "--timeout", "2s"), cli.err());
    assertNull(server.deadlines.get(0), "no deadline without --for");
  }

  @Test
  void forDuration_boundsTheStream_andEndsWithExitZero() throws Exception {
    server.answer = req -> List.of(WARNING, FakeCofferServer.HOLD_OPEN);
    long started = System.nanoTime();
    assertEquals(0, cli.run("watch", "--for", "1s"), cli.err());
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertTrue(tookMillis >= 900 && tookMillis < 8000, tookMillis + " ms");
    Deadline deadline = server.deadlines.get(0);
    assertNotNull(deadline);
    assertTrue(deadline.timeRemaining(TimeUnit.MILLISECONDS) <= 1000);
    assertEquals(1, cli.out().lines().count(), cli.out());
    assertEquals("", cli.err());
  }

  @Test
  void jsonOutput_isOneProto3JsonObjectPerLine() throws Exception {
    server.answer = req -> List.of(WARNING, ROTATED);
    assertEquals(0, cli.run("watch", "--output", "json"), cli.err());
    List<String> lines = cli.out().lines().toList();
    assertEquals(2, lines.size(), cli.out());
    LifecycleEvent.Builder first = LifecycleEvent.newBuilder();
    JsonFormat.parser().merge(lines.get(0), first);
    assertEquals(WARNING, first.build());
    assertTrue(lines.get(1).startsWith("{\"type\":\"LIFECYCLE_STATE_CHANGED\""), lines.get(1));
  }

  @Test
  void leadTimesAndResources_areSent() {
    server.answer = req -> List.of();
    assertEquals(0, cli.run("watch", "--lead", "30d,1h", "--lead", "90s",
        "--resource", "secrets/s1", "--resource", "grants/g1,accessRequests/r1"), cli.err());
    WatchLifecycleRequest r = server.last(WatchLifecycleRequest.class);
    assertEquals(List.of(30L * 86_400, 3_600L, 90L), r.getLeadTimeSecondsList());
    assertEquals(List.of("secrets/s1", "grants/g1", "accessRequests/r1"), r.getResourcesList());
  }

  @Test
  void badOptions_areUsageErrors_andSendNothing() {
    String[][] bad = {
      {"watch", "--lead", "1d,2d,3d,4d,5d,6d"},
      {"watch", "--lead", "401d"},
      {"watch", "--lead", "0s"},
      {"watch", "--resource", "s1"},
      {"watch", "--resource", "tokens/t1"},
      {"watch", "--resource", "secrets/a/b"},
      {"watch", "--max-events", "0"},
      {"watch", "--for", "soon"},
    };
    for (String[] args : bad) {
      assertEquals(1, cli.run(args), String.join(" ", args) + ": " + cli.err());
      assertTrue(cli.err().startsWith("error: "), cli.err());
    }
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void aServerThatDisconnectsASlowWatcher_givesExitCode17() {
    server.answer = req -> List.of(WARNING, Status.RESOURCE_EXHAUSTED
        .withDescription("the watcher fell behind").asRuntimeException());
    assertEquals(17, cli.run("watch"));
    assertEquals(1, cli.out().lines().count(), "what arrived was printed: " + cli.out());
    assertTrue(cli.err().startsWith("error: "), cli.err());
  }
}
