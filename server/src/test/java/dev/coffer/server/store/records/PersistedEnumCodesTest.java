package dev.coffer.server.store.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.AccessRequest;
import dev.coffer.server.domain.AccessToken;
import dev.coffer.server.domain.Application;
import dev.coffer.server.domain.Grant;
import dev.coffer.server.domain.KeyAlgorithm;
import dev.coffer.server.domain.Location;
import dev.coffer.server.domain.PersistedEnum;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.PublicKeyInfo;
import dev.coffer.server.domain.Scope;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.Tenant;
import dev.coffer.server.domain.TenantPolicy;
import dev.coffer.server.store.records.pb.PrincipalRec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the stored code of every constant of every {@link PersistedEnum} to the checked-in
 * list {@code golden/enum-codes.txt}: adding a constant without listing its code, changing
 * a code, or giving two constants one code fails here, as does a stored record gaining an
 * enum component that is written by neither a code nor an explicit name.
 */
class PersistedEnumCodesTest {

  /** Every record type {@link RecordCodec} writes, with its nested value records. */
  private static final List<Class<? extends Record>> STORED_RECORDS = List.of(Tenant.class,
      TenantPolicy.class, Principal.class, AccessToken.class, Location.class,
      Application.class, SecretMetadata.class, PublicKeyInfo.class, Scope.class, Grant.class,
      AccessRequest.class);

  /** Enums stored by constant name instead of a code, with the reason. */
  private static final Map<Class<?>, String> STORED_BY_NAME = Map.of(KeyAlgorithm.class,
      "its constants are RFC 7518 algorithm names, stored as that string");

  private static final String DOMAIN = "dev.coffer.server.domain";

  @Test
  void everyConstantHasItsCheckedInCode() throws IOException, URISyntaxException {
    Map<String, Map<String, Integer>> listed = checkedInCodes();
    Map<String, Map<String, Integer>> actual = new TreeMap<>();
    for (Class<?> type : persistedEnums()) {
      Map<String, Integer> codes = new TreeMap<>();
      for (Object constant : type.getEnumConstants()) {
        codes.put(((Enum<?>) constant).name(), ((PersistedEnum) constant).code());
      }
      actual.put(type.getName(), codes);
    }
    assertEquals(listed, actual, "stored codes differ from golden/enum-codes.txt");
  }

  @Test
  void noTwoConstantsShareACodeAndEachDecodesToItself() throws URISyntaxException,
      IOException {
    for (Class<?> type : persistedEnums()) {
      Set<Integer> seen = new HashSet<>();
      for (Object constant : type.getEnumConstants()) {
        int code = ((PersistedEnum) constant).code();
        assertTrue(seen.add(code), type.getName() + " reuses code " + code);
        assertSame(constant, decode(type, code), type.getName() + " code " + code);
      }
    }
  }

  @Test
  void everyEnumInAStoredRecordHasCodesOrAStoredName() {
    for (Class<? extends Record> record : STORED_RECORDS) {
      for (RecordComponent c : record.getRecordComponents()) {
        Class<?> type = c.getType();
        if (type.isEnum()) {
          assertTrue(PersistedEnum.class.isAssignableFrom(type)
                  || STORED_BY_NAME.containsKey(type),
              record.getSimpleName() + "." + c.getName() + " is an enum without stored codes");
        }
      }
    }
  }

  @Test
  void anUnknownCodeIsCorruptionNamingTheEnumAndTheCode() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> PrincipalKind.fromCode(7));
    assertTrue(e.getMessage().contains("PrincipalKind") && e.getMessage().contains("7"),
        e.getMessage());
    byte[] stored = PrincipalRec.newBuilder().setTenantId("t").setPrincipalId("p")
        .setKind(7).build().toByteArray();
    IllegalStateException fromCodec = assertThrows(IllegalStateException.class,
        () -> RecordCodec.principal(stored));
    assertTrue(fromCodec.getMessage().contains("PrincipalKind code 7"),
        fromCodec.getMessage());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object decode(Class<?> type, int code) {
    return PersistedEnum.fromCode((Class) type, code);
  }

  private static Set<Class<?>> persistedEnums() throws URISyntaxException, IOException {
    Path root = Path.of(PersistedEnum.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    Path dir = root.resolve(DOMAIN.replace('.', '/'));
    assertTrue(Files.isDirectory(dir), "domain classes are not a directory: " + dir);
    Set<Class<?>> found = new TreeSet<>((a, b) -> a.getName().compareTo(b.getName()));
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String file = f.getFileName().toString();
        if (!file.endsWith(".class")) {
          continue;
        }
        Class<?> type = load(DOMAIN + "." + file.substring(0, file.length() - 6));
        if (type.isEnum() && PersistedEnum.class.isAssignableFrom(type)) {
          found.add(type);
        }
      }
    }
    return found;
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, PersistedEnum.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(name, e);
    }
  }

  private static Map<String, Map<String, Integer>> checkedInCodes() throws IOException {
    try (InputStream in = PersistedEnumCodesTest.class
        .getResourceAsStream("/golden/enum-codes.txt")) {
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
