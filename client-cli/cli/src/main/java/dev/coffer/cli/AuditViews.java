package dev.coffer.cli;

import dev.coffer.api.v1.AuditEvent;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Text views for the {@code audit} commands: the event table, and the deadline of the calls that
 * walk the whole trail. Security: audit events hold identifiers only, never a value or token.
 */
final class AuditViews {

  /** The deadline of an export or verification unless {@code --timeout} is given. */
  static final Duration LONG_CALL = Duration.ofHours(1);

  private AuditViews() {}

  static TextTable table(List<AuditEvent> events) {
    TextTable t = new TextTable("SEQ", "TIME", "ACTOR", "ACTION", "TARGET", "OUTCOME", "REASON");
    for (AuditEvent e : events) {
      t.row(
          Long.toString(e.getSequence()),
          Printer.time(e.getTime()),
          dash(e.getActor()),
          e.getAction(),
          dash(e.getTarget()),
          e.getOutcome(),
          dash(e.getReason()));
    }
    return t;
  }

  /**
   * {@code --timeout} when given on the command line, else {@link #LONG_CALL}: walking a long
   * trail takes longer than the 10 s default of ordinary calls.
   */
  static Duration longCallDeadline(CommandSpec spec, GlobalOptions global) {
    return spec.commandLine().getParseResult().hasMatchedOption("--timeout")
        ? global.timeout
        : LONG_CALL;
  }

  private static String dash(String s) {
    return s.isEmpty() ? "-" : s;
  }
}
