package dev.coffer.client;

import dev.coffer.api.v1.LoginServiceGrpc;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A credential source for workloads: a JWT in a file (a Kubernetes projected service-account
 * token, a CI job's OIDC token written to disk), exchanged with {@code LoginService/Login} for a
 * short-lived Coffer access token that every call then carries as its bearer. Give it to {@link
 * ClientConfig.Builder#tokenFileLogin(TokenFileLogin)} instead of a bearer token.
 *
 * <p>Contract (carried out by the credentials {@link CofferClient} builds from it):
 *
 * <ul>
 *   <li>the first call exchanges the file's JWT; later calls reuse the Coffer token;
 *   <li>at {@link #refreshFraction()} (default 80 %) of the Coffer token's lifetime the next call
 *       starts one exchange in the background and still goes out with the current token; a
 *       failed background exchange is tried again after {@link #retryAfter()}, while the token
 *       lasts;
 *   <li>calls wait for a new exchange when there is no token, it has expired, the server
 *       answered a call {@code UNAUTHENTICATED}, or the file's content changed (the file is read
 *       again at most once per {@link #fileCheckInterval()}; Kubernetes rotates it in place);
 *   <li>one exchange at a time for all calls of the client (single flight);
 *   <li>the Login call itself carries no bearer token and is never retried by the channel;
 *   <li>a failed exchange fails the waiting calls with {@code UNAUTHENTICATED} (or {@code
 *       UNAVAILABLE} when the server could not be reached), described as {@link CofferErrors}
 *       describes the Login failure.
 * </ul>
 *
 * <p>Security: neither the JWT nor the Coffer token reaches a log, an exception message or a
 * {@code toString}; the JWT is kept in memory only while it is being exchanged (a SHA-256
 * digest of it tells a changed file from an unchanged one).
 */
public final class TokenFileLogin {

  /** {@code urn:ietf:params:oauth:token-type:jwt}, the Login default. */
  public static final String TOKEN_TYPE_JWT = "urn:ietf:params:oauth:token-type:jwt";

  private final Path file;
  private final String tenantId;
  private final Duration ttl;
  private final String description;
  private final Duration fileCheckInterval;
  private final double refreshFraction;
  private final Duration retryAfter;
  private final Clock clock;

  private TokenFileLogin(Builder b) {
    this.file = b.file;
    this.tenantId = b.tenantId;
    this.ttl = b.ttl;
    this.description = b.description;
    this.fileCheckInterval = b.fileCheckInterval;
    this.refreshFraction = b.refreshFraction;
    this.retryAfter = b.retryAfter;
    this.clock = b.clock;
  }

  /** A source reading {@code file} and signing in to {@code tenantId}. */
  public static Builder builder(Path file, String tenantId) {
    return new Builder(file, tenantId);
  }

  public Path file() {
    return file;
  }

  public String tenantId() {
    return tenantId;
  }

  /** Requested lifetime of each Coffer token, or {@code null} for the issuer's maximum. */
  public Duration ttl() {
    return ttl;
  }

  /** Kept on each issued token (e.g. the pod's name); empty for none. */
  public String description() {
    return description;
  }

  /** How often the file is read again to notice a rotated JWT. */
  public Duration fileCheckInterval() {
    return fileCheckInterval;
  }

  /** Share of a Coffer token's lifetime after which it is exchanged again. */
  public double refreshFraction() {
    return refreshFraction;
  }

  /** Pause after a failed background exchange before the next try. */
  public Duration retryAfter() {
    return retryAfter;
  }

  public Clock clock() {
    return clock;
  }

  /** The call credentials of one client, exchanging over {@code login} (no bearer on it). */
  TokenFileCredentials credentials(LoginServiceGrpc.LoginServiceBlockingStub login) {
    return new TokenFileCredentials(this, login);
  }

  @Override
  public String toString() {
    return "TokenFileLogin[file=" + file + ", tenant=" + tenantId + "]";
  }

  /** Builder of {@link TokenFileLogin}. */
  public static final class Builder {
    private final Path file;
    private final String tenantId;
    private Duration ttl;
    private String description = "";
    private Duration fileCheckInterval = Duration.ofSeconds(5);
    private double refreshFraction = 0.8;
    private Duration retryAfter = Duration.ofSeconds(5);
    private Clock clock = Clock.systemUTC();

    private Builder(Path file, String tenantId) {
      this.file = Objects.requireNonNull(file, "file");
      if (tenantId == null || tenantId.isBlank()) {
        throw new IllegalArgumentException("tenantId must not be blank");
      }
      this.tenantId = tenantId.strip();
    }

    /** Requested lifetime of each Coffer token (the server caps it). */
    public Builder ttl(Duration ttl) {
      this.ttl = positive(ttl, "ttl");
      return this;
    }

    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /** Zero reads the file on every call. */
    public Builder fileCheckInterval(Duration interval) {
      if (interval == null || interval.isNegative()) {
        throw new IllegalArgumentException("fileCheckInterval must not be negative");
      }
      this.fileCheckInterval = interval;
      return this;
    }

    /** Between 0.1 and 0.95. */
    public Builder refreshFraction(double fraction) {
      if (!(fraction >= 0.1 && fraction <= 0.95)) {
        throw new IllegalArgumentException("refreshFraction must be between 0.1 and 0.95");
      }
      this.refreshFraction = fraction;
      return this;
    }

    public Builder retryAfter(Duration retryAfter) {
      this.retryAfter = positive(retryAfter, "retryAfter");
      return this;
    }

    /** The clock refresh times are measured with (tests inject a fake one). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public TokenFileLogin build() {
      return new TokenFileLogin(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }
}
