package dev.coffer.server.testing;

import dev.coffer.server.Vault;
import dev.coffer.server.domain.KeyAlgorithm;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.SecretParent;
import dev.coffer.server.service.secrets.SecretMinter;
import dev.coffer.server.service.secrets.SecretRequest;
import java.util.concurrent.CompletionException;

/**
 * Creates secrets in a test the way the server does: through
 * {@code Secrets.createAsync}, the one production path {@code SecretGrpcService} uses, with
 * slow key-pair generation run on the calling thread, waiting until the secret and its audit
 * event are durable. A refusal surfaces as the same {@code CofferException} the service
 * throws (never wrapped), and nothing is written. The minted value is the caller's to close.
 */
public final class TestSecrets {

  private TestSecrets() {}

  /** A client secret (or, for a signed-JWT application, an ES256 key pair) of an application. */
  public static SecretMinter.Minted create(Vault vault, CallContext ctx, String clientId,
      SecretRequest request) {
    return create(vault, ctx, SecretParent.application(clientId), request, null);
  }

  /** A secret of {@code parent}, of {@code algorithm} for a key pair (null: ES256). */
  public static SecretMinter.Minted create(Vault vault, CallContext ctx, SecretParent parent,
      SecretRequest request, KeyAlgorithm algorithm) {
    try {
      return vault.secrets().secrets().createAsync(ctx, parent, request, algorithm, Runnable::run)
          .join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
