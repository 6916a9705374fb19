package dev.coffer.server.store.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.AccessRequest;
import dev.coffer.server.domain.AccessToken;
import dev.coffer.server.domain.Application;
import dev.coffer.server.domain.ClaimBinding;
import dev.coffer.server.domain.ClaimMatch;
import dev.coffer.server.domain.Grant;
import dev.coffer.server.domain.KeyAlgorithm;
import dev.coffer.server.domain.Location;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.PublicKeyInfo;
import dev.coffer.server.domain.Scope;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.domain.TenantPolicy;
import dev.coffer.server.domain.TrustedIssuer;
import dev.coffer.server.store.records.pb.PrincipalRec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pins the stored code of every constant of every persisted enum ({@link EnumCodes}) to
 * the checked-in list {@code golden/enum-codes.txt}: a constant added without a code, a
 * changed code, or a code given twice fails here, as does a stored record gaining an enum
 * component that is written by neither a code nor an explicit name.
 */
class EnumCodesTest {

  /** Every record type {@link RecordCodec} writes, with its nested value records. */
  private static final List<Class<? extends Record>> STORED_RECORDS = List.of(Tenant.class,
      TenantPolicy.class, Principal.class, AccessToken.class, Location.class,
      Application.class, SecretMetadata.class, PublicKeyInfo.class, Scope.class, Grant.class,
      AccessRequest.class, TrustedIssuer.class, ClaimBinding.class, ClaimMatch.class);

  /** Enums stored by constant name instead of a code, with the reason. */
  private static final Map<Class<?>, String> STORED_BY_NAME = Map.of(KeyAlgorithm.class,
      "its constants are RFC 7518 algorithm names, stored as that string");

  @Test
  void everyConstantHasItsCheckedInCode() throws IOException {
    Map<String, Map<String, Integer>> actual = new TreeMap<>();
    for (EnumCodes<?> table : EnumCodes.ALL) {
      Map<String, Integer> codes = new TreeMap<>();
      table.codes().forEach((constant, code) -> codes.put(constant.name(), code));
      assertEquals(table.type().getEnumConstants().length, codes.size(), table.type() + "");
      actual.put(table.type().getName(), codes);
    }
    assertEquals(checkedInCodes(), actual, "stored codes differ from golden/enum-codes.txt");
  }

  @Test
  void eachCodeDecodesToItsConstant() {
    for (EnumCodes<?> table : EnumCodes.ALL) {
      table.codes().forEach((constant, code) ->
          assertSame(constant, table.decode(code), table.type().getName() + " code " + code));
    }
  }

  @Test
  void aConstantWithoutACodeOrACodeGivenTwiceIsRefused() {
    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> new EnumCodes.Builder<>(PrincipalKind.class).code(PrincipalKind.USER, 0).build());
    assertTrue(missing.getMessage().contains("PrincipalKind.SERVICE has no stored code"),
        missing.getMessage());
    assertThrows(IllegalStateException.class, () -> new EnumCodes.Builder<>(PrincipalKind.class)
        .code(PrincipalKind.USER, 0).code(PrincipalKind.SERVICE, 0));
    assertThrows(IllegalStateException.class, () -> new EnumCodes.Builder<>(PrincipalKind.class)
        .code(PrincipalKind.USER, 0).code(PrincipalKind.USER, 1));
  }

  @Test
  void everyEnumInAStoredRecordHasCodesOrAStoredName() {
    Set<Class<?>> coded = EnumCodes.ALL.stream().map(EnumCodes::type)
        .collect(Collectors.toSet());
    for (Class<? extends Record> record : STORED_RECORDS) {
      for (RecordComponent c : record.getRecordComponents()) {
        Class<?> type = c.getType();
        if (type.isEnum()) {
          assertTrue(coded.contains(type) || STORED_BY_NAME.containsKey(type),
              record.getSimpleName() + "." + c.getName() + " is an enum without stored codes");
        }
      }
    }
  }

  @Test
  void anUnknownStoredCodeIsCorruptionNamingTheEnumAndTheCode() {
    byte[] stored = PrincipalRec.newBuilder().setTenantId("t").setPrincipalId("p")
        .setKind(7).build().toByteArray();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RecordCodec.principal(stored));
    assertTrue(e.getMessage().contains("PrincipalKind code 7"), e.getMessage());
  }

  private static Map<String, Map<String, Integer>> checkedInCodes() throws IOException {
    try (InputStream in = EnumCodesTest.class.getResourceAsStream("/golden/enum-codes.txt")) {
      assertNotNull(in, "golden/enum-codes.txt");
      Map<String, Map<String, Integer>> listed = new TreeMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] p = line.trim().split(" ");
        assertEquals(3, p.length, "enum-codes.txt line: " + line);
        Integer before = listed.computeIfAbsent(p[0], k -> new TreeMap<>())
            .put(p[1], Integer.parseInt(p[2]));
        assertEquals(null, before, "listed twice: " + line);
      }
      return listed;
    }
  }
}
