package dev.coffer.server.service.operator;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.coffer.server.audit.AuditLog;
import dev.coffer.server.crypto.LookupKeys;
import dev.coffer.server.crypto.ValueFormat;
import dev.coffer.server.domain.AccessToken;
import dev.coffer.server.domain.AuditAction;
import dev.coffer.server.domain.AuditEvent;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.directory.Tokens;
import dev.coffer.server.service.kernel.PeerHost;
import dev.coffer.server.service.kernel.PerMinuteBudget;
import dev.coffer.server.store.records.TokenRepository;
import io.github.bucket4j.Bucket;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records failed authentications as AUTHENTICATE / FAILED events: reason = the
 * {@link Reason} name ({@code UNAUTHENTICATED}, {@code TOKEN_EXPIRED},
 * {@code TOKEN_REVOKED}), actor empty, peer address and request id; tenant and target
 * ({@code tokens/<id>}) only when the presented token is one the vault issued (an expired
 * or revoked one), empty otherwise.
 *
 * <p>Each event is a synced write, so recording is rate limited, lest a flood of bad
 * tokens turn into unbounded disk syncs: at most {@code perPeerPerMinute} (default 10)
 * recorded failures per peer host per minute (token bucket, greedy refill; the port is
 * ignored, so new connections do not get new budgets), and at most
 * {@code totalPerMinute} (default 600) over all peers. Failures beyond either budget are
 * only counted ({@link #suppressed()}); the caller is refused either way.
 *
 * <p>Security: the token is used only to find its record through the keyed lookup; it is
 * never stored, logged or put in an event. Never throws: a failure to record is logged
 * (by exception class only) and counted, and the caller's refusal stands.
 */
public final class AuthFailureAudit {

  public static final long DEFAULT_PER_PEER_PER_MINUTE = 10;
  public static final long DEFAULT_TOTAL_PER_MINUTE = 600;
  private static final Logger LOG = Logger.getLogger(AuthFailureAudit.class.getName());

  private final TokenRepository tokens;
  private final LookupKeys lookupKeys;
  private final AuditLog audit;
  private final Clock clock;
  private final long perPeerPerMinute;
  private final Cache<String, Bucket> perPeer;
  private final Bucket total;
  private final AtomicLong recorded = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();

  public AuthFailureAudit(TokenRepository tokens, LookupKeys lookupKeys, AuditLog audit,
      Clock clock) {
    this(tokens, lookupKeys, audit, clock, DEFAULT_PER_PEER_PER_MINUTE,
        DEFAULT_TOTAL_PER_MINUTE);
  }

  public AuthFailureAudit(TokenRepository tokens, LookupKeys lookupKeys, AuditLog audit,
      Clock clock, long perPeerPerMinute, long totalPerMinute) {
    this.tokens = tokens;
    this.lookupKeys = lookupKeys;
    this.audit = audit;
    this.clock = clock;
    this.perPeerPerMinute = perPeerPerMinute;
    this.perPeer = Caffeine.newBuilder().maximumSize(100_000)
        .expireAfterAccess(Duration.ofMinutes(2)).build();
    this.total = PerMinuteBudget.of(totalPerMinute, clock);
  }

  /**
   * Records one failure unless a budget is spent.
   *
   * @param presented the token as presented, or null if none was; not closed here
   * @return whether an event was written
   */
  public boolean record(Reason reason, SecretValue presented, SocketAddress peer,
      String requestId) {
    Bucket peerBudget = perPeer.get(PeerHost.of(peer), k -> PerMinuteBudget.of(perPeerPerMinute, clock));
    if (!peerBudget.tryConsume(1) || !total.tryConsume(1)) {
      suppressed.incrementAndGet();
      return false;
    }
    try {
      Optional<AccessToken> token = known(presented);
      audit.record(new AuditEvent(clock.instant(), token.map(AccessToken::tenantId).orElse(""),
          "", AuditAction.AUTHENTICATE, token.map(t -> "tokens/" + t.tokenId()).orElse(""),
          AuditEvent.FAILED, reason.name(), requestId, peer == null ? "" : peer.toString()));
      recorded.incrementAndGet();
      return true;
    } catch (RuntimeException e) {
      lost.incrementAndGet();
      LOG.log(Level.WARNING, "could not record a failed authentication: {0}",
          e.getClass().getName());
      return false;
    }
  }

  /**
   * Records one refused sign-in with a trusted issuer's JWT (identity federation) as a
   * FEDERATED_LOGIN / FAILED event, within the same budgets as {@link #record}: reason = the
   * name of the check that failed, target = the issuer's resource name when one was found,
   * tenant = the tenant signed in to when it exists. The JWT is never passed here.
   *
   * @return whether an event was written
   */
  public boolean recordLogin(String tenantId, String failure, String issuerName,
      SocketAddress peer, String requestId) {
    Bucket peerBudget = perPeer.get(PeerHost.of(peer),
        k -> PerMinuteBudget.of(perPeerPerMinute, clock));
    if (!peerBudget.tryConsume(1) || !total.tryConsume(1)) {
      suppressed.incrementAndGet();
      return false;
    }
    try {
      audit.record(new AuditEvent(clock.instant(), tenantId, "", AuditAction.FEDERATED_LOGIN,
          issuerName, AuditEvent.FAILED, failure, requestId, peer == null ? "" : peer.toString()));
      recorded.incrementAndGet();
      return true;
    } catch (RuntimeException e) {
      lost.incrementAndGet();
      LOG.log(Level.WARNING, "could not record a refused sign-in: {0}", e.getClass().getName());
      return false;
    }
  }

  /** Failed authentications written to the trail. */
  public long recorded() {
    return recorded.get();
  }

  /** Failed authentications refused but not written, because a budget was spent. */
  public long suppressed() {
    return suppressed.get();
  }

  /** Failed authentications whose event could not be written (storage failure). */
  public long lost() {
    return lost.get();
  }

  private Optional<AccessToken> known(SecretValue presented) {
    if (presented == null || !ValueFormat.ACCESS_TOKEN.isWellFormed(presented)) {
      return Optional.empty();
    }
    return Tokens.find(tokens, lookupKeys, presented);
  }
}
