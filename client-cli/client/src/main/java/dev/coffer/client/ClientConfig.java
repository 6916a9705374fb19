package dev.coffer.client;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How to reach and authenticate to a server. Immutable.
 *
 * <p>Security: {@link #toString()} never shows the token.
 */
public final class ClientConfig {
  public static final String DEFAULT_ADDRESS = "127.0.0.1:7443";
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);

  private final String address;
  private final Supplier<String> tokenSupplier;
  private final Duration deadline;
  private final ChannelCredentials channelCredentials;
  private final boolean retries;
  private final TokenFileLogin tokenFileLogin;

  private ClientConfig(Builder b) {
    this.address = b.address;
    this.tokenSupplier = b.tokenSupplier;
    this.deadline = b.deadline;
    this.channelCredentials = b.channelCredentials;
    this.retries = b.retries;
    this.tokenFileLogin = b.tokenFileLogin;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code host:port} or any gRPC target string. */
  public String address() {
    return address;
  }

  /** Asked on every call; may return {@code null} for "no bearer token". */
  public Supplier<String> tokenSupplier() {
    return tokenSupplier;
  }

  /**
   * The workload credential source (a JWT file exchanged with Login), or {@code null} when
   * calls carry {@link #tokenSupplier()}'s token.
   */
  public TokenFileLogin tokenFileLogin() {
    return tokenFileLogin;
  }

  /** Deadline of each call, retries included. */
  public Duration deadline() {
    return deadline;
  }

  /** Transport security: plaintext by default; the TLS seam. */
  public ChannelCredentials channelCredentials() {
    return channelCredentials;
  }

  /**
   * Whether the channel retries {@code UNAVAILABLE} for the methods {@link
   * RetryServiceConfig} names (default true). A load generator turns this off so that every
   * attempt is measured once and every failure is counted.
   */
  public boolean retries() {
    return retries;
  }

  /** A builder holding this configuration, to derive another from it. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.address = address;
    b.tokenSupplier = tokenSupplier;
    b.deadline = deadline;
    b.channelCredentials = channelCredentials;
    b.retries = retries;
    b.tokenFileLogin = tokenFileLogin;
    return b;
  }

  @Override
  public String toString() {
    return "ClientConfig[address=" + address + ", deadline=" + deadline + ", retries=" + retries
        + ", token=<redacted>]";
  }

  /** Builder of {@link ClientConfig}. */
  public static final class Builder {
    private String address = DEFAULT_ADDRESS;
    private Supplier<String> tokenSupplier = () -> null;
    private Duration deadline = DEFAULT_DEADLINE;
    private ChannelCredentials channelCredentials = InsecureChannelCredentials.create();
    private boolean retries = true;
    private TokenFileLogin tokenFileLogin;

    private Builder() {}

    public Builder address(String address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    public Builder tokenSupplier(Supplier<String> tokenSupplier) {
      this.tokenSupplier = Objects.requireNonNull(tokenSupplier, "tokenSupplier");
      return this;
    }

    /**
     * Authenticates with a workload's JWT file exchanged for Coffer tokens (see {@link
     * TokenFileLogin}) instead of {@link #tokenSupplier}; {@code null} goes back to the
     * supplier.
     */
    public Builder tokenFileLogin(TokenFileLogin tokenFileLogin) {
      this.tokenFileLogin = tokenFileLogin;
      return this;
    }

    public Builder deadline(Duration deadline) {
      if (deadline == null || deadline.isZero() || deadline.isNegative()) {
        throw new IllegalArgumentException("deadline must be positive");
      }
      this.deadline = deadline;
      return this;
    }

    /** TLS later: pass {@code TlsChannelCredentials.newBuilder()...build()}. */
    public Builder channelCredentials(ChannelCredentials channelCredentials) {
      this.channelCredentials = Objects.requireNonNull(channelCredentials, "channelCredentials");
      return this;
    }

    /** Whether to retry {@code UNAVAILABLE} where repeating is harmless (default true). */
    public Builder retries(boolean retries) {
      this.retries = retries;
      return this;
    }

    public ClientConfig build() {
      return new ClientConfig(this);
    }

    /** Shortcut for {@code CofferClient.create(build())}. */
    public CofferClient connect() {
      return CofferClient.create(build());
    }
  }
}
