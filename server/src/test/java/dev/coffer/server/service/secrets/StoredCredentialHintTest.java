package dev.coffer.server.service.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.SecretRepository;
import dev.coffer.server.store.records.pb.SecretRec;
import dev.coffer.server.testing.TestVault;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An imported (stored) credential has no hint: its first characters are the real value's,
 * not a public prefix. Records written before this rule read back without their hint.
 */
class StoredCredentialHintTest {

  static final String IMPORTED = "Zq8!imported-by-entra-0001";

  @TempDir Path dir;
  TestVault t;
  CallContext alice;

  @BeforeEach
  void setUp() {
    t = new TestVault(dir);
    alice = t.newPrincipal("default", "alice", false);
  }

  @AfterEach
  void tearDown() {
    t.close();
  }

  String store() {
    try (SecretValue v = SecretValue.ofString(IMPORTED)) {
      SecretMetadata m = t.vault.secrets().credentials().store(alice, "2f1c0c1e-entra",
          SecretRequest.builder().displayName("entra").location("/").vaulted(true)
              .sharingEnabled(true).build(), v)
          .metadata();
      assertEquals("", m.hint(), "the store response");
      return m.secretId();
    }
  }

  @Test
  void storedCredential_hasNoHint_inGetOrList() {
    String id = store();
    assertEquals("", t.vault.secrets().secrets().get(alice, id).hint());
    var listed = t.vault.secrets().secrets().list(alice, null, "", null, false, "", 10).items();
    assertEquals(1, listed.size());
    assertEquals("", listed.get(0).hint());
  }

  @Test
  void storedCredential_persistedWithAHint_readsWithout() {
    String id = store();
    byte[] key = SecretRepository.recordKey("default", id);
    byte[] stored = t.vault.storage().store().get(Table.SECRETS, key).orElseThrow();
    SecretRec legacy;
    try {
      legacy = SecretRec.parseFrom(stored).toBuilder().setHint(IMPORTED.substring(0, 3)).build();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
    Changes changes = new Changes();
    changes.put(Table.SECRETS, key, legacy.toByteArray());
    t.vault.storage().store().commit(changes);
    assertTrue(t.vault.storage().store().get(Table.SECRETS, key).map(b -> {
      try {
        return SecretRec.parseFrom(b).getHint().equals("Zq8");
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        return false;
      }
    }).orElse(false), "the legacy record holds a hint on disk");
    assertEquals("", t.vault.secrets().secrets().get(alice, id).hint());
    assertEquals("", t.vault.secrets().secrets().list(alice, null, "", null, false, "", 10).items()
        .get(0).hint());
  }
}
