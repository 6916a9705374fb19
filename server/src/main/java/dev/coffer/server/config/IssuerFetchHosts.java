package dev.coffer.server.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hosts the server may send requests to for trusted issuers' documents (OpenID discovery
 * and JWK Sets), as the operator sets them with {@code --issuer-fetch-hosts}. One of three:
 * {@link #none()} (the default: no host; only issuers with inline keys work), a list of exact
 * host names or IP literals and {@code *.suffix} wildcards, where {@code *} stands for one
 * label or more ({@code *.example.com} allows {@code a.example.com} and {@code
 * b.a.example.com}, never {@code example.com} nor {@code a.example.com.evil}), or {@link
 * #anyHost()} (development mode: any host the URL rules accept, i.e. any https host and
 * http on loopback). Ports are not restricted. Host names compare case-insensitively.
 *
 * <p>Security: tenant admins choose issuer URLs, operators choose this list, so a tenant
 * admin cannot make the server request a host on its network that the operator did not
 * allow (server-side request forgery). Never a bare {@code *}.
 */
public final class IssuerFetchHosts {

  /** The flag that sets it, for messages. */
  public static final String FLAG = "--issuer-fetch-hosts";

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]{2,45}");
  private static final int MAX_ENTRIES = 256;
  private static final int MAX_HOST_CHARS = 253;

  private final boolean any;
  private final Set<String> exact;
  private final List<String> suffixes; // ".example.com" for "*.example.com"

  private IssuerFetchHosts(boolean any, Set<String> exact, List<String> suffixes) {
    this.any = any;
    this.exact = Set.copyOf(exact);
    this.suffixes = List.copyOf(suffixes);
  }

  /** No host: issuers whose keys need fetching are refused (the default outside --dev). */
  public static IssuerFetchHosts none() {
    return new IssuerFetchHosts(false, Set.of(), List.of());
  }

  /** Any host the issuer URL rules accept: development mode without the flag. */
  public static IssuerFetchHosts anyHost() {
    return new IssuerFetchHosts(true, Set.of(), List.of());
  }

  /**
   * The flag's value: comma-separated host names, IP literals or {@code *.suffix} wildcards.
   *
   * @throws ConfigException naming the flag and the bad entry
   */
  public static IssuerFetchHosts parse(String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(FLAG + " needs at least one HOST (or *.SUFFIX)");
    }
    Set<String> exact = new LinkedHashSet<>();
    List<String> suffixes = new ArrayList<>();
    String[] entries = value.split(",", -1);
    if (entries.length > MAX_ENTRIES) {
      throw new ConfigException(FLAG + " takes at most " + MAX_ENTRIES + " hosts");
    }
    for (String raw : entries) {
      String entry = raw.strip().toLowerCase(Locale.ROOT);
      if (entry.startsWith("*.")) {
        String suffix = entry.substring(2);
        if (!isHostName(suffix)) {
          throw bad(raw, "a wildcard is *.SUFFIX with SUFFIX a host name, e.g. *.example.com");
        }
        suffixes.add("." + suffix);
      } else if (entry.contains("*")) {
        throw bad(raw, "'*' is allowed only as the first label of *.SUFFIX, never alone");
      } else if (isHostName(entry) || isIpv6(entry)) {
        exact.add(unbracket(entry));
      } else {
        throw bad(raw, "must be a host name, an IP address or *.SUFFIX");
      }
    }
    return new IssuerFetchHosts(false, exact, suffixes);
  }

  /** Whether requests to {@code host} (as {@link java.net.URI#getHost} gives it) may go. */
  public boolean allows(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    if (any) {
      return true;
    }
    String h = unbracket(host.toLowerCase(Locale.ROOT));
    if (exact.contains(h)) {
      return true;
    }
    for (String suffix : suffixes) {
      if (h.length() > suffix.length() && h.endsWith(suffix)
          && h.charAt(h.length() - suffix.length() - 1) != '.') {
        return true;
      }
    }
    return false;
  }

  /** True when no host at all may be fetched from. */
  public boolean isNone() {
    return !any && exact.isEmpty() && suffixes.isEmpty();
  }

  /** For the start-up log line: "any host (--dev)", "no host" or the list. */
  public String describe() {
    if (any) {
      return "any https host and http on loopback (--dev)";
    }
    if (isNone()) {
      return "no host (inline jwks_json only; allow hosts with " + FLAG + ")";
    }
    List<String> all = new ArrayList<>(exact);
    suffixes.forEach(s -> all.add("*" + s));
    return String.join(",", all);
  }

  @Override
  public String toString() {
    return "IssuerFetchHosts[" + describe() + "]";
  }

  private static boolean isHostName(String s) {
    if (s.isEmpty() || s.length() > MAX_HOST_CHARS || s.endsWith(".")) {
      return false;
    }
    for (String label : s.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv6(String s) {
    String u = unbracket(s);
    return u.contains(":") && IPV6.matcher(u).matches();
  }

  private static String unbracket(String s) {
    return s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
  }

  private static ConfigException bad(String entry, String why) {
    return new ConfigException(FLAG + " entry '" + entry.strip() + "': " + why);
  }
}
