package dev.coffer.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.coffer.api.v1.AccessToken;
import dev.coffer.api.v1.Application;
import dev.coffer.api.v1.Location;
import dev.coffer.api.v1.Principal;
import dev.coffer.api.v1.Scope;
import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.SecretKind;
import dev.coffer.api.v1.Tenant;
import java.io.PrintWriter;
import java.time.Instant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * All output of the CLI. {@code --output json} prints the proto3 JSON of the response and nothing
 * else on stdout; {@code text} prints aligned fields and tables for people. Warnings and notes go
 * to stderr in both modes.
 *
 * <p>Shown-once values: in text mode stdout carries the value alone (so {@code X=$(coffer ...)}
 * works) and its summary plus a warning go to stderr. Security: a value is printed only by {@link
 * #shownOnce} and {@link #value}, and never when it went to an {@code --out-file}.
 */
public final class Printer {

  /** Output format. */
  public enum Format {
    text,
    json
  }

  static final String WARN_VERIFIER =
      "This value is shown once. Store it now; Coffer keeps only a verifier.";
  static final String WARN_VAULTED =
      "This value is shown once. Store it now; it can be revealed later only by authorized readers.";

  private static final JsonFormat.Printer JSON = JsonFormat.printer();
  private static final JsonFormat.Printer JSON_LINE =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private final PrintWriter out;
  private final PrintWriter err;
  private final Format format;

  public Printer(PrintWriter out, PrintWriter err, Format format) {
    this.out = out;
    this.err = err;
    this.format = format;
  }

  public boolean isJson() {
    return format == Format.json;
  }

  /** Prints {@code response}: as JSON, or else as aligned {@code key value} lines. */
  public void print(MessageOrBuilder response, String... keyValues) {
    if (isJson()) {
      json(response);
    } else {
      lines(keyValues).forEach(out::println);
      out.flush();
    }
  }

  /** Prints a listing: as JSON, or else as a table, with a stderr note when more pages follow. */
  void list(MessageOrBuilder response, TextTable table, String nextPageToken) {
    if (isJson()) {
      json(response);
      return;
    }
    table.print(out);
    out.flush();
    if (!nextPageToken.isEmpty()) {
      note("more results: --page-token " + nextPageToken + " (or --all)");
    }
  }

  /**
   * Prints one item of a stream as soon as it arrives: as proto3 JSON on one line (JSON lines), or
   * else as {@code textLine}; flushed at once.
   */
  public void streamed(MessageOrBuilder item, String textLine) {
    if (isJson()) {
      try {
        out.println(JSON_LINE.print(item));
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("response cannot be printed as JSON", e);
      }
    } else {
      out.println(textLine);
    }
    out.flush();
  }

  /** Prints {@code response} as proto3 JSON on stdout. */
  public void json(MessageOrBuilder response) {
    try {
      out.println(JSON.print(response));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("response cannot be printed as JSON", e);
    }
    out.flush();
  }

  /**
   * Prints a response that carries a value shown once: JSON on stdout, or (text) the summary on
   * stderr and the value alone on stdout; the warning goes to stderr in both modes.
   */
  public void shownOnce(MessageOrBuilder response, String[] summary, String value, String warning) {
    if (isJson()) {
      json(response);
    } else {
      lines(summary).forEach(err::println);
    }
    err.println("WARNING: " + warning);
    err.flush();
    if (!isJson()) {
      out.println(value);
      out.flush();
    }
  }

  /**
   * Prints a create response whose shown-once value went to {@code file} instead: the response
   * must come without its value.
   */
  public void storedInFile(MessageOrBuilder responseWithoutValue, String[] summary, Path file) {
    String[] kv = Arrays.copyOf(summary, summary.length + 2);
    kv[summary.length] = "value written to";
    kv[summary.length + 1] = file + " (mode 0600)";
    print(responseWithoutValue, kv);
    note("The value is in " + file + " only; it is not shown again.");
  }

  /** Prints a value read back on purpose (reveal): JSON, or the value alone. */
  public void value(MessageOrBuilder response, String value) {
    if (isJson()) {
      json(response);
    } else {
      out.println(value);
      out.flush();
    }
  }

  /** A note for people on stderr (both modes). */
  public void note(String line) {
    err.println(line);
    err.flush();
  }

  /** Aligned {@code key value} lines; pairs with an empty value are left out. */
  static List<String> lines(String... keyValues) {
    int width = 0;
    for (int i = 0; i < keyValues.length; i += 2) {
      width = Math.max(width, keyValues[i].length());
    }
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      String v = keyValues[i + 1];
      if (v != null && !v.isEmpty()) {
        lines.add(keyValues[i] + " ".repeat(width - keyValues[i].length() + 2) + v);
      }
    }
    return lines;
  }

  // ---- text views of the API's resources: key, value, key, value... ----

  static String[] view(Tenant t) {
    return new String[] {
      "tenant", t.getName(),
      "allow never-expiring secrets", yesNo(t.getPolicy().getAllowNeverExpire()),
      "max secret lifetime", days(t.getPolicy().getMaxSecretLifetime()),
      "max token lifetime", days(t.getPolicy().getMaxTokenLifetime()),
      "max access duration", days(t.getPolicy().getMaxAccessDuration()),
      "request decision window", days(t.getPolicy().getRequestDecisionWindow()),
      "people sign in only via issuers", yesNo(t.getPolicy().getFederatedUserSignInOnly()),
      "created", time(t.getCreateTime())
    };
  }

  static String[] view(Principal p) {
    return new String[] {
      "principal", p.getName(),
      "kind", p.getKind().name(),
      "tenant admin", yesNo(p.getAdmin()),
      "system admin", p.getSystemAdmin() ? "yes" : "",
      "owner", p.getOwner(),
      "created", time(p.getCreateTime()),
      "first sign-in", p.hasFirstSignInTime() ? time(p.getFirstSignInTime()) : "never"
    };
  }

  static String[] view(AccessToken t) {
    return new String[] {
      "token", t.getName(),
      "principal", "tenants/" + t.getTenantId() + "/principals/" + t.getPrincipalId(),
      "description", t.getDescription(),
      "created", time(t.getCreateTime()),
      "expires", time(t.getExpireTime()),
      "revoked", time(t.getRevokeTime())
    };
  }

  static String[] view(Location l) {
    return new String[] {"location", l.getPath(), "created", time(l.getCreateTime())};
  }

  static String[] view(Application a) {
    return new String[] {
      "application", a.getName(),
      "client id", a.getClientId(),
      "client name", a.getClientName(),
      "environment", a.getEnvironment(),
      "security type", a.getSecurityType().name(),
      "flow", a.getFlow().name(),
      "owner", a.getOwner(),
      "created", time(a.getCreateTime()),
      "etag", a.getEtag()
    };
  }

  static String[] view(Secret s) {
    return new String[] {
      "secret", s.getName(),
      "name", s.getDisplayName(),
      "description", s.getDescription(),
      s.getParent().startsWith("scopes/") ? "scope" : "application", s.getParent(),
      "kind", kind(s.getKind()),
      "key algorithm", s.getKid().isEmpty() ? "" : s.getKeyAlgorithm().name(),
      "kid", s.getKid(),
      "external client id", s.getExternalClientId(),
      "location", s.getLocation(),
      "state", s.getState().name(),
      "vaulted", yesNo(s.getVaulted()),
      "sharing", s.getVaulted() ? yesNo(s.getSharingEnabled()) : "",
      "owner", s.getOwner(),
      "pre-approved owner", s.getVaulted() ? yesNo(s.getPreapproveOwner()) : "",
      "hint", s.getHint().isEmpty() ? "" : s.getHint() + "...",
      "expires", s.hasExpireTime() ? time(s.getExpireTime()) : "never",
      "created", time(s.getCreateTime()),
      "creator", s.getCreator(),
      "revoked", time(s.getRevokeTime()),
      "quarantined", s.hasQuarantineTime() ? time(s.getQuarantineTime())
          + " (reported leaked: rotate it, then coffer secret unquarantine)" : "",
      "rotated from", s.getRotatedFrom(),
      "rotated to", s.getRotatedTo(),
      "etag", s.getEtag()
    };
  }

  static String kind(SecretKind kind) {
    return switch (kind) {
      case STORED_CREDENTIAL -> "stored credential";
      case SCOPE_SECRET_VALUE -> "scope secret";
      case JWT_SIGNING_KEY -> "JWT signing key (key pair)";
      default -> "";
    };
  }

  static String[] view(Scope s) {
    return new String[] {
      "scope", s.getName(),
      "description", s.getDescription(),
      "owner", s.getOwner(),
      "created", time(s.getCreateTime()),
      "etag", s.getEtag()
    };
  }

  static TextTable table(List<Secret> secrets) {
    TextTable t =
        new TextTable("ID", "NAME", "PARENT", "LOCATION", "STATE", "VAULTED", "EXPIRES");
    for (Secret s : secrets) {
      t.row(
          s.getSecretId(),
          s.getDisplayName(),
          s.getParent().startsWith("applications/") ? s.getClientId() : s.getParent(),
          s.getLocation(),
          s.getState().name(),
          yesNo(s.getVaulted()),
          s.hasExpireTime() ? time(s.getExpireTime()) : "never");
    }
    return t;
  }

  static String yesNo(boolean b) {
    return b ? "yes" : "no";
  }

  static String time(Timestamp ts) {
    if (ts.getSeconds() == 0 && ts.getNanos() == 0) {
      return "";
    }
    return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos()).toString();
  }

  /** A policy duration: {@code default} when unset, else as {@link #duration}. */
  static String days(com.google.protobuf.Duration d) {
    return d.getSeconds() == 0 ? "default" : duration(d);
  }

  /** Whole seconds in the largest unit that fits, as typed: {@code 30d}, {@code 8h}, {@code 90m}, {@code 45s}. */
  static String duration(com.google.protobuf.Duration d) {
    long s = d.getSeconds();
    if (s != 0 && s % 86_400 == 0) {
      return (s / 86_400) + "d";
    }
    if (s != 0 && s % 3_600 == 0) {
      return (s / 3_600) + "h";
    }
    return s != 0 && s % 60 == 0 ? (s / 60) + "m" : s + "s";
  }
}
