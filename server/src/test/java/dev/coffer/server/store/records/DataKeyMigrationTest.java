package dev.coffer.server.store.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.coffer.server.crypto.SecretBinding;
import dev.coffer.server.domain.OAuthFlow;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.secrets.SecretMinter;
import dev.coffer.server.service.secrets.SecretRequest;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.pb.SecretRec;
import dev.coffer.server.testing.TestSecrets;
import dev.coffer.server.testing.TestVault;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A vault written before DATA_KEYS keeps working: its data keys move out of the records. */
class DataKeyMigrationTest {

  @TempDir Path dir;

  @Test
  void legacyRecord_dataKeyMovesOut_onceAndTheValueStillOpens() throws Exception {
    try (TestVault t = new TestVault(dir)) {
      var app = t.vault.directory().applications().create(t.admin(), "legacy_app", "production",
          null, OAuthFlow.AUTHORIZATION_CODE, "admin").application();
      SecretMinter.Minted minted = TestSecrets.create(t.vault, t.admin(), app.clientId(),
          SecretRequest.builder().displayName("old").location("/").vaulted(true).build());
      String expected = minted.value().reveal();
      minted.value().close();
      SecretMetadata m = minted.stored().metadata();
      KvStore store = t.vault.storage().store();
      byte[] key = SecretRepository.recordKey(m.tenantId(), m.secretId());
      byte[] wrapped = store.get(Table.DATA_KEYS, key).orElseThrow();
      // Rewrite it as the previous version stored it: the wrapped key inside the record.
      SecretRec legacy = SecretRec.parseFrom(store.get(Table.SECRETS, key).orElseThrow())
          .toBuilder().setWrappedDataKey(ByteString.copyFrom(wrapped)).build();
      store.commit(new Changes().delete(Table.DATA_KEYS, key)
          .put(Table.SECRETS, key, legacy.toByteArray())
          .delete(Table.META, DataKeyMigration.MARKER_KEY));

      assertEquals(1, DataKeyMigration.runOnce(store));
      assertEquals(0, DataKeyMigration.runOnce(store), "runs once per vault");

      assertArrayEquals(wrapped, store.get(Table.DATA_KEYS, key).orElseThrow());
      assertTrue(SecretRec.parseFrom(store.get(Table.SECRETS, key).orElseThrow())
          .getWrappedDataKey().isEmpty(), "the record no longer carries the key");
      var stored = new SecretRepository(store).get(m.tenantId(), m.secretId()).orElseThrow();
      try (SecretValue v = t.vault.keys().keyring().envelopeCipher().open(stored.sealed(),
          SecretBinding.of(m))) {
        assertEquals(expected, v.reveal());
      }
    }
  }
}
