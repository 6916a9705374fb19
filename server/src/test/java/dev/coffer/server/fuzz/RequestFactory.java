package dev.coffer.server.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import java.util.List;

/**
 * Turns fuzzer bytes into the bytes of one request, in one of three ways chosen by the first
 * byte: a message of random field values built from the request's descriptor; a valid seed
 * request with up to three fields replaced, cleared or nudged; or garbage (raw bytes, or the
 * seed's encoding with bytes flipped, truncated or extended), which the server must refuse as
 * a malformed {@code request}.
 */
final class RequestFactory {

  /** How a request was made, for the per-RPC report. */
  enum Kind { RANDOM_FIELDS, MUTATED_SEED, GARBAGE }

  private static final int MAX_DEPTH = 3;
  private static final List<String> STRINGS = List.of("", " ", "a", "A", "0", "-1", "x".repeat(65),
      "y".repeat(257), "z".repeat(5000), "../..", "/..", "//", "/a/../b", "\u0000", "a\nb",
      "\u202Eevil", "\u200B", "\uFEFF", "e\u0301", "\uD83D\uDD11", "%s%n%x", "${jndi:ldap://x}",
      "' OR 1=1 --", "<script>", "\\", "*", "tenants/", "tenants/acme/principals/",
      "secrets/..", "secrets/a/b", "r0", "r-1", "r99999999999999999999", "W/\"r1\"",
      "cfr_cs_", "Bearer x", "null", "NaN", "true", "9999-12-31T23:59:59Z");
  private static final List<Long> LONGS = List.of(0L, 1L, -1L, 2L, 60L, 86_400L, 1_000_000L,
      (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE, 4_294_967_295L, Long.MAX_VALUE,
      Long.MIN_VALUE, 9_223_372_036L, 315_576_000_000L, 315_576_000_001L, 253_402_300_799L,
      253_402_300_800L, -62_135_596_800L, -62_135_596_801L, 9_300_000_000L);
  private static final List<Integer> NANOS = List.of(0, 1, -1, 999_999_999, 1_000_000_000,
      -999_999_999, Integer.MAX_VALUE, Integer.MIN_VALUE);

  private final List<String> dictionary;

  RequestFactory(List<String> dictionary) {
    this.dictionary = List.copyOf(dictionary);
  }

  record Made(Kind kind, byte[] bytes) {}

  Made make(Message prototype, Message seed, ByteSource in) {
    int choice = in.below(8);
    if (choice < 2) {
      return new Made(Kind.RANDOM_FIELDS, random(prototype.getDescriptorForType(),
          prototype.newBuilderForType(), in, 0).toByteArray());
    }
    if (choice < 7) {
      Message.Builder b = seed.toBuilder();
      int edits = in.below(4); // 0: the valid seed itself, as a different caller perhaps
      for (int i = 0; i < edits; i++) {
        mutate(b, in, 0);
      }
      return new Made(Kind.MUTATED_SEED, b.build().toByteArray());
    }
    return new Made(Kind.GARBAGE, garbage(seed.toByteArray(), in));
  }

  private Message random(Descriptor d, Message.Builder b, ByteSource in, int depth) {
    for (FieldDescriptor f : d.getFields()) {
      if (in.below(3) == 0) {
        continue;
      }
      if (f.isRepeated()) {
        int n = in.below(4);
        for (int i = 0; i < n; i++) {
          b.addRepeatedField(f, value(f, b, in, depth));
        }
      } else {
        b.setField(f, value(f, b, in, depth));
      }
    }
    return b.build();
  }

  private void mutate(Message.Builder b, ByteSource in, int depth) {
    List<FieldDescriptor> fields = b.getDescriptorForType().getFields();
    if (fields.isEmpty()) {
      b.mergeFrom(random(b.getDescriptorForType(), b.getDefaultInstanceForType().newBuilderForType(),
          in, depth));
      return;
    }
    FieldDescriptor f = in.pick(fields);
    switch (in.below(4)) {
      case 0 -> b.clearField(f);
      case 1 -> {
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isRepeated()
            && depth < MAX_DEPTH) {
          Message.Builder child = ((Message) b.getField(f)).toBuilder();
          mutate(child, in, depth + 1);
          b.setField(f, child.build());
          return;
        }
        set(b, f, in, depth);
      }
      case 2 -> {
        if (f.getJavaType() == FieldDescriptor.JavaType.STRING && !f.isRepeated()) {
          b.setField(f, nudge((String) b.getField(f), in));
          return;
        }
        set(b, f, in, depth);
      }
      default -> set(b, f, in, depth);
    }
  }

  private void set(Message.Builder b, FieldDescriptor f, ByteSource in, int depth) {
    if (f.isRepeated()) {
      b.addRepeatedField(f, value(f, b, in, depth));
    } else {
      b.setField(f, value(f, b, in, depth));
    }
  }

  private Object value(FieldDescriptor f, Message.Builder parent, ByteSource in, int depth) {
    return switch (f.getJavaType()) {
      case STRING -> string(in);
      case INT -> (int) number(in);
      case LONG -> number(in);
      case BOOLEAN -> in.bool();
      case FLOAT -> Float.intBitsToFloat(in.i32());
      case DOUBLE -> Double.longBitsToDouble(in.i64());
      case BYTE_STRING -> ByteString.copyFrom(in.bytes(64));
      case ENUM -> enumValue(f.getEnumType(), in);
      case MESSAGE -> message(f.getMessageType(), parent.newBuilderForField(f), in, depth);
    };
  }

  private Object enumValue(EnumDescriptor e, ByteSource in) {
    if (in.below(4) == 0) {
      return e.findValueByNumberCreatingIfUnknown(in.below(2) == 0 ? in.i32() : 100 + in.u8());
    }
    return in.pick(e.getValues());
  }

  private Message message(Descriptor d, Message.Builder b, ByteSource in, int depth) {
    if (d.getFullName().equals(Timestamp.getDescriptor().getFullName())) {
      return Timestamp.newBuilder().setSeconds(seconds(in)).setNanos(nanos(in)).build();
    }
    if (d.getFullName().equals(Duration.getDescriptor().getFullName())) {
      return Duration.newBuilder().setSeconds(seconds(in)).setNanos(nanos(in)).build();
    }
    return depth >= MAX_DEPTH ? b.build() : random(d, b, in, depth + 1);
  }

  private long seconds(ByteSource in) {
    return switch (in.below(4)) {
      case 0 -> in.pick(LONGS);
      case 1 -> 1_700_000_000L + in.i32();
      case 2 -> in.below(100_000_000);
      default -> in.i64();
    };
  }

  private int nanos(ByteSource in) {
    return in.below(3) == 0 ? in.pick(NANOS) : (in.below(2) == 0 ? 0 : in.i32());
  }

  private long number(ByteSource in) {
    return switch (in.below(4)) {
      case 0 -> in.pick(LONGS);
      case 1 -> in.below(1_001);
      case 2 -> -in.below(1_001);
      default -> in.i64();
    };
  }

  private String string(ByteSource in) {
    return switch (in.below(6)) {
      case 0, 1 -> in.pick(dictionary);
      case 2 -> in.pick(STRINGS);
      case 3 -> in.pick(dictionary) + in.pick(STRINGS);
      case 4 -> in.pick(List.of("secrets/", "grants/", "accessRequests/", "applications/",
          "scopes/", "tokens/", "tenants/", "/")) + in.text(24);
      default -> in.text(40);
    };
  }

  /** A small edit of a valid string: a character added, dropped, replaced, or case-flipped. */
  private String nudge(String s, ByteSource in) {
    if (s.isEmpty()) {
      return string(in);
    }
    int at = in.below(s.length());
    return switch (in.below(4)) {
      case 0 -> s.substring(0, at) + in.text(2) + s.substring(at);
      case 1 -> s.substring(0, at) + s.substring(Math.min(s.length(), at + 1));
      case 2 -> s.substring(0, at) + (char) in.below(0x3000) + s.substring(at + 1);
      default -> s.toUpperCase(java.util.Locale.ROOT);
    };
  }

  private static byte[] garbage(byte[] seed, ByteSource in) {
    switch (in.below(4)) {
      case 0 -> {
        return in.rest(4096);
      }
      case 1 -> {
        byte[] b = seed.clone();
        int flips = 1 + in.below(4);
        for (int i = 0; b.length > 0 && i < flips; i++) {
          b[in.below(b.length)] ^= (byte) (1 + in.below(255));
        }
        return b;
      }
      case 2 -> {
        return java.util.Arrays.copyOf(seed, in.below(seed.length + 1));
      }
      default -> {
        byte[] tail = in.bytes(32);
        byte[] b = java.util.Arrays.copyOf(seed, seed.length + tail.length);
        System.arraycopy(tail, 0, b, seed.length, tail.length);
        return b;
      }
    }
  }
}
