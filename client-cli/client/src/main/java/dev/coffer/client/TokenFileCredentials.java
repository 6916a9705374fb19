package dev.coffer.client;

import com.google.protobuf.Timestamp;
import dev.coffer.api.v1.LoginRequest;
import dev.coffer.api.v1.LoginResponse;
import dev.coffer.api.v1.LoginServiceGrpc;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The call credentials of a {@link TokenFileLogin}: exchanges the file's JWT for a Coffer token
 * and sends {@code authorization: Bearer <token>} on every call, as {@link TokenFileLogin}
 * describes (refresh at a share of the lifetime, on a changed file, after {@code
 * UNAUTHENTICATED}; one exchange at a time).
 *
 * <p>Threading: a call with a usable token gets it at once, on the caller's thread; any file read
 * or exchange runs on the call's application executor, never on a transport thread. Callers that
 * need a new token wait on the one exchange in flight without blocking a thread.
 *
 * <p>Security: the token and the JWT never enter a log, an exception message or {@link
 * #toString()}; only a digest of the JWT outlives its exchange.
 */
final class TokenFileCredentials extends CallCredentials {

  /**
   * Set by {@link RefreshOnUnauthenticated} on each call: these credentials record in it the
   * generation of the token the call carried, so an {@code UNAUTHENTICATED} answer retires
   * exactly that token and never a newer one.
   */
  static final CallOptions.Key<AtomicLong> USED_GENERATION =
      CallOptions.Key.create("coffer-token-generation");

  private final TokenFileLogin source;
  private final LoginServiceGrpc.LoginServiceBlockingStub login;
  private final Clock clock;
  private final Object lock = new Object();

  // Guarded by lock.
  private Session session;
  private CompletableFuture<Session> inFlight;
  private Instant nextFileCheck = Instant.MIN;
  private Instant nextBackgroundTry = Instant.MIN;
  private long generations;
  private int waiters;

  TokenFileCredentials(TokenFileLogin source, LoginServiceGrpc.LoginServiceBlockingStub login) {
    this.source = source;
    this.login = login;
    this.clock = source.clock();
  }

  @Override
  public void applyRequestMetadata(
      RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
    AtomicLong used = requestInfo.getCallOptions().getOption(USED_GENERATION);
    Session ready;
    synchronized (lock) {
      Instant now = clock.instant();
      ready = session != null && !session.stale && now.isBefore(session.refreshAt)
          && now.isBefore(nextFileCheck) ? session : null;
    }
    if (ready != null) {
      apply(ready, used, applier);
      return;
    }
    appExecutor.execute(() -> resolve(used, applier));
  }

  /** The slow path: checks the file when due, then uses, refreshes or waits for a token. */
  private void resolve(AtomicLong used, MetadataApplier applier) {
    Instant now = clock.instant();
    boolean checkFile;
    synchronized (lock) {
      checkFile = session != null && !now.isBefore(nextFileCheck);
      if (checkFile) {
        nextFileCheck = now.plus(source.fileCheckInterval());
      }
    }
    byte[] current = checkFile ? digestOfFileOrNull() : null;
    Session usable = null;
    CompletableFuture<Session> wait = null;
    CompletableFuture<Session> mine = null;
    synchronized (lock) {
      if (current != null && session != null && !MessageDigest.isEqual(current, session.jwtDigest)) {
        session = session.retired();
      }
      Session s = session;
      if (s != null && !s.stale && now.isBefore(s.expireAt)) {
        usable = s;
        if (!now.isBefore(s.refreshAt) && inFlight == null && !now.isBefore(nextBackgroundTry)) {
          mine = inFlight = new CompletableFuture<>();
        }
      } else {
        if (inFlight == null) {
          mine = inFlight = new CompletableFuture<>();
        }
        wait = inFlight;
        waiters++;
      }
    }
    if (usable != null) {
      apply(usable, used, applier);
      if (mine != null) {
        exchange(mine, true);
      }
      return;
    }
    if (mine != null) {
      exchange(mine, false);
    }
    wait.whenComplete(
        (fresh, failure) -> {
          synchronized (lock) {
            waiters--;
          }
          if (failure != null) {
            applier.fail(failureStatus(failure));
          } else {
            apply(fresh, used, applier);
          }
        });
  }

  /** Runs one Login with the file's current JWT and completes {@code done}. */
  private void exchange(CompletableFuture<Session> done, boolean background) {
    Session fresh = null;
    Throwable failure = null;
    try {
      String jwt = readJwt();
      LoginRequest.Builder request =
          LoginRequest.newBuilder()
              .setTenantId(source.tenantId())
              .setSubjectToken(jwt)
              .setSubjectTokenType(TokenFileLogin.TOKEN_TYPE_JWT)
              .setDescription(source.description());
      if (source.ttl() != null) {
        request.setTtl(com.google.protobuf.Duration.newBuilder()
            .setSeconds(source.ttl().getSeconds()).setNanos(source.ttl().getNano()));
      }
      LoginResponse response = login.login(request.build());
      fresh = session(response, digest(jwt), clock.instant());
    } catch (IOException | RuntimeException e) {
      failure = e;
    }
    synchronized (lock) {
      inFlight = null;
      Instant now = clock.instant();
      if (fresh != null) {
        session = fresh;
        nextFileCheck = now.plus(source.fileCheckInterval());
      } else if (background) {
        nextBackgroundTry = now.plus(source.retryAfter());
      }
    }
    if (fresh != null) {
      done.complete(fresh);
    } else {
      done.completeExceptionally(failure);
    }
  }

  private Session session(LoginResponse response, byte[] jwtDigest, Instant obtained) {
    if (response.getAccessToken().isBlank()) {
      throw Status.UNAUTHENTICATED.withDescription("Login answered without an access token")
          .asRuntimeException();
    }
    Duration lifetime = between(response.getToken().getCreateTime(),
        response.getToken().getExpireTime());
    long refreshNanos = (long) (lifetime.toNanos() * source.refreshFraction());
    synchronized (lock) {
      return new Session(response.getAccessToken(), jwtDigest, obtained.plusNanos(refreshNanos),
          obtained.plus(lifetime), ++generations, response.getToken().getTokenId(), false);
    }
  }

  private static Duration between(Timestamp from, Timestamp to) {
    Duration d = Duration.ofSeconds(to.getSeconds() - from.getSeconds(),
        to.getNanos() - from.getNanos());
    return d.isNegative() ? Duration.ZERO : d;
  }

  /**
   * Retires the token of {@code generation} after the server refused it ({@code
   * UNAUTHENTICATED}), so the next call exchanges again; a newer token is left alone.
   */
  void refused(long generation) {
    synchronized (lock) {
      if (session != null && session.generation == generation) {
        session = session.retired();
      }
    }
  }

  /** Calls waiting for the exchange in flight (for tests of the single flight). */
  int waiters() {
    synchronized (lock) {
      return waiters;
    }
  }

  /** Whether an exchange is running (for tests of the background refresh). */
  boolean exchanging() {
    synchronized (lock) {
      return inFlight != null;
    }
  }

  /** The id ({@code tok_...}) of the current Coffer token, or empty; never the token. */
  String currentTokenId() {
    synchronized (lock) {
      return session == null ? "" : session.tokenId;
    }
  }

  private static void apply(Session s, AtomicLong used, MetadataApplier applier) {
    if (used != null) {
      used.set(s.generation);
    }
    Metadata headers = new Metadata();
    headers.put(BearerTokenCredentials.AUTHORIZATION, "Bearer " + s.token);
    applier.apply(headers);
  }

  private String readJwt() throws IOException {
    String jwt;
    try {
      jwt = Files.readString(source.file(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      // The exception's message is only the path; the class says what went wrong.
      throw new IOException("cannot read the token file " + source.file() + " ("
          + e.getClass().getSimpleName() + ")");
    }
    if (jwt.isEmpty()) {
      throw new IOException("the token file " + source.file() + " is empty");
    }
    return jwt;
  }

  private byte[] digestOfFileOrNull() {
    try {
      return digest(readJwt());
    } catch (IOException e) {
      // A file caught mid-rotation or gone: keep the token; the next exchange reports it.
      return null;
    }
  }

  private static byte[] digest(String jwt) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(jwt.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * The status a failed exchange fails the waiting calls with: {@code UNAVAILABLE} if the server
   * could not be reached in time, else {@code UNAUTHENTICATED}; the description is the Login
   * failure as {@link CofferErrors#describe} reads it (the server's words, never the JWT).
   */
  static Status failureStatus(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof IOException) {
      return Status.UNAUTHENTICATED.withDescription(cause.getMessage());
    }
    Status.Code code = Status.fromThrowable(cause).getCode();
    Status status = code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
        ? Status.UNAVAILABLE : Status.UNAUTHENTICATED;
    return status.withDescription("token exchange (Login) failed: " + CofferErrors.describe(cause))
        .withCause(cause);
  }

  @Override
  public String toString() {
    return "TokenFileCredentials[" + source + ", token=<redacted>]";
  }

  /** One Coffer token and when to refresh it; immutable. */
  private static final class Session {
    final String token;
    final byte[] jwtDigest;
    final Instant refreshAt;
    final Instant expireAt;
    final long generation;
    final String tokenId;
    final boolean stale;

    Session(String token, byte[] jwtDigest, Instant refreshAt, Instant expireAt, long generation,
        String tokenId, boolean stale) {
      this.token = token;
      this.jwtDigest = jwtDigest;
      this.refreshAt = refreshAt;
      this.expireAt = expireAt;
      this.generation = generation;
      this.tokenId = tokenId;
      this.stale = stale;
    }

    /** This token, no longer to be used: the next call waits for a new exchange. */
    Session retired() {
      return new Session(token, jwtDigest, refreshAt, expireAt, generation, tokenId, true);
    }

    @Override
    public String toString() {
      return "Session[" + tokenId + ", token=<redacted>]";
    }
  }
}
