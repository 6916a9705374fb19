package dev.coffer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ResourceNamesTest {

  @Test
  void bareIds_getTheirCollectionPrefix() {
    assertEquals("secrets/abc", ResourceNames.secret("abc"));
    assertEquals("applications/c1", ResourceNames.application("c1"));
    assertEquals("tokens/t1", ResourceNames.token("t1"));
    assertEquals("tenants/acme", ResourceNames.tenant("acme"));
    assertEquals("tenants/acme/principals/alice", ResourceNames.principal("acme", "alice"));
    assertEquals("accessRequests/r1", ResourceNames.accessRequest("r1"));
    assertEquals("grants/g1", ResourceNames.grant("g1"));
  }

  @Test
  void fullNames_areAcceptedAsTheyAre() {
    assertEquals("secrets/abc", ResourceNames.secret("secrets/abc"));
    assertEquals("applications/c1", ResourceNames.application("applications/c1"));
    assertEquals("accessRequests/r1", ResourceNames.accessRequest("accessRequests/r1"));
    assertEquals("grants/g1", ResourceNames.grant("grants/g1"));
  }

  @Test
  void anotherCollectionsName_isNotAnAccessRequestOrGrantId() {
    assertThrows(IllegalArgumentException.class, () -> ResourceNames.accessRequest("grants/g1"));
    assertThrows(IllegalArgumentException.class, () -> ResourceNames.grant("secrets/s1"));
  }

  @Test
  void emptyOrNestedIds_areRejectedWithoutEchoingTheInput() {
    assertThrows(IllegalArgumentException.class, () -> ResourceNames.secret(""));
    assertThrows(IllegalArgumentException.class, () -> ResourceNames.secret("secrets/"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ResourceNames.secret("a/cfr_cs_VALUE"));
    assertFalse(e.getMessage().contains("cfr_cs_VALUE"));
    assertThrows(IllegalArgumentException.class, () -> ResourceNames.application("applications/x/y"));
  }
}
