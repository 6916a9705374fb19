package dev.coffer.server.service.lifecycle;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.store.records.SecretMetadataCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * A {@link LifecycleNotice} as bytes, so that a cluster node can hand a state change it made to
 * every node's watchers through the Raft log. All integers big-endian:
 *
 * <pre>
 * u8 format version (1)
 * u8 type: 1 EXPIRY_WARNING, 2 EXPIRED, 3 STATE_CHANGED
 * str tenant, str resource, str state
 * duration lead time; instant expire time; instant time
 * str successor
 * u8 audience: 1 SECRET, 2 GRANT, 3 REQUEST, 4 CREDENTIAL, 5 TENANT
 * i32 length of the secret's metadata (-1: none), then the metadata ({@link SecretMetadataCodec})
 * str party, str party owner
 * str: i32 length, UTF-8 bytes; duration: i64 seconds, i32 nanos;
 * instant: u8 0 (none) | 1, then i64 epoch seconds, i32 nanos
 * </pre>
 *
 * <p>Codes are fixed here, never {@code ordinal()}. Decoding is strict (unknown version or
 * code, negative or overlong length, truncated or trailing bytes: an IllegalArgumentException
 * naming the position, never the content). Security: a notice holds names, states and times,
 * and a secret's metadata without anything that would check or open its value.
 */
public final class NoticeCodec {

  static final int VERSION = 1;
  private static final int MAX_STRING = 64 * 1024;

  private NoticeCodec() {}

  public static byte[] encode(LifecycleNotice n) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeByte(typeCode(n.type()));
      str(out, n.tenantId());
      str(out, n.resource());
      str(out, n.state());
      out.writeLong(n.leadTime().getSeconds());
      out.writeInt(n.leadTime().getNano());
      instant(out, n.expireTime());
      instant(out, n.time());
      str(out, n.successor());
      LifecycleNotice.Audience a = n.audience();
      out.writeByte(kindCode(a.kind()));
      if (a.secret() == null) {
        out.writeInt(-1);
      } else {
        byte[] secret = SecretMetadataCodec.encode(a.secret());
        out.writeInt(secret.length);
        out.write(secret);
      }
      str(out, a.party());
      str(out, a.partyOwner());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  /** @throws IllegalArgumentException when {@code bytes} are not one notice of this format */
  public static LifecycleNotice decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      int version = in.get() & 0xff;
      if (version != VERSION) {
        throw new IllegalArgumentException("unknown notice format version " + version);
      }
      LifecycleNotice.Type type = type(in.get() & 0xff);
      String tenant = str(in);
      String resource = str(in);
      String state = str(in);
      Duration lead = Duration.ofSeconds(in.getLong(), in.getInt());
      Instant expire = instant(in);
      Instant time = instant(in);
      String successor = str(in);
      LifecycleNotice.Audience.Kind kind = kind(in.get() & 0xff);
      int secretLength = in.getInt();
      byte[] secret = null;
      if (secretLength != -1) {
        secret = new byte[length(in, secretLength, 1 << 20, "secret metadata")];
        in.get(secret);
      }
      String party = str(in);
      String partyOwner = str(in);
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " trailing bytes after the notice");
      }
      return new LifecycleNotice(type, tenant, resource, state, lead, expire, time, successor,
          new LifecycleNotice.Audience(kind,
              secret == null ? null : SecretMetadataCodec.decode(secret), party, partyOwner));
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("notice truncated at byte " + in.position());
    } catch (CofferException | DateTimeException | ArithmeticException e) {
      throw new IllegalArgumentException("malformed notice near byte " + in.position());
    }
  }

  private static int typeCode(LifecycleNotice.Type type) {
    return switch (type) {
      case EXPIRY_WARNING -> 1;
      case EXPIRED -> 2;
      case STATE_CHANGED -> 3;
    };
  }

  private static LifecycleNotice.Type type(int code) {
    return switch (code) {
      case 1 -> LifecycleNotice.Type.EXPIRY_WARNING;
      case 2 -> LifecycleNotice.Type.EXPIRED;
      case 3 -> LifecycleNotice.Type.STATE_CHANGED;
      default -> throw new IllegalArgumentException("unknown notice type code " + code);
    };
  }

  private static int kindCode(LifecycleNotice.Audience.Kind kind) {
    return switch (kind) {
      case SECRET -> 1;
      case GRANT -> 2;
      case REQUEST -> 3;
      case CREDENTIAL -> 4;
      case TENANT -> 5;
    };
  }

  private static LifecycleNotice.Audience.Kind kind(int code) {
    return switch (code) {
      case 1 -> LifecycleNotice.Audience.Kind.SECRET;
      case 2 -> LifecycleNotice.Audience.Kind.GRANT;
      case 3 -> LifecycleNotice.Audience.Kind.REQUEST;
      case 4 -> LifecycleNotice.Audience.Kind.CREDENTIAL;
      case 5 -> LifecycleNotice.Audience.Kind.TENANT;
      default -> throw new IllegalArgumentException("unknown audience code " + code);
    };
  }

  private static void str(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String str(ByteBuffer in) {
    byte[] b = new byte[length(in, in.getInt(), MAX_STRING, "string")];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static int length(ByteBuffer in, int length, int max, String what) {
    if (length < 0 || length > max || length > in.remaining()) {
      throw new IllegalArgumentException("bad " + what + " length at byte " + (in.position() - 4));
    }
    return length;
  }

  private static void instant(DataOutputStream out, Instant t) throws IOException {
    if (t == null) {
      out.writeByte(0);
      return;
    }
    out.writeByte(1);
    out.writeLong(t.getEpochSecond());
    out.writeInt(t.getNano());
  }

  private static Instant instant(ByteBuffer in) {
    int present = in.get() & 0xff;
    if (present == 0) {
      return null;
    }
    if (present != 1) {
      throw new IllegalArgumentException("bad instant presence byte " + present);
    }
    return Instant.ofEpochSecond(in.getLong(), in.getInt());
  }
}
