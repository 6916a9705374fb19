package dev.coffer.cli;

import dev.coffer.api.v1.AuditFilter;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The filters of {@code audit list} and {@code audit export} (a picocli mixin): a time window
 * and exact actor, target and action. Times are a date (midnight UTC), an instant, or a duration
 * ago ({@code 24h}: since 24 hours before now). Security: filters hold identifiers, no secret.
 */
final class AuditFilterOptions {

  static final String TIME_FORMS = "YYYY-MM-DD, YYYY-MM-DDThh:mm:ssZ or a duration ago (24h, 7d)";
  private static final Pattern AGO = Pattern.compile("\\d{1,12}[dhms]");

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description = "Only events at or after WHEN: " + TIME_FORMS + ".")
  String since;

  @Option(
      names = "--until",
      paramLabel = "WHEN",
      description = "Only events before WHEN (same forms).")
  String until;

  @Option(names = "--actor", paramLabel = "PRINCIPAL", description = "Only events by this principal id.")
  String actor = "";

  @Option(
      names = "--target",
      paramLabel = "NAME",
      description = "Only events on this resource name, e.g. secrets/ID or tokens/ID.")
  String target = "";

  @Option(
      names = "--action",
      paramLabel = "ACTION",
      description = "Only this action, e.g. SECRET_REVEAL, AUTHENTICATE (any case).")
  String action = "";

  /** The request filter; a usage error for a bad time or an empty window. */
  AuditFilter toProto(Clock clock) {
    Instant now = clock.instant();
    AuditFilter.Builder f =
        AuditFilter.newBuilder()
            .setActor(actor.strip())
            .setTarget(target.strip())
            .setAction(action.strip().toUpperCase(Locale.ROOT));
    Instant from = since == null ? null : when("--since", since, now);
    Instant to = until == null ? null : when("--until", until, now);
    if (from != null && to != null && !from.isBefore(to)) {
      throw new ParameterException(mixee.commandLine(), "--since must be before --until");
    }
    if (from != null) {
      f.setSince(Expiration.timestamp(from));
    }
    if (to != null) {
      f.setUntil(Expiration.timestamp(to));
    }
    return f.build();
  }

  private Instant when(String option, String text, Instant now) {
    String s = text.strip();
    try {
      if (AGO.matcher(s).matches()) {
        return now.minus(DurationConverter.parse(s));
      }
      if (s.contains("T")) {
        return Instant.parse(s);
      }
      return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException | IllegalArgumentException | ArithmeticException e) {
      throw new ParameterException(
          mixee.commandLine(), option + " '" + s + "' is not a time: use " + TIME_FORMS);
    }
  }
}
