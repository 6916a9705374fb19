package dev.coffer.server.service.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdGeneratorTest {

  @Test
  void ids_sortByCreationTime_acrossDigitCarriesAndAllTheWayToYear5000() {
    AtomicLong now = new AtomicLong();
    IdGenerator ids = new IdGenerator(new SecureRandom(), now::get);
    long[] times = {0, 1, 35, 36, 1_295, 1_296, 1_796_543_203_447L, 1_796_543_203_448L,
        95_617_584_000_000L}; // the last is 5000-01-01
    List<String> made = new ArrayList<>();
    for (long t : times) {
      now.set(t);
      made.add(ids.next("sec_"));
    }
    for (int i = 1; i < made.size(); i++) {
      assertTrue(made.get(i - 1).compareTo(made.get(i)) < 0,
          made.get(i - 1) + " should sort before " + made.get(i));
    }
  }

  @Test
  void ids_haveAFixedShapeThatOpaqueIdAccepts() {
    IdGenerator ids = new IdGenerator(new SecureRandom());
    for (int i = 0; i < 200; i++) {
      String id = ids.next("grt_");
      assertEquals(4 + IdGenerator.TIME_DIGITS + 16, id.length(), id);
      assertTrue(id.matches("grt_[0-9a-z]{9}[A-Za-z0-9_-]{16}"), id);
      FieldRules.opaqueId("grant", id); // throws if the id were refused as input
    }
  }

  @Test
  void idsInTheSameMillisecond_differInTheirRandomPart() {
    IdGenerator ids = new IdGenerator(new SecureRandom(), () -> 1_796_543_203_447L);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      assertTrue(seen.add(ids.next("tok_")));
    }
    String a = ids.next("tok_");
    String b = ids.next("tok_");
    assertEquals(a.substring(0, 13), b.substring(0, 13));
    assertNotEquals(a.substring(13), b.substring(13));
  }

  @Test
  void aClockBeforeTheEpoch_stillGivesAValidId() {
    String id = new IdGenerator(new SecureRandom(), () -> -5L).next("req_");
    assertTrue(id.startsWith("req_000000000"), id);
  }
}
