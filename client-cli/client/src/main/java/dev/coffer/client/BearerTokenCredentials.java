package dev.coffer.client;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Per-call credentials that send {@code authorization: Bearer <token>}.
 *
 * <p>Contract: the supplier is asked on every call, so a rotated token is picked up without a new
 * channel; a {@code null} or blank token sends no header (the server then answers {@code
 * UNAUTHENTICATED}). A supplier failure fails the call with {@code UNAUTHENTICATED}.
 *
 * <p>Security: the token never enters a log line, an exception message or {@link #toString()}.
 * Plaintext transport is accepted for now; the TLS seam is {@link ClientConfig}'s channel
 * credentials.
 */
public final class BearerTokenCredentials extends CallCredentials {

  /** The {@code authorization} header key. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Supplier<String> tokenSupplier;

  public BearerTokenCredentials(Supplier<String> tokenSupplier) {
    this.tokenSupplier = Objects.requireNonNull(tokenSupplier, "tokenSupplier");
  }

  @Override
  public void applyRequestMetadata(
      RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
    String token;
    try {
      token = tokenSupplier.get();
    } catch (RuntimeException e) {
      // The cause stays local (never sent); its message is the supplier's, not a token.
      applier.fail(
          Status.UNAUTHENTICATED.withDescription("could not obtain a bearer token").withCause(e));
      return;
    }
    Metadata headers = new Metadata();
    if (token != null && !token.isBlank()) {
      headers.put(AUTHORIZATION, "Bearer " + token.strip());
    }
    applier.apply(headers);
  }

  @Override
  public String toString() {
    return "BearerTokenCredentials[token=<redacted>]";
  }
}
