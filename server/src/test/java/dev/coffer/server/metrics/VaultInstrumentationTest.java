package dev.coffer.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.crypto.EnvelopeCipher;
import dev.coffer.server.crypto.VerifierMac;
import dev.coffer.server.service.identity.FederatedLogin;
import dev.coffer.server.service.identity.LoginFailure;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SealedSecret;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.secrets.SecretVerifier;
import dev.coffer.server.store.Changes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The decorators count what happens and otherwise behave exactly as what they wrap. */
class VaultInstrumentationTest {

  final MeterRegistry registry = new SimpleMeterRegistry();
  final VaultInstrumentation metered = VaultInstrumentation.into(registry);

  static AuditEvent event(AuditAction action, String outcome) {
    return new AuditEvent(Instant.EPOCH, "default", "alice", action, "secrets/sec_1", outcome,
        "", "req-1", "127.0.0.1");
  }

  double count(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void none_returnsWhatItIsGiven() {
    AuditLog log = new FakeAudit(false);
    assertSame(log, VaultInstrumentation.none().audit(log));
    assertSame(SecretVerifier.FailureListener.NONE, VaultInstrumentation.none().verifyFailures());
  }

  @Test
  void auditEvents_areCountedByActionAndOutcome_failuresApart() {
    AuditLog ok = metered.audit(new FakeAudit(false));
    ok.commit(new Changes(), event(AuditAction.SECRET_CREATE, AuditEvent.ALLOWED));
    ok.record(event(AuditAction.SECRET_REVEAL, AuditEvent.DENIED));
    ok.record(event(AuditAction.SECRET_REVEAL, AuditEvent.DENIED));
    ok.record(event(AuditAction.SECRET_VERIFY, "SOMETHING-NEW"));
    AuditLog broken = metered.audit(new FakeAudit(true));

    CofferException e = assertThrows(CofferException.class,
        () -> broken.record(event(AuditAction.SECRET_REVEAL, AuditEvent.ALLOWED)));

    assertEquals(Reason.AUDIT_UNAVAILABLE, e.reason(), "still fails closed");
    assertEquals(1, count(MeteredAuditLog.WRITTEN, "action", "SECRET_CREATE", "outcome",
        "ALLOWED"));
    assertEquals(2, count(MeteredAuditLog.WRITTEN, "action", "SECRET_REVEAL", "outcome",
        "DENIED"));
    assertEquals(1, count(MeteredAuditLog.WRITTEN, "action", "SECRET_VERIFY", "outcome",
        "other"));
    assertEquals(1, count(MeteredAuditLog.FAILURES));
    assertEquals(0, registry.find(MeteredAuditLog.WRITTEN).tag("action", "SECRET_REVEAL")
        .tag("outcome", "ALLOWED").counters().size(), "a failed write is not written");
  }

  @Test
  void asyncAuditWrites_areCountedWhenTheyComplete_andStillFailClosed() {
    metered.audit(new FakeAudit(false)).recordAsync(
        event(AuditAction.SECRET_REVEAL, AuditEvent.ALLOWED)).join();
    java.util.concurrent.CompletableFuture<Void> failed = metered.audit(new FakeAudit(true))
        .recordAsync(event(AuditAction.SECRET_REVEAL, AuditEvent.ALLOWED));

    java.util.concurrent.CompletionException e = assertThrows(
        java.util.concurrent.CompletionException.class, failed::join);
    assertEquals(Reason.AUDIT_UNAVAILABLE, ((CofferException) e.getCause()).reason());
    assertEquals(1, count(MeteredAuditLog.WRITTEN, "action", "SECRET_REVEAL", "outcome",
        "ALLOWED"));
    assertEquals(1, count(MeteredAuditLog.FAILURES));
  }

  @Test
  void envelopeOpenThatFailsToAuthenticate_isADataLossEvent() {
    EnvelopeCipher cipher = metered.envelopeCipher(new EnvelopeCipher() {
      @Override
      public SealedSecret seal(SecretValue plaintext, byte[] associatedData) {
        return new SealedSecret(new byte[1], new byte[1]);
      }

      @Override
      public SecretValue open(SealedSecret sealed, byte[] associatedData) {
        throw new CofferException(Reason.CIPHERTEXT_CORRUPT, "damaged");
      }

      @Override
      public byte[] rewrap(byte[] wrappedDataKey, byte[] associatedData) {
        throw new UnsupportedOperationException();
      }

      @Override
      public java.util.OptionalInt wrappingKeyId(byte[] wrappedDataKey) {
        return java.util.OptionalInt.empty();
      }

      @Override
      public int primaryKeyId() {
        return 0;
      }
    });
    try (SecretValue v = SecretValue.ofString("value")) {
      cipher.seal(v, new byte[] {1});
    }
    assertThrows(CofferException.class, () -> cipher.open(null, new byte[] {1}));

    assertEquals(1, count(CryptoOperation.NAME, "operation", "seal", "result", "success"));
    assertEquals(1, count(CryptoOperation.NAME, "operation", "open", "result", "failure"));
    assertEquals(0, count(CryptoOperation.NAME, "operation", "open", "result", "success"));
    assertEquals(1, count(MeteredEnvelopeCipher.DATA_LOSS));
  }

  @Test
  void macMismatch_isASuccessfulOperation_anExceptionIsAFailure() {
    VerifierMac mac = metered.verifierMac(new VerifierMac() {
      @Override
      public byte[] compute(SecretValue value, byte[] context) {
        throw new IllegalStateException("no key");
      }

      @Override
      public boolean verify(byte[] verifier, SecretValue candidate, byte[] context) {
        return false;
      }
    });
    try (SecretValue v = SecretValue.ofString("value")) {
      assertFalse(mac.verify(new byte[1], v, new byte[1]));
      assertThrows(IllegalStateException.class, () -> mac.compute(v, new byte[1]));
    }

    assertEquals(1, count(CryptoOperation.NAME, "operation", "mac_verify", "result", "success"));
    assertEquals(1, count(CryptoOperation.NAME, "operation", "mac_compute", "result",
        "failure"));
  }

  @Test
  void verifyFailures_areCountedByReason() {
    SecretVerifier.FailureListener listener = metered.verifyFailures();
    listener.failed(SecretVerifier.Failure.NO_MATCH);
    listener.failed(SecretVerifier.Failure.NO_MATCH);
    listener.failed(SecretVerifier.Failure.RATE_LIMITED);

    assertEquals(2, count(VerifyFailureMeter.NAME, "reason", "no_match"));
    assertEquals(1, count(VerifyFailureMeter.NAME, "reason", "rate_limited"));
  }

  /** An audit log that records nothing, or fails every write. */
  private record FakeAudit(boolean failing) implements AuditLog {
    @Override
    public void commit(Changes changes, AuditEvent event) {
      if (failing) {
        throw new CofferException(Reason.AUDIT_UNAVAILABLE, "audit down");
      }
    }

    @Override
    public long lastSequence() {
      return 0;
    }
  }

  @Test
  void logins_areCountedByResult_okOrTheFailure() {
    FederatedLogin.Listener logins = metered.logins();
    logins.loggedIn(null);
    logins.loggedIn(LoginFailure.EXPIRED);
    logins.loggedIn(LoginFailure.EXPIRED);
    assertEquals(1, count(LoginMeter.NAME, "result", "ok"));
    assertEquals(2, count(LoginMeter.NAME, "result", "expired"));
    assertEquals(0, count(LoginMeter.NAME, "result", "bad_signature"));
    assertSame(FederatedLogin.Listener.NONE, VaultInstrumentation.none().logins());
  }
}
