package dev.coffer.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Request ids: the caller's when safe to log, else a fresh random version-4 UUID. */
class RequestIdTest {

  @Test
  void aSafeCallerId_isKept() {
    assertEquals("trace-42:a.b", AuthInterceptor.requestId("trace-42:a.b"));
  }

  @Test
  void missingOrUnsafeIds_areReplaced_byDistinctVersion4Uuids() {
    Set<String> seen = new HashSet<>();
    for (String given : new String[] {null, "", "has space", "line\nbreak", "x".repeat(129)}) {
      String id = AuthInterceptor.requestId(given);
      assertNotEquals(given, id);
      UUID uuid = UUID.fromString(id);
      assertEquals(4, uuid.version(), id);
      assertEquals(2, uuid.variant(), id); // IETF
      assertEquals(uuid.toString(), id);
      seen.add(id);
    }
    assertEquals(5, seen.size());
  }
}
