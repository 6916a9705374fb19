package dev.coffer.server.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import org.junit.jupiter.api.Test;

/** Server-generated ids: 1-64 ASCII letters, digits, '_' or '-', refused by field name. */
class FieldRulesTest {

  @Test
  void opaqueIds_ofTheAlphabet_andUpTo64Characters_pass() {
    assertEquals("sec_0aZ-9", FieldRules.opaqueId("secret_id", "sec_0aZ-9"));
    assertEquals("a", FieldRules.opaqueId("secret_id", "a"));
    String max = "x".repeat(64);
    assertEquals(max, FieldRules.opaqueId("secret_id", max));
  }

  @Test
  void otherIds_areInvalid_namingTheField() {
    for (String bad : new String[] {null, "", "x".repeat(65), "a/b", "a b", "a.b", "é", "a\0"}) {
      CofferException e = assertThrows(CofferException.class,
          () -> FieldRules.opaqueId("client_id", bad), String.valueOf(bad));
      assertEquals(Reason.INVALID_FIELD, e.reason());
      assertEquals("client_id", e.getMessage().substring(0, "client_id".length()), bad);
    }
  }

  @Test
  void resourceIds_stripTheirPrefix_thenCheckTheId() {
    assertEquals("sec_1", FieldRules.resourceId("name", "secrets/sec_1", "secrets/"));
    assertThrows(CofferException.class,
        () -> FieldRules.resourceId("name", "secrets/../x", "secrets/"));
  }
}
