package dev.coffer.server.domain;

import java.util.List;
import java.util.Map;

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
  private final transient Map<String, String> metadata;

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
    this.metadata = Map.of();
  }

  /**
   * A refusal with machine-readable facts for the caller ({@code ErrorInfo.metadata}), such
   * as the name of the check that failed. The metadata, like the message, must never hold a
   * secret value or token.
   */
  public CofferException(Reason reason, String safeMessage, Map<String, String> metadata) {
    super(safeMessage, null, false, false);
    this.reason = reason;
    this.violations = List.of();
    this.metadata = Map.copyOf(metadata);
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

  /** Facts for {@code ErrorInfo.metadata}; empty for most refusals. */
  public Map<String, String> metadata() {
    return metadata;
  }
}
