package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  @ParameterizedTest(name = "{0} is {1} seconds")
  @CsvSource({"30d, 2592000", "12h, 43200", "90m, 5400", "45s, 45", "1s, 1", "730d, 63072000"})
  void wholeNumberAndUnit_isParsed(String text, long seconds) {
    assertEquals(Duration.ofSeconds(seconds), DurationConverter.parse(text));
  }

  @ParameterizedTest(name = "''{0}'' is refused")
  @ValueSource(strings = {"", "10", "d", "1.5h", "-1d", "10x", "10 d", "1h30m", "P1D", "30D"})
  void anythingElse_isRefusedWithAMessageThatSaysWhatIsAccepted(String text) {
    TypeConversionException e =
        assertThrows(TypeConversionException.class, () -> DurationConverter.parse(text));
    assertTrue(e.getMessage().contains("e.g. 30d, 12h, 90m, 45s"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "0d"})
  void zero_isRefused(String text) {
    TypeConversionException e =
        assertThrows(TypeConversionException.class, () -> DurationConverter.parse(text));
    assertTrue(e.getMessage().contains("positive"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"999999999999d", "3652501d"})
  void aDurationTooLongForJava_isRefused(String text) {
    TypeConversionException e =
        assertThrows(TypeConversionException.class, () -> DurationConverter.parse(text));
    assertTrue(e.getMessage().contains("too long"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"90m"})
  void toProto_keepsTheSeconds(String text) {
    assertEquals(5400, DurationConverter.toProto(DurationConverter.parse(text)).getSeconds());
  }
}
