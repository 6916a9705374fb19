package dev.coffer.server.service.secrets;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.crypto.EnvelopeCipher;
import dev.coffer.server.crypto.PrivateKeyPem;
import dev.coffer.server.crypto.SecretBinding;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretKind;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.service.kernel.AccessPolicy;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.store.records.GrantRepository;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Reveals vaulted values to the readers {@link AccessPolicy#reveal} allows (the
 * pre-approved owner, holders of an active grant), checked at the moment of the read.
 * Fails closed on audit: the value is returned only after its read is durably recorded
 * (the asynchronous forms complete only then). A value that fails to decrypt is DATA_LOSS
 * for that secret alone.
 */
public final class SecretReader {

  private static final int MAX_GRANTS_CHECKED = 100;

  private final Secrets secrets;
  private final GrantRepository grants;
  private final EnvelopeCipher cipher;
  private final AccessPolicy policy;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;

  public SecretReader(Secrets secrets, GrantRepository grants, EnvelopeCipher cipher,
      Governance gov) {
    this.secrets = secrets;
    this.grants = grants;
    this.cipher = cipher;
    this.policy = gov.policy();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
  }

  /**
   * A revealed value as a response shows it: for a signing key, {@code value} is the private
   * key as PKCS#8 PEM and {@code privateJwk} the same key as a JWK; otherwise
   * {@code privateJwk} is null. Close it after sending.
   */
  public record Revealed(SecretValue value, SecretValue privateJwk) implements AutoCloseable {
    @Override
    public void close() {
      value.close();
      if (privateJwk != null) {
        privateJwk.close();
      }
    }
  }

  /** As {@link #reveal}, in the forms a response shows (PEM and JWK for a signing key). */
  public Revealed revealForResponse(CallContext ctx, String secretId) {
    return await(revealForResponseAsync(ctx, secretId));
  }

  /**
   * As {@link #revealForResponse}, without waiting for the audit write: checks and decrypts
   * on the calling thread (a refusal throws here, recorded), then returns a future that
   * completes with the value once its read is durably audited, or exceptionally with
   * AUDIT_UNAVAILABLE (the value already closed).
   */
  public CompletableFuture<Revealed> revealForResponseAsync(CallContext ctx, String secretId) {
    StoredSecret stored = secrets.visibleSecret(ctx, secretId);
    boolean signingKey = stored.metadata().kind() == SecretKind.SIGNING_KEY;
    return open(ctx, stored).thenApply(opened -> {
      if (!signingKey) {
        return new Revealed(opened, null);
      }
      try {
        return new Revealed(PrivateKeyPem.fromJwk(opened), opened);
      } catch (RuntimeException e) {
        opened.close();
        throw e;
      }
    });
  }

  /**
   * The value, which the caller must close after sending it (for a signing key: its private
   * JWK).
   */
  public SecretValue reveal(CallContext ctx, String secretId) {
    return await(open(ctx, secrets.visibleSecret(ctx, secretId)));
  }

  private CompletableFuture<SecretValue> open(CallContext ctx, StoredSecret stored) {
    String secretId = stored.metadata().secretId();
    SecretMetadata m = stored.metadata();
    String target = "secrets/" + secretId;
    enforcer.require(ctx, policy.reveal(ctx.caller(), m,
        grants.held(ctx.tenantId(), ctx.actor(), secretId, MAX_GRANTS_CHECKED), clock.instant()),
        AuditAction.SECRET_REVEAL, target);
    SecretValue value;
    try {
      value = cipher.open(stored.sealed(),
          SecretBinding.of(m));
    } catch (CofferException e) {
      audit.record(enforcer.event(ctx, AuditAction.SECRET_REVEAL, target, AuditEvent.FAILED,
          e.reason().name()));
      throw e;
    }
    return audit.recordAsync(enforcer.allowed(ctx, AuditAction.SECRET_REVEAL, target))
        .handle((written, failure) -> {
          if (failure != null) {
            value.close();
            throw new CofferException(Reason.AUDIT_UNAVAILABLE,
                "the read could not be audited, so it was refused", cause(failure));
          }
          return value;
        });
  }

  /** The future's value, or the exception it failed with (not wrapped). */
  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      Throwable cause = cause(e);
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private static Throwable cause(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
