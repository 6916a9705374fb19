package dev.coffer.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses the CLI's durations: a positive whole number and one unit, {@code d}, {@code h}, {@code
 * m} or {@code s} ({@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}). Anything else is a usage
 * error that says what is accepted. Security: handles no secret.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

  /** The longest google.protobuf.Duration: about 10000 years. */
  private static final long MAX_SECONDS = 315_576_000_000L;

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,12})([dhms])");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /** Parses {@code value}; throws {@link TypeConversionException} with a clear message. */
  public static Duration parse(String value) {
    String text = value == null ? "" : value.strip();
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      throw new TypeConversionException(
          "'" + text + "' is not a duration: use a whole number and a unit d, h, m or s"
              + " (e.g. 30d, 12h, 90m, 45s)");
    }
    long amount = Long.parseLong(m.group(1));
    if (amount == 0) {
      throw new TypeConversionException("'" + text + "' is not a duration: it must be positive");
    }
    Duration d =
        switch (m.group(2)) {
          case "d" -> Duration.ofDays(amount);
          case "h" -> Duration.ofHours(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofSeconds(amount);
        };
    if (d.getSeconds() > MAX_SECONDS) {
      throw new TypeConversionException(
          "'" + text + "' is not a duration: it is too long (at most 10000 years)");
    }
    return d;
  }

  /** The same duration as a {@code google.protobuf.Duration}. */
  public static com.google.protobuf.Duration toProto(Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }
}
