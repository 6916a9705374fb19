package dev.coffer.cli;

import dev.coffer.api.v1.LifecycleEvent;
import dev.coffer.api.v1.WatchLifecycleRequest;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer watch}: WatchLifecycle, printing one line per event (or one proto3-JSON object per
 * line with {@code --output json}) as it arrives, until interrupted, {@code --max-events} events
 * have been printed, or {@code --for} has passed (both end with exit code 0). The watch has no
 * per-call deadline ({@code --timeout} does not apply); stopping early cancels the call.
 */
@Command(
    name = "watch",
    description = {
      "Stream lifecycle events of your tenant that you may see: expiry warnings, expiries and"
          + " state changes (rotated, revoked, deleted, granted, requested, approved...).",
      "Runs until interrupted, or until --max-events or --for; --timeout does not apply.",
      "A watch on a secret follows it through rotations."
    })
final class WatchCommand extends ClientCommand {

  static final int MAX_LEADS = 5;
  static final Duration MAX_LEAD = Duration.ofDays(400);
  private static final List<String> KINDS = List.of("secrets/", "grants/", "accessRequests/");

  @Option(
      names = "--lead",
      split = ",",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Warning lead times, e.g. 30d,7d,1d (the default); 1s to 400d, at most 5.")
  List<Duration> leads;

  @Option(
      names = "--resource",
      split = ",",
      paramLabel = "NAME",
      description = "Only events about this resource: secrets/ID, grants/ID or"
          + " accessRequests/ID (repeatable).")
  List<String> resources;

  @Option(
      names = "--max-events",
      paramLabel = "N",
      description = "Stop after N events.")
  Integer maxEvents;

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Stop after DURATION, e.g. 90s, 8h.")
  Duration duration;

  private WatchLifecycleRequest request;

  @Override
  protected void checkLocally() {
    WatchLifecycleRequest.Builder b = WatchLifecycleRequest.newBuilder();
    if (leads != null) {
      if (leads.size() > MAX_LEADS) {
        throw usage("--lead takes at most " + MAX_LEADS + " lead times");
      }
      for (Duration lead : leads) {
        if (lead.compareTo(MAX_LEAD) > 0) {
          throw usage("--lead " + Printer.duration(DurationConverter.toProto(lead))
              + " is too long: at most 400d");
        }
        b.addLeadTimeSeconds(lead.getSeconds());
      }
    }
    if (resources != null) {
      for (String r : resources) {
        b.addResources(resource(r));
      }
    }
    if (maxEvents != null && maxEvents < 1) {
      throw usage("--max-events must be at least 1");
    }
    request = b.build();
  }

  @Override
  protected int run(CofferClient client, Printer printer) {
    var stub = client.lifecycle();
    if (duration != null) {
      stub = stub.withDeadlineAfter(duration.toNanos(), TimeUnit.NANOSECONDS);
    }
    if (ctx.terminal() && !printer.isJson()) {
      printer.note("watching lifecycle events (Ctrl-C to stop)");
    }
    int printed = 0;
    // Closing the context cancels the call when we stop before the server ends the stream.
    try (Context.CancellableContext watch = Context.current().withCancellation()) {
      Context previous = watch.attach();
      try {
        Iterator<LifecycleEvent> events = stub.watchLifecycle(request);
        while ((maxEvents == null || printed < maxEvents) && events.hasNext()) {
          LifecycleEvent e = events.next();
          printer.streamed(e, LifecycleViews.line(e));
          printed++;
        }
      } catch (StatusRuntimeException e) {
        if (duration == null || e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
          throw e;
        }
      } finally {
        watch.detach(previous);
      }
    }
    return ExitCodes.OK;
  }

  /** A resource name of one of the three kinds; the id is checked, never echoed. */
  private String resource(String name) {
    String trimmed = name == null ? "" : name.strip();
    for (String kind : KINDS) {
      if (trimmed.startsWith(kind)) {
        UnaryOperator<String> builder = switch (kind) {
          case "secrets/" -> ResourceNames::secret;
          case "grants/" -> ResourceNames::grant;
          default -> ResourceNames::accessRequest;
        };
        return name(builder, trimmed);
      }
    }
    throw usage("--resource must be secrets/ID, grants/ID or accessRequests/ID");
  }
}
