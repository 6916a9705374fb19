package dev.coffer.server.metrics;

import dev.coffer.server.service.secrets.LeakReports;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts leak reports in {@code coffer_leak_reports_total}, labelled {@code outcome}:
 * {@code quarantined} (a live secret was quarantined), {@code not_live} (an expired, revoked,
 * deleted or already quarantined secret), {@code no_match}, {@code invalid},
 * {@code rate_limited}, {@code miss_not_written} (a miss or dead secret beyond the
 * allowance of misses written to the audit trail).
 *
 * <p>Security: only the outcome is a label. Note that whoever can scrape the metrics can tell
 * a quarantine from a miss by watching the counter; the endpoint is an operator's.
 */
public final class LeakReportMeter implements LeakReports.Listener {

  static final String NAME = "coffer.leak.reports";

  private final Map<LeakReports.Outcome, Counter> counters =
      new EnumMap<>(LeakReports.Outcome.class);

  public LeakReportMeter(MeterRegistry registry) {
    for (LeakReports.Outcome outcome : LeakReports.Outcome.values()) {
      counters.put(outcome, Counter.builder(NAME)
          .description("Leaked-secret reports, by outcome")
          .tag("outcome", Labels.word(outcome))
          .register(registry));
    }
  }

  @Override
  public void reported(LeakReports.Outcome outcome) {
    counters.get(outcome).increment();
  }
}
