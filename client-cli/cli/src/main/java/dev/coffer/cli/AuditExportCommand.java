package dev.coffer.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.coffer.api.v1.AuditEvent;
import dev.coffer.api.v1.AuditFilter;
import dev.coffer.api.v1.ExportAuditEventsRequest;
import dev.coffer.client.CofferClient;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code coffer audit export --out FILE}: ExportAuditEvents written as JSON lines, one proto3-JSON
 * AuditEvent per line, for a SIEM. The file is created new with mode 0600 before the call (an
 * existing one is refused and never overwritten) and removed again if the export fails.
 */
@Command(
    name = "export",
    description = {
      "Export your tenant's audit events, oldest first, as JSON lines (tenant admins only).",
      "FILE is created new with mode 0600; an existing file is never overwritten, and a failed"
          + " export leaves no file.",
      "Deadline: --timeout if given, else 1h."
    })
final class AuditExportCommand extends ClientCommand {

  private static final JsonFormat.Printer LINE = JsonFormat.printer().omittingInsignificantWhitespace();

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The new file to write.")
  Path out;

  @Mixin AuditFilterOptions filter;

  @Option(
      names = "--progress",
      negatable = true,
      description = "Show a progress line on stderr (default: only when stderr is a terminal).")
  Boolean progress;

  private AuditFilter request;

  @Override
  protected void checkLocally() {
    request = filter.toProto(ctx.clock());
    JsonLinesFile.refuseExisting(out);
  }

  @Override
  protected int run(CofferClient client, Printer printer) throws InvalidProtocolBufferException {
    boolean show = progress != null ? progress : ExportProgress.stderrIsTerminal(ctx);
    ExportProgress bar = new ExportProgress(ctx.err(), ctx.clock(), show);
    long written = 0;
    try (JsonLinesFile file = JsonLinesFile.create(out)) {
      Iterator<AuditEvent> events =
          client
              .audit()
              .withDeadlineAfter(
                  AuditViews.longCallDeadline(spec, global).toNanos(), TimeUnit.NANOSECONDS)
              .exportAuditEvents(ExportAuditEventsRequest.newBuilder().setFilter(request).build());
      try {
        while (events.hasNext()) {
          file.writeLine(LINE.print(events.next()));
          written++;
          bar.update(written);
        }
        file.commit();
      } catch (RuntimeException e) {
        bar.finish(written);
        printer.note("export failed after " + written + " events; " + out + " was removed");
        throw e;
      }
      bar.finish(written);
    }
    Struct summary =
        Struct.newBuilder()
            .putFields("file", Value.newBuilder().setStringValue(out.toString()).build())
            .putFields("events", Value.newBuilder().setNumberValue(written).build())
            .build();
    printer.print(summary, "exported", written + " events", "file", out + " (mode 0600)");
    return ExitCodes.OK;
  }
}
