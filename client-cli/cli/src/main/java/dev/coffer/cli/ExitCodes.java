package dev.coffer.cli;

import io.grpc.Status;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CLI's exit codes. Stable: scripts depend on them; they are listed in every {@code --help}.
 *
 * <p>A verify mismatch (3) is a normal answer, distinct from every error (10 and up).
 */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int USAGE = 1;
  public static final int VERIFY_MISMATCH = 3;
  public static final int AUDIT_CHAIN_BROKEN = 4;
  // 5 was `admin restore`'s failed restore; that is now `coffer-server restore`, exit 5 there.
  public static final int BENCH_ERRORS = 6;
  public static final int INVALID_ARGUMENT = 10;
  public static final int UNAUTHENTICATED = 11;
  public static final int PERMISSION_DENIED = 12;
  public static final int NOT_FOUND = 13;
  public static final int ALREADY_EXISTS = 14;
  public static final int FAILED_PRECONDITION = 15;
  public static final int ABORTED = 16;
  public static final int RESOURCE_EXHAUSTED = 17;
  public static final int DATA_LOSS = 18;
  public static final int UNAVAILABLE = 19;
  public static final int OTHER = 20;

  private ExitCodes() {}

  /** The exit code of a failed call with this status code. */
  public static int forStatus(Status.Code code) {
    return switch (code) {
      case OK -> OK;
      case INVALID_ARGUMENT, OUT_OF_RANGE -> INVALID_ARGUMENT;
      case UNAUTHENTICATED -> UNAUTHENTICATED;
      case PERMISSION_DENIED -> PERMISSION_DENIED;
      case NOT_FOUND -> NOT_FOUND;
      case ALREADY_EXISTS -> ALREADY_EXISTS;
      case FAILED_PRECONDITION -> FAILED_PRECONDITION;
      case ABORTED -> ABORTED;
      case RESOURCE_EXHAUSTED -> RESOURCE_EXHAUSTED;
      case DATA_LOSS -> DATA_LOSS;
      case UNAVAILABLE, DEADLINE_EXCEEDED -> UNAVAILABLE;
      default -> OTHER;
    };
  }

  /** Code to meaning, in the order shown by {@code --help}. */
  public static Map<String, String> helpList() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(" 0", "ok");
    m.put(" 1", "usage error (bad or missing option, refused --out-file)");
    m.put(" 3", "secret verify: the value does not match (not an error)");
    m.put(" 4", "audit verify: the audit chain is broken (the first break is printed)");
    m.put(" 6", "bench: the run completed but some calls failed (counted in the report)");
    m.put("10", "INVALID_ARGUMENT (or OUT_OF_RANGE)");
    m.put("11", "UNAUTHENTICATED");
    m.put("12", "PERMISSION_DENIED");
    m.put("13", "NOT_FOUND");
    m.put("14", "ALREADY_EXISTS");
    m.put("15", "FAILED_PRECONDITION");
    m.put("16", "ABORTED (e.g. etag mismatch, or a concurrent change)");
    m.put("17", "RESOURCE_EXHAUSTED (e.g. rate limited)");
    m.put("18", "DATA_LOSS");
    m.put("19", "UNAVAILABLE or DEADLINE_EXCEEDED (server unreachable or slow)");
    m.put("20", "any other error");
    return m;
  }
}
