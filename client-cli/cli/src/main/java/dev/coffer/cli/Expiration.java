package dev.coffer.cli;

import com.google.protobuf.Timestamp;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.StoreCredentialRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An expiration a person typed: a duration from now ({@code 30d}, {@code 12h}, as
 * {@code --ttl} and {@code --for} take), a date ({@code 2027-11-22}, midnight UTC), an instant
 * ({@code 2027-11-22T10:00:00Z}) or {@code never}. A duration is fixed against the CLI's clock
 * when the request is built ({@link #resolve}). Immutable. Security: holds no secret.
 */
public final class Expiration {

  /** Accepted forms, for prompts and messages. */
  public static final String FORMS = "30d, 12h, YYYY-MM-DD, YYYY-MM-DDThh:mm:ssZ or 'never'";

  private final Instant at;
  private final Duration after; // non-null for a duration not yet fixed to an instant
  private final String typed; // the duration as typed, for the wizard's summary

  private Expiration(Instant at) {
    this(at, null, "");
  }

  private Expiration(Instant at, Duration after, String typed) {
    this.at = at;
    this.after = after;
    this.typed = typed;
  }

  /** This expiration with a duration fixed to an instant from {@code clock}'s now. */
  public Expiration resolve(Clock clock) {
    return after == null ? this : new Expiration(clock.instant().plus(after));
  }

  /** Parses one of {@link #FORMS}; throws {@link IllegalArgumentException} naming them. */
  public static Expiration parse(String text) {
    String s = text == null ? "" : text.strip();
    if (s.equalsIgnoreCase("never")) {
      return new Expiration(null);
    }
    if (s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 1))
        && s.chars().limit(s.length() - 1).allMatch(Character::isDigit)) {
      try {
        return new Expiration(null, DurationConverter.parse(s), s);
      } catch (picocli.CommandLine.TypeConversionException e) {
        throw new IllegalArgumentException(e.getMessage());
      }
    }
    try {
      if (s.contains("T")) {
        return new Expiration(Instant.parse(s));
      }
      return new Expiration(LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + s + "' is not an expiration: use " + FORMS);
    }
  }

  public boolean never() {
    return at == null && after == null;
  }

  /** The instant; {@link IllegalStateException} for {@code never}. */
  public Timestamp timestamp() {
    requireResolved();
    if (at == null) {
      throw new IllegalStateException("never has no time");
    }
    return timestamp(at);
  }

  /** {@code at} as a protobuf timestamp. */
  public static Timestamp timestamp(Instant at) {
    return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
  }

  /** Sets the request's {@code expiration} oneof. */
  public void applyTo(CreateSecretRequest.Builder request) {
    requireResolved();
    if (at == null) {
      request.setNeverExpires(true);
    } else {
      request.setExpireTime(timestamp(at));
    }
  }

  /** Sets the request's {@code expiration} oneof. */
  public void applyTo(StoreCredentialRequest.Builder request) {
    requireResolved();
    if (at == null) {
      request.setNeverExpires(true);
    } else {
      request.setExpireTime(timestamp(at));
    }
  }

  private void requireResolved() {
    if (after != null) {
      throw new IllegalStateException("resolve a relative expiration against a clock first");
    }
  }

  @Override
  public String toString() {
    return after != null ? typed + " from now"
        : at == null ? "never" : at.toString();
  }

  /** picocli converter for {@code --expires}. */
  public static final class Converter implements ITypeConverter<Expiration> {
    @Override
    public Expiration convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
