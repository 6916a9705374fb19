package dev.coffer.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The calls {@code coffer bench} can measure. Each names the RPC it issues and the principal
 * that issues it; see {@link Workloads}. Security: names only, no data.
 */
public enum Operation {
  /** {@code grpc.health.v1.Health/Check} on the same server, no token: the baseline. */
  HEALTH,
  /** {@code VerifySecret} of an application's real value, as a service principal. */
  VERIFY,
  /** {@code RevealSecret} of a vaulted secret through a grant (audited), as the grantee. */
  REVEAL,
  /** {@code CreateSecret} (durable: synced batch with its audit event), as the app owner. */
  CREATE,
  /** {@code ListSecrets}, one page of 100 of an application, as its owner. */
  LIST;

  /** The name used on the command line and in reports: {@code verify}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The operation named {@code text} (any case). */
  public static Operation parse(String text) {
    for (Operation op : values()) {
      if (op.cliName().equalsIgnoreCase(text.strip())) {
        return op;
      }
    }
    throw new IllegalArgumentException("unknown operation '" + text.strip() + "' (use "
        + names() + ")");
  }

  /** {@code health, verify, reveal, create, list}. */
  public static String names() {
    return Arrays.stream(values()).map(Operation::cliName).collect(Collectors.joining(", "));
  }
}
