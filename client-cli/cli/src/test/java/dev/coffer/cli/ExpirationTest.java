package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.CreateSecretRequest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExpirationTest {

  private static CreateSecretRequest applied(String text) {
    CreateSecretRequest.Builder b = CreateSecretRequest.newBuilder();
    Expiration.parse(text).applyTo(b);
    return b.build();
  }

  @Test
  void aDuration_isFixedAgainstTheClock_onlyWhenResolved() {
    Expiration in30Days = Expiration.parse("30d");
    assertEquals("30d from now", in30Days.toString());
    assertThrows(IllegalStateException.class, in30Days::timestamp);
    CreateSecretRequest.Builder b = CreateSecretRequest.newBuilder();
    in30Days.resolve(CliHarness.NOW_CLOCK).applyTo(b);
    assertEquals(CliHarness.NOW.plusSeconds(30 * 86_400L).getEpochSecond(),
        b.getExpireTime().getSeconds());
    assertThrows(IllegalArgumentException.class, () -> Expiration.parse("0d"));
  }

  @Test
  void aDate_expiresAtMidnightUtc() {
    assertEquals(
        Instant.parse("2027-11-22T00:00:00Z").getEpochSecond(),
        applied("2027-11-22").getExpireTime().getSeconds());
  }

  @Test
  void anInstant_isKeptToTheSecond() {
    assertEquals(
        Instant.parse("2027-11-22T10:00:05Z").getEpochSecond(),
        applied("2027-11-22T10:00:05Z").getExpireTime().getSeconds());
  }

  @Test
  void never_setsNeverExpires() {
    CreateSecretRequest r = applied("never");
    assertTrue(r.getNeverExpires());
    assertEquals(CreateSecretRequest.ExpirationCase.NEVER_EXPIRES, r.getExpirationCase());
  }

  @Test
  void garbage_isRefusedNamingTheAcceptedForms() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Expiration.parse("next tuesday"));
    assertTrue(e.getMessage().contains(Expiration.FORMS));
    assertThrows(IllegalArgumentException.class, () -> Expiration.parse("2027-13-01"));
  }
}
