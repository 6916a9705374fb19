package dev.coffer.server.testing;

import dev.coffer.server.domain.KeyAlgorithm;
import dev.coffer.server.domain.PublicKeyInfo;
import dev.coffer.server.domain.SecretKind;
import dev.coffer.server.domain.SecretMetadata;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For the mapping tests of a secret's metadata: a {@link #base()} with every component set
 * to a value other than its default, and for each component (found by reflection, so a
 * component added later is included without a change here) a copy that differs from the
 * base in that component alone. A mapper that forgets a component maps the base and its
 * variant to the same output. A component of a type this class cannot vary fails loudly,
 * so the mapping tests never skip one.
 */
public final class SecretMetadataVariants {

  private SecretMetadataVariants() {}

  /** When {@link #base()} is read, later than every time in it. */
  public static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  private static final Instant T = Instant.parse("2026-12-06T10:00:00.250Z");

  /** Metadata with no component at its default (empty, false, zero or null). */
  public static SecretMetadata base() {
    return SecretMetadata.builder().tenantId("t-map").secretId("sec_map").holderId("client-map")
        .displayName("payments").description("for the payment run").location("/Finance")
        .vaulted(true).sharingEnabled(true).owner("alice").preapproveOwner(true)
        .kind(SecretKind.CLIENT_SECRET).hint("abc").createTime(T)
        .expireTime(T.plus(Duration.ofDays(30))).revokeTime(T.plusSeconds(3600)).creator("bob")
        .version(2).revision(5).rotatedFrom("sec_old").rotatedTo("sec_new")
        .externalClientId("ext-client").quarantineTime(T.plusSeconds(1800))
        .publicKey(new PublicKeyInfo(KeyAlgorithm.ES256, "kid-1", "{\"keys\":[]}")).build();
  }

  /** For each component's name, {@link #base()} with that component alone changed. */
  public static Map<String, SecretMetadata> variants() {
    SecretMetadata base = base();
    RecordComponent[] components = SecretMetadata.class.getRecordComponents();
    Map<String, SecretMetadata> variants = new LinkedHashMap<>();
    for (int i = 0; i < components.length; i++) {
      Object[] values = values(base, components);
      values[i] = changed(components[i], values[i]);
      variants.put(components[i].getName(), construct(components, values));
    }
    return variants;
  }

  /** The names of the components of {@link SecretMetadata}, in order. */
  public static List<String> componentNames() {
    return Arrays.stream(SecretMetadata.class.getRecordComponents())
        .map(RecordComponent::getName).toList();
  }

  private static Object changed(RecordComponent c, Object value) {
    Class<?> type = c.getType();
    if (value == null) {
      throw new AssertionError("base() leaves " + c.getName() + " null");
    }
    if (type == String.class) {
      return value + "-changed";
    } else if (type == boolean.class) {
      return !(Boolean) value;
    } else if (type == int.class) {
      return (Integer) value + 1;
    } else if (type == long.class) {
      return (Long) value + 1;
    } else if (type == Instant.class) {
      return ((Instant) value).plusSeconds(7);
    } else if (type == SecretKind.class) {
      return value == SecretKind.SCOPE_SECRET ? SecretKind.CLIENT_SECRET : SecretKind.SCOPE_SECRET;
    } else if (type == PublicKeyInfo.class) {
      PublicKeyInfo k = (PublicKeyInfo) value;
      return new PublicKeyInfo(k.algorithm() == KeyAlgorithm.ES256 ? KeyAlgorithm.RS256
          : KeyAlgorithm.ES256, k.kid() + "-changed", k.jwkSet() + " ");
    }
    throw new AssertionError("no variant for " + c.getName() + " of type " + type.getName()
        + ": teach SecretMetadataVariants to change it");
  }

  private static Object[] values(SecretMetadata m, RecordComponent[] components) {
    Object[] values = new Object[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        values[i] = components[i].getAccessor().invoke(m);
      }
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new AssertionError(e);
    }
    return values;
  }

  private static SecretMetadata construct(RecordComponent[] components, Object[] values) {
    Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType)
        .toArray(Class<?>[]::new);
    try {
      Constructor<SecretMetadata> canonical = SecretMetadata.class.getDeclaredConstructor(types);
      return canonical.newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
