package dev.coffer.server.domain;

import java.util.List;

/**
 * The one exception domain code throws to refuse or fail an operation. Its message is
 * written for the caller and must never hold a secret value, token or verifier: the
 * gRPC edge sends it to clients as is.
 */
public final class CofferException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** One offending request field, named by its proto field path (e.g. {@code display_name}). */
  public record FieldViolation(String field, String description) {}

  private final Reason reason;
  private final transient List<FieldViolation> violations;

  public CofferException(Reason reason, String safeMessage) {
    this(reason, safeMessage, List.of(), null);
  }

  public CofferException(Reason reason, String safeMessage, Throwable cause) {
    this(reason, safeMessage, List.of(), cause);
  }

  private CofferException(
      Reason reason, String safeMessage, List<FieldViolation> violations, Throwable cause) {
    super(safeMessage, cause, false, cause != null);
    this.reason = reason;
    this.violations = List.copyOf(violations);
  }

  /** An INVALID_ARGUMENT naming one field. */
  public static CofferException invalid(String field, String description) {
    return invalid(List.of(new FieldViolation(field, description)));
  }

  /** An INVALID_ARGUMENT naming every offending field. */
  public static CofferException invalid(List<FieldViolation> violations) {
    String message = violations.size() == 1
        ? violations.get(0).field() + ": " + violations.get(0).description()
        : violations.size() + " invalid fields";
    return new CofferException(Reason.INVALID_FIELD, message, violations, null);
  }

  public Reason reason() {
    return reason;
  }

  public List<FieldViolation> violations() {
    return violations;
  }
}
