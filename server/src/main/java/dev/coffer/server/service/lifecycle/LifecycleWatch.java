package dev.coffer.server.service.lifecycle;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.service.kernel.FieldRules;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one watcher asked for: its warning lead times and, optionally, the resources it
 * cares about. Validated here, so every malformed request is INVALID_ARGUMENT naming
 * {@code lead_time_seconds} or {@code resources} before anything is subscribed.
 *
 * <p>Security: resource names are only matched against notices the watcher may see
 * anyway; naming a resource that does not exist or that the caller may not see is
 * accepted and simply never matches, so a watch reveals nothing about existence.
 *
 * @param leadTimes at least one, at most {@value #MAX_LEAD_TIMES}, each 1 s to 400 days
 * @param resources empty for every resource the caller may see
 */
public record LifecycleWatch(Set<Duration> leadTimes, Set<String> resources) {

  public static final List<Duration> DEFAULT_LEAD_TIMES =
      List.of(Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(1));
  public static final int MAX_LEAD_TIMES = 5;
  public static final int MAX_RESOURCES = 100;
  static final Duration MIN_LEAD = Duration.ofSeconds(1);
  static final Duration MAX_LEAD = Duration.ofDays(400);
  private static final List<String> PREFIXES = List.of("secrets/", "grants/", "accessRequests/");

  public LifecycleWatch {
    leadTimes = Set.copyOf(leadTimes);
    resources = Set.copyOf(resources);
  }

  /** A watch of everything the caller may see, with the default lead times. */
  public static LifecycleWatch everything() {
    return new LifecycleWatch(Set.copyOf(DEFAULT_LEAD_TIMES), Set.of());
  }

  /**
   * Validates a request's fields.
   *
   * @param leadSeconds empty for the defaults (30, 7 and 1 days); repeats count once
   * @param resources {@code secrets/{id}}, {@code grants/{id}} or {@code accessRequests/{id}}
   */
  public static LifecycleWatch of(List<Long> leadSeconds, List<String> resources) {
    if (leadSeconds.size() > MAX_LEAD_TIMES) {
      throw CofferException.invalid("lead_time_seconds",
          "at most " + MAX_LEAD_TIMES + " lead times");
    }
    Set<Duration> leads = new TreeSet<>();
    for (long s : leadSeconds) {
      if (s < MIN_LEAD.getSeconds() || s > MAX_LEAD.getSeconds()) {
        throw CofferException.invalid("lead_time_seconds",
            "each lead time must be from 1 second to 400 days (34560000 seconds)");
      }
      leads.add(Duration.ofSeconds(s));
    }
    if (resources.size() > MAX_RESOURCES) {
      throw CofferException.invalid("resources", "at most " + MAX_RESOURCES + " resources");
    }
    Set<String> names = new TreeSet<>();
    for (String name : resources) {
      names.add(resourceName(name));
    }
    return new LifecycleWatch(leads.isEmpty() ? Set.copyOf(DEFAULT_LEAD_TIMES) : leads, names);
  }

  /** Whether the notice's lead time was asked for (the resource filter is the subscription's). */
  boolean wants(LifecycleNotice n) {
    return n.type() != LifecycleNotice.Type.EXPIRY_WARNING || leadTimes.contains(n.leadTime());
  }

  private static String resourceName(String name) {
    for (String prefix : PREFIXES) {
      if (name != null && name.startsWith(prefix)) {
        FieldRules.resourceId("resources", name, prefix);
        return name;
      }
    }
    throw CofferException.invalid("resources",
        "each must be secrets/{id}, grants/{id} or accessRequests/{id}");
  }
}
