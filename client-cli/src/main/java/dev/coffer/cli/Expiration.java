package dev.coffer.cli;

import com.google.protobuf.Timestamp;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.StoreCredentialRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An expiration a person typed: a date ({@code 2027-11-22}, midnight UTC), an instant ({@code
 * 2027-11-22T10:00:00Z}) or {@code never}. Immutable. Security: holds no secret.
 */
public final class Expiration {

  /** Accepted forms, for prompts and messages. */
  public static final String FORMS = "YYYY-MM-DD, YYYY-MM-DDThh:mm:ssZ or 'never'";

  private final Instant at;

  private Expiration(Instant at) {
    this.at = at;
  }

  /** Parses one of {@link #FORMS}; throws {@link IllegalArgumentException} naming them. */
  public static Expiration parse(String text) {
    String s = text == null ? "" : text.strip();
    if (s.equalsIgnoreCase("never")) {
      return new Expiration(null);
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
    return at == null;
  }

  /** The instant; {@link IllegalStateException} for {@code never}. */
  public Timestamp timestamp() {
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
    if (at == null) {
      request.setNeverExpires(true);
    } else {
      request.setExpireTime(timestamp(at));
    }
  }

  /** Sets the request's {@code expiration} oneof. */
  public void applyTo(StoreCredentialRequest.Builder request) {
    if (at == null) {
      request.setNeverExpires(true);
    } else {
      request.setExpireTime(timestamp(at));
    }
  }

  @Override
  public String toString() {
    return at == null ? "never" : at.toString();
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
