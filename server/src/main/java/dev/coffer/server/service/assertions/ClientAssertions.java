package dev.coffer.server.service.assertions;

import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.crypto.AssertionSignatures;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.SecretKind;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretState;
import dev.coffer.server.domain.SecurityType;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.Enforcer;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.service.kernel.Governance;
import dev.coffer.server.service.kernel.LockStripes;
import dev.coffer.server.service.kernel.BackgroundJob;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.records.ApplicationRepository;
import dev.coffer.server.store.records.AssertionReplayRepository;
import dev.coffer.server.store.records.SecretRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * Checks of the client assertions
 * (RFC 7523 {@code private_key_jwt}) an authorization server hands over. An assertion is
 * valid when its signature verifies with an active key of the client (selected by
 * {@code kid}, or each active key without one), {@code iss} and {@code sub} are the client
 * id, {@code aud} holds an accepted audience, {@code exp} is present, not past and at most
 * {@link AssertionRules#maxLifetime()} after {@code iat} (or now), {@code nbf}/{@code iat}
 * are not in the future, and its {@code jti} was not presented before by the same client
 * while unexpired. Each failure names one check ({@link Failure}).
 *
 * <p>Replay cache: an accepted jti is written, with the audit event, in one synced batch,
 * under a striped lock per (client, jti), so two concurrent presentations cannot both pass;
 * entries lapse at exp plus the clock skew and {@link #purgeReplayCache} removes them.
 * Every check, passed or failed, is audited (never the assertion itself).
 */
public final class ClientAssertions {

  /** Why an assertion was refused. */
  public enum Failure {
    MALFORMED, UNSUPPORTED_ALGORITHM, UNKNOWN_CLIENT, ISSUER_MISMATCH, UNKNOWN_KEY,
    KEY_EXPIRED, KEY_REVOKED, KEY_QUARANTINED, BAD_SIGNATURE, EXPIRED, NOT_YET_VALID,
    MISSING_CLAIM, LIFETIME_TOO_LONG, WRONG_AUDIENCE, REPLAYED
  }

  /**
   * The answer: valid with the key that verified, or a failure with a detail for logs.
   *
   * @param keyId the verifying key's secret id when valid, else empty
   */
  public record Result(boolean valid, Failure failure, String detail, String clientId,
      String keyId, String kid, String jti, Instant expiration) {

    static Result failed(Failure failure, String detail, String clientId) {
      return new Result(false, failure, detail, clientId, "", "", "", null);
    }
  }

  /** Hears of each check's outcome (null failure: valid), for metrics. */
  @FunctionalInterface
  public interface Listener {
    Listener NONE = failure -> { };

    void checked(Failure failureOrNull);
  }

  public static final int MAX_ASSERTION_CHARS = 8192;
  private static final int MAX_AUDIENCES = 16;
  private static final int MAX_KEYS = 100;
  private static final int STRIPES = 64;
  private static final int PURGE_BATCH = 10_000;

  private final ApplicationRepository apps;
  private final SecretRepository secrets;
  private final AssertionReplayRepository replays;
  private final AssertionSignatures signatures;
  private final Enforcer enforcer;
  private final AuditLog audit;
  private final Clock clock;
  private final Listener listener;
  private final LockStripes stripes = new LockStripes(STRIPES);

  public ClientAssertions(ApplicationRepository apps, SecretRepository secrets,
      AssertionReplayRepository replays, Governance gov, Listener listener) {
    this.apps = apps;
    this.secrets = secrets;
    this.replays = replays;
    this.signatures = new AssertionSignatures();
    this.enforcer = gov.enforcer();
    this.audit = gov.audit();
    this.clock = gov.clock();
    this.listener = listener;
  }

  /**
   * Checks {@code assertion}.
   *
   * @param clientId the client id, or empty for the assertion's iss
   * @param rules the accepted audiences (at least one), lifetime bound and clock skew
   * @throws CofferException INVALID_FIELD for a malformed request (empty or oversized
   *     assertion, bad client id, bad audiences); never for what the assertion says
   */
  public Result verify(CallContext ctx, String clientId, String assertion, AssertionRules rules) {
    if (assertion == null || assertion.isEmpty()) {
      throw CofferException.invalid("assertion", "must not be empty");
    }
    if (assertion.length() > MAX_ASSERTION_CHARS) {
      throw CofferException.invalid("assertion", "must be at most " + MAX_ASSERTION_CHARS
          + " characters");
    }
    if (!clientId.isEmpty()) {
      FieldRules.opaqueId("client_id", clientId);
    }
    checkAudiences(rules.audiences());
    Result result = check(ctx, clientId, assertion, rules);
    listener.checked(result.valid() ? null : result.failure());
    return result;
  }

  private Result check(CallContext ctx, String requestedClient, String assertion,
      AssertionRules rules) {
    ParsedAssertion a;
    try {
      a = ParsedAssertion.parse(assertion);
    } catch (ParsedAssertion.Malformed e) {
      return refuse(ctx, requestedClient, Failure.MALFORMED, e.getMessage());
    }
    String clientId = requestedClient.isEmpty() ? a.issuer() : requestedClient;
    if (!"ES256".equals(a.algorithm()) && !"RS256".equals(a.algorithm())) {
      return refuse(ctx, clientId, Failure.UNSUPPORTED_ALGORITHM,
          "alg must be ES256 or RS256");
    }
    if (clientId == null || clientId.isEmpty()) {
      return refuse(ctx, "", Failure.ISSUER_MISMATCH, "no client_id given and no iss claim");
    }
    if (!isOpaqueId(clientId) || apps.get(ctx.tenantId(), clientId)
        .filter(app -> app.securityType() == SecurityType.SIGNED_JWT).isEmpty()) {
      return refuse(ctx, clientId, Failure.UNKNOWN_CLIENT,
          "no signed-JWT application with this client id");
    }
    if (!clientId.equals(a.issuer()) || !clientId.equals(a.subject())) {
      return refuse(ctx, clientId, Failure.ISSUER_MISMATCH, "iss and sub must both be "
          + "the client id");
    }
    Instant now = clock.instant();
    List<SecretMetadata> keys = signingKeys(secrets, ctx.tenantId(), clientId);
    List<SecretMetadata> candidates = new ArrayList<>();
    if (a.kid() != null) {
      SecretMetadata named = keys.stream().filter(k -> k.publicKey().kid().equals(a.kid()))
          .findFirst().orElse(null);
      if (named == null) {
        return refuse(ctx, clientId, Failure.UNKNOWN_KEY, "the kid names no key of this client");
      }
      switch (named.stateAt(now)) {
        case EXPIRED:
          return refuse(ctx, clientId, Failure.KEY_EXPIRED, "key secrets/" + named.secretId()
              + " has expired");
        case REVOKED:
          return refuse(ctx, clientId, Failure.KEY_REVOKED, "key secrets/" + named.secretId()
              + " was revoked");
        case QUARANTINED:
          return refuse(ctx, clientId, Failure.KEY_QUARANTINED, "key secrets/"
              + named.secretId() + " is quarantined");
        default:
          candidates.add(named);
      }
    } else {
      keys.stream().filter(k -> k.stateAt(now) == SecretState.ACTIVE).forEach(candidates::add);
      if (candidates.isEmpty()) {
        return refuse(ctx, clientId, Failure.UNKNOWN_KEY, "the client has no active key");
      }
    }
    SecretMetadata signer = null;
    for (SecretMetadata k : candidates) {
      if (k.publicKey().algorithm().name().equals(a.algorithm())
          && signatures.verifies(k.publicKey(), assertion, a.validAt(now))) {
        signer = k;
        break;
      }
    }
    if (signer == null) {
      return refuse(ctx, clientId, Failure.BAD_SIGNATURE, a.kid() != null
          ? "the signature does not verify with the key the kid names"
          : "the signature verifies with no active key of the client");
    }
    Result claimsFailure = claims(ctx, clientId, a, rules, now);
    if (claimsFailure != null) {
      return claimsFailure;
    }
    return accept(ctx, clientId, a, signer, rules);
  }

  private Result claims(CallContext ctx, String clientId, ParsedAssertion a, AssertionRules rules,
      Instant now) {
    Duration skew = rules.clockSkew();
    if (a.expiration() == null) {
      return refuse(ctx, clientId, Failure.MISSING_CLAIM, "exp is required");
    }
    if (a.jwtId() == null || a.jwtId().isEmpty()) {
      return refuse(ctx, clientId, Failure.MISSING_CLAIM, "jti is required");
    }
    if (!now.isBefore(a.expiration().plus(skew))) {
      return refuse(ctx, clientId, Failure.EXPIRED, "exp is in the past");
    }
    if (a.notBefore() != null && a.notBefore().isAfter(now.plus(skew))) {
      return refuse(ctx, clientId, Failure.NOT_YET_VALID, "nbf is in the future");
    }
    if (a.issuedAt() != null && a.issuedAt().isAfter(now.plus(skew))) {
      return refuse(ctx, clientId, Failure.NOT_YET_VALID, "iat is in the future");
    }
    Instant from = a.issuedAt() != null ? a.issuedAt() : now;
    if (Duration.between(from, a.expiration()).compareTo(rules.maxLifetime()) > 0) {
      return refuse(ctx, clientId, Failure.LIFETIME_TOO_LONG, "exp is more than "
          + rules.maxLifetime().toSeconds() + " s after " + (a.issuedAt() != null ? "iat" : "now"));
    }
    if (a.audiences().stream().noneMatch(rules.audiences()::contains)) {
      return refuse(ctx, clientId, Failure.WRONG_AUDIENCE, a.audiences().isEmpty()
          ? "aud is missing" : "aud holds none of the accepted audiences");
    }
    return null;
  }

  private Result accept(CallContext ctx, String clientId, ParsedAssertion a, SecretMetadata signer,
      AssertionRules rules) {
    String digest = digest(a.jwtId());
    synchronized (stripes.of(ctx.tenantId() + "/" + clientId + "/" + digest)) {
      if (replays.seen(ctx.tenantId(), clientId, digest)) {
        return refuse(ctx, clientId, Failure.REPLAYED,
            "this jti was already presented by this client");
      }
      Changes changes = new Changes();
      replays.stage(changes, ctx.tenantId(), clientId, digest,
          a.expiration().plus(rules.clockSkew()));
      audit.commit(changes, enforcer.allowed(ctx, AuditAction.CLIENT_ASSERTION_VERIFY,
          "secrets/" + signer.secretId()));
    }
    return new Result(true, null, "", clientId, signer.secretId(), signer.publicKey().kid(),
        a.jwtId(), a.expiration());
  }

  private Result refuse(CallContext ctx, String clientId, Failure failure, String detail) {
    String target = clientId != null && isOpaqueId(clientId) ? "applications/" + clientId
        : "applications";
    audit.record(enforcer.event(ctx, AuditAction.CLIENT_ASSERTION_VERIFY, target,
        AuditEvent.FAILED, "ASSERTION_" + failure.name()));
    return Result.failed(failure, detail, clientId == null ? "" : clientId);
  }

  /** The client's signing keys, oldest first. */
  static List<SecretMetadata> signingKeys(SecretRepository secrets, String tenantId,
      String clientId) {
    return secrets.ofApplication(tenantId, clientId, MAX_KEYS).stream()
        .map(StoredSecret::metadata)
        .filter(m -> m.kind() == SecretKind.SIGNING_KEY && m.publicKey() != null)
        .sorted(Comparator.comparing(SecretMetadata::createTime))
        .toList();
  }

  private static void checkAudiences(List<String> audiences) {
    if (audiences.isEmpty()) {
      throw CofferException.invalid("audiences", "name at least one accepted audience "
          + "(this server has no --assertion-audience configured)");
    }
    if (audiences.size() > MAX_AUDIENCES) {
      throw CofferException.invalid("audiences", "at most " + MAX_AUDIENCES + " values");
    }
    for (String aud : audiences) {
      FieldRules.displayText("audiences", aud, 512);
    }
  }

  private static boolean isOpaqueId(String id) {
    try {
      FieldRules.opaqueId("client_id", id);
      return true;
    } catch (CofferException e) {
      return false;
    }
  }

  private static String digest(String jti) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest
          .getInstance("SHA-256").digest(jti.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  /**
   * Removes replay-cache entries that have lapsed (up to a batch per call).
   *
   * @return how many were removed
   */
  public int purgeReplayCache() {
    return replays.purgeExpired(clock.instant(), PURGE_BATCH);
  }

  /** Purges the replay cache every minute; only on the leader of a cluster (it deletes). */
  public BackgroundJob replayPurgeJob() {
    return BackgroundJob.onLeaderOnly("coffer-assertion-replay-purge", Duration.ofMinutes(1),
        Duration.ofMinutes(1), this::purgeReplayCache);
  }
}
