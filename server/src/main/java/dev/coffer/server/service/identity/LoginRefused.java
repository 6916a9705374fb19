package dev.coffer.server.service.identity;

/**
 * Thrown inside the identity package when a check refuses a JWT; {@link FederatedLogin}
 * turns it into the caller's UNAUTHENTICATED and the audit event. Security: the detail is
 * written for operators and never holds the token or a claim value.
 */
final class LoginRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final LoginFailure failure;

  LoginRefused(LoginFailure failure, String detail) {
    super(detail, null, false, false);
    this.failure = failure;
  }

  LoginFailure failure() {
    return failure;
  }
}
