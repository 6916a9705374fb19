package dev.coffer.server.service.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coffer.server.domain.Grant;
import dev.coffer.server.domain.Principal;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.testing.SecretMetadataVariants;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A notice survives the trip through the Raft log whole, and only well-formed bytes decode. */
class NoticeCodecTest {

  private static final Instant AT = Instant.parse("2026-12-07T10:00:00.123456789Z");

  private static List<LifecycleNotice> notices() {
    SecretMetadata secret = SecretMetadataVariants.base();
    Grant grant = new Grant("t-map", "grt_1", "sec_map", "bob", "alice", AT,
        AT.plus(Duration.ofHours(8)), null, "req_1", 1);
    Principal service = new Principal("t-map", "payments-svc", PrincipalKind.SERVICE, false,
        false, AT, "alice", null);
    return List.of(
        LifecycleNotice.secretChanged(secret, "ROTATED", "sec_next", AT),
        LifecycleNotice.grantChanged(grant, secret, "GRANTED", AT),
        LifecycleNotice.grantChanged(grant, null, "GRANT_REVOKED", AT),
        LifecycleNotice.signInTrusted(service, "iss_1", AT),
        LifecycleNotice.tenantPolicyUpdated("t-map", AT),
        new LifecycleNotice(LifecycleNotice.Type.EXPIRY_WARNING, "t-map", "secrets/sec_map", "",
            Duration.ofDays(14).plusNanos(7), AT.plusSeconds(60), AT, "",
            new LifecycleNotice.Audience(LifecycleNotice.Audience.Kind.SECRET, secret, "")));
  }

  @Test
  void everyKindOfNotice_decodesToAnEqualNotice() {
    for (LifecycleNotice n : notices()) {
      assertEquals(n, NoticeCodec.decode(NoticeCodec.encode(n)), n.state());
    }
  }

  @Test
  void everyTruncationAndATrailingByte_areRefused_withoutNamingTheContent() {
    for (LifecycleNotice n : notices()) {
      byte[] bytes = NoticeCodec.encode(n);
      for (int cut = 0; cut < bytes.length; cut++) {
        byte[] truncated = Arrays.copyOf(bytes, cut);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> NoticeCodec.decode(truncated), n.state() + " cut at " + cut);
        assertFalse(e.getMessage().contains("t-map"), e.getMessage());
      }
      assertThrows(IllegalArgumentException.class,
          () -> NoticeCodec.decode(Arrays.copyOf(bytes, bytes.length + 1)));
    }
  }

  @Test
  void unknownVersionTypeAudienceAndPresenceCodes_areRefused() {
    LifecycleNotice n = LifecycleNotice.tenantPolicyUpdated("t", AT);
    byte[] bytes = NoticeCodec.encode(n);
    assertThrows(IllegalArgumentException.class, () -> NoticeCodec.decode(with(bytes, 0, 2)));
    assertThrows(IllegalArgumentException.class, () -> NoticeCodec.decode(with(bytes, 1, 0)));
    assertThrows(IllegalArgumentException.class, () -> NoticeCodec.decode(with(bytes, 1, 4)));
    // tenant "t", resource "tenants/t", state "POLICY_UPDATED", then the lead time
    int expirePresence = 2 + (4 + 1) + (4 + 9) + (4 + 14) + 12;
    assertEquals(0, bytes[expirePresence]);
    assertThrows(IllegalArgumentException.class,
        () -> NoticeCodec.decode(with(bytes, expirePresence, 2)));
    int kind = bytes.length - (4 + 0) - (4 + 0) - 4 - 1;
    assertEquals(5, bytes[kind]);
    assertThrows(IllegalArgumentException.class, () -> NoticeCodec.decode(with(bytes, kind, 6)));
  }

  private static byte[] with(byte[] bytes, int at, int value) {
    byte[] copy = bytes.clone();
    copy[at] = (byte) value;
    return copy;
  }
}
