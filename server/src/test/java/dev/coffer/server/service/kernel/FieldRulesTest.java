package dev.coffer.server.service.kernel;

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

  @Test
  void text_refusesControlFormatAndSeparatorCharacters_namingTheField() {
    String[] bad = {"a\u200bb", "a\u200fb", "pay\u202Aroll", "pay\u202Eroll", "x\u2066y",
        "x\u2069", "\uFEFFdb", "soft\u00ADhyphen", "a\u0000", "a\u001b[31m", "a\u0085",
        "l\u2028", "p\u2029", "tag\uDB40\uDC01", "lone\uD800"};
    for (String text : bad) {
      CofferException e = assertThrows(CofferException.class,
          () -> FieldRules.optionalText("description", text, 100), text);
      assertEquals(Reason.INVALID_FIELD, e.reason());
      assertEquals("description", e.violations().get(0).field());
      assertThrows(CofferException.class, () -> FieldRules.displayText("reason", text, 100));
    }
  }

  @Test
  void text_keepsPrintableUnicode() {
    for (String ok : new String[] {"Zahlungen für Lieferanten", "支払い", "emoji \uD83D\uDD11",
        "a b-c_d.e/f", "x".repeat(100)}) {
      assertEquals(ok, FieldRules.displayText("display_name", ok, 100));
    }
    assertEquals("", FieldRules.optionalText("description", null, 10));
  }

  @Test
  void etags_emptyOrOfTheServersForm() {
    assertEquals("", FieldRules.etag("etag", ""));
    assertEquals("r1", FieldRules.etag("etag", "r1"));
    assertEquals("r" + "9".repeat(19), FieldRules.etag("etag", "r" + "9".repeat(19)));
    for (String bad : new String[] {"r", "1", "r1 ", "r-1", "r1.5", "R1", "r" + "9".repeat(20),
        "\"r1\"", "r\u0661"}) {
      CofferException e = assertThrows(CofferException.class, () -> FieldRules.etag("etag", bad),
          bad);
      assertEquals("etag", e.violations().get(0).field());
    }
  }
}
