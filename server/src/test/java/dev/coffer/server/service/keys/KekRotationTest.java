package dev.coffer.server.service.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.crypto.EnvelopeCipher;
import dev.coffer.server.crypto.KekKey;
import dev.coffer.server.domain.Application;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.domain.StoredSecret;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.secrets.SecretMinter;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.SecretRepository;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.TestVault;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KEK rotation end to end on a real vault: new data keys go to the new primary at once,
 * the background job re-wraps the rest page by page (resumable, never resurrecting a
 * deleted key, never touching a value's ciphertext), every value reads throughout, and
 * only then can the old key be disabled and destroyed.
 */
class KekRotationTest {

  static final int SECRETS = 23;
  static final int PAGE = 5;

  @TempDir Path dir;
  TestVault t;
  CallContext admin;
  Application app;
  final Map<String, String> values = new HashMap<>();
  final List<SecretMetadata> created = new ArrayList<>();

  @BeforeEach
  void setUp() {
    t = new TestVault(dir);
    admin = t.admin();
    app = t.vault.directory().applications().create(admin, "payments_api", "production", null,
        OAuthFlow.AUTHORIZATION_CODE, "admin").application();
    for (int i = 0; i < SECRETS; i++) {
      create("s" + i);
    }
  }

  @AfterEach
  void tearDown() {
    t.close();
  }

  private SecretMetadata create(String name) {
    SecretMinter.Minted m = TestSecrets.create(t.vault, admin, app.clientId(),
        SecretRequest.builder().displayName(name).location("/").vaulted(true).preapproveOwner(true)
            .build());
    try (SecretValue v = m.value()) {
      values.put(m.stored().metadata().secretId(), v.reveal());
    }
    created.add(m.stored().metadata());
    return m.stored().metadata();
  }

  private StoredSecret stored(SecretMetadata m) {
    return new SecretRepository(t.vault.storage().store()).get(m.tenantId(), m.secretId())
        .orElseThrow();
  }

  private int wrappedBy(SecretMetadata m) {
    return cipher().wrappingKeyId(stored(m).sealed().wrappedDataKey()).orElseThrow();
  }

  private EnvelopeCipher cipher() {
    return t.vault.keys().keyring().envelopeCipher();
  }

  /** Every live secret reveals its original value through the real read path. */
  private void assertAllReadable() {
    for (SecretMetadata m : created) {
      if (!values.containsKey(m.secretId())) {
        continue;
      }
      try (SecretValue v = t.vault.secrets().reader().reveal(admin, m.secretId())) {
        assertEquals(values.get(m.secretId()), v.reveal(), m.secretId());
      }
    }
  }

  private KekRewrapJob smallPageJob() {
    return new KekRewrapJob(t.vault.storage().store(), new SecretRepository(t.vault.storage()
        .store()), cipher(), t.vault.kernel().audit(), t.clock, () -> SECRETS, PAGE);
  }

  @Test
  void rotation_rewrapsEveryDataKey_withoutTouchingValues_thenTheOldKeyRetires() {
    KekService kek = t.vault.operator().admin().kek();
    int oldKey = t.vault.keys().keyring().kek().primary().id();
    Map<String, byte[]> recordsBefore = new HashMap<>();
    for (SecretMetadata m : created) {
      recordsBefore.put(m.secretId(), t.vault.storage().store().get(Table.SECRETS,
          SecretRepository.recordKey(m.tenantId(), m.secretId())).orElseThrow());
    }

    KekKey newKey = kek.rotate(admin);
    assertNotEquals(oldKey, newKey.id());
    assertTrue(newKey.primary());
    assertEquals(newKey.id(), wrappedBy(create("after-rotation")), "new data keys: new key");
    assertEquals(oldKey, wrappedBy(created.get(0)), "old data keys wait for the job");
    assertAllReadable();

    CofferException inUse = assertThrows(CofferException.class,
        () -> kek.disable(admin, oldKey));
    assertEquals(Reason.KEK_KEY_IN_USE, inUse.reason());
    assertTrue(inUse.getMessage().contains(SECRETS + " data keys"), inUse.getMessage());

    // Two pages, then a "restart": a new job instance resumes from the stored cursor.
    KekRewrapJob first = smallPageJob();
    assertTrue(first.runPage());
    assertTrue(first.runPage());
    assertAllReadable();
    RewrapProgress midway = first.progress().orElseThrow();
    assertTrue(midway.running());
    assertEquals(2 * PAGE, midway.scanned());
    // A secret deleted mid-job stays deleted: its data key is not written back.
    SecretMetadata doomed = created.get(created.size() - 2);
    boolean doomedDone = wrappedBy(doomed) == newKey.id(); // key order is random
    t.vault.secrets().secrets().delete(admin, doomed.secretId(), "");
    values.remove(doomed.secretId());

    KekRewrapJob resumed = smallPageJob();
    assertTrue(resumed.runToEnd() >= 1);
    RewrapProgress done = resumed.progress().orElseThrow();
    assertFalse(done.running());
    int rewrappable = doomedDone ? SECRETS : SECRETS - 1;
    assertEquals(rewrappable, done.rewrapped(), "every old data key, none twice");
    assertEquals(rewrappable + 1, done.scanned(), "and the new one, left as it was");
    assertEquals(1.0, done.ratio());
    assertFalse(t.vault.storage().store().get(Table.DATA_KEYS,
        SecretRepository.recordKey(doomed.tenantId(), doomed.secretId())).isPresent());
    assertEquals(0, resumed.countWrappedBy(oldKey));
    for (SecretMetadata m : created) {
      if (values.containsKey(m.secretId())) {
        assertEquals(newKey.id(), wrappedBy(m));
      }
      if (recordsBefore.containsKey(m.secretId()) && values.containsKey(m.secretId())) {
        assertArrayEquals(recordsBefore.get(m.secretId()), t.vault.storage().store()
            .get(Table.SECRETS,
            SecretRepository.recordKey(m.tenantId(), m.secretId())).orElseThrow(),
            "the record, ciphertext included, is untouched");
      }
    }
    assertAllReadable();

    CofferException enabled = assertThrows(CofferException.class,
        () -> kek.destroy(admin, oldKey));
    assertEquals(Reason.KEK_KEY_IN_USE, enabled.reason());
    kek.disable(admin, oldKey);
    assertEquals(KekKey.Status.DISABLED, kek.key(oldKey).status());
    assertAllReadable();
    kek.destroy(admin, oldKey);
    assertEquals(List.of(newKey.id()),
        t.vault.keys().keyring().kek().keys().stream().map(KekKey::id).toList());
    assertAllReadable();
  }

  @Test
  void destroyedKey_staysDestroyed_afterARestart() {
    KekService kek = t.vault.operator().admin().kek();
    int oldKey = t.vault.keys().keyring().kek().primary().id();
    KekKey newKey = kek.rotate(admin);
    t.vault.operator().rewrapJob().runToEnd();
    kek.disable(admin, oldKey);
    kek.destroy(admin, oldKey);
    t.close();
    t = new TestVault(dir);
    admin = t.admin();
    assertEquals(List.of(newKey.id()),
        t.vault.keys().keyring().kek().keys().stream().map(KekKey::id).toList());
    assertAllReadable();
  }

  @Test
  void rotationSavedButJobLost_isResumedAtStart() {
    int oldKey = t.vault.keys().keyring().kek().primary().id();
    // The keyset change persists first; a crash before the job record is written...
    KekKey newKey = t.vault.keys().keyring().kek().rotate();
    t.close();
    t = new TestVault(dir);
    admin = t.admin();
    RewrapProgress p = t.vault.operator().rewrapJob().progress().orElseThrow();
    assertEquals(newKey.id(), p.targetKeyId(), "...and the next start begins the job");
    t.vault.operator().rewrapJob().runToEnd();
    assertEquals(0, t.vault.operator().rewrapJob().countWrappedBy(oldKey));
    assertAllReadable();
  }

  @Test
  void primaryAndUnknownKeys_areRefused_nonAdminsDenied() {
    KekService kek = t.vault.operator().admin().kek();
    int primary = t.vault.keys().keyring().kek().primary().id();
    assertEquals(Reason.KEK_KEY_IN_USE,
        assertThrows(CofferException.class, () -> kek.disable(admin, primary)).reason());
    assertEquals(Reason.KEK_KEY_NOT_FOUND,
        assertThrows(CofferException.class, () -> kek.disable(admin, primary + 1)).reason());
    CallContext alice = t.newPrincipal("default", "alice", true);
    assertEquals(Reason.NOT_SYSTEM_ADMIN,
        assertThrows(CofferException.class, () -> kek.rotate(alice)).reason());
    assertEquals(1, t.vault.keys().keyring().kek().keys().size());
  }
}
