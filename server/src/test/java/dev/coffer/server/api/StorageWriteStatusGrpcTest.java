package dev.coffer.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.AdminServiceGrpc;
import dev.coffer.api.v1.CreatePrincipalRequest;
import dev.coffer.api.v1.GetVaultStatusRequest;
import dev.coffer.api.v1.VaultStatus;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.InProcessServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * GetVaultStatus shows a storage write failure while it lasts; the vault's own audit group
 * commit clears it at its next successful write (so the status reads the same health the
 * writes report to).
 */
class StorageWriteStatusGrpcTest {

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.inProcessServer().build();
  InProcessServer coffer;

  @BeforeEach
  void setUp() throws Exception {
    coffer = fixture.coffer();
  }

  private VaultStatus status() {
    return AdminServiceGrpc.newBlockingStub(coffer.channel)
        .withInterceptors(InProcessServer.bearer(coffer.vault.adminToken))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .getVaultStatus(GetVaultStatusRequest.getDefaultInstance());
  }

  @Test
  void status_showsAWriteFailure_untilTheNextWriteSucceeds() {
    assertFalse(status().hasStorageWriteError());

    coffer.vault.vault.storage().storageWrites().failed(new CofferException(Reason.STORAGE_FAILURE,
        "storage write failed", new RocksDBException("IO error", new Status(Status.Code.IOError,
            Status.SubCode.NoSpace, "No space left on device"))));
    VaultStatus failing = status();
    assertTrue(failing.hasStorageWriteError());
    assertEquals("RocksDBException IOError/NoSpace: No space left on device",
        failing.getStorageWriteError().getCause());
    assertEquals(1, failing.getStorageWriteError().getFailedWrites());
    assertEquals(coffer.vault.clock.instant().getEpochSecond(),
        failing.getStorageWriteError().getSince().getSeconds());

    coffer.principals(coffer.vault.adminToken).createPrincipal(CreatePrincipalRequest
        .newBuilder().setPrincipalId("bob").build());
    assertFalse(status().hasStorageWriteError(), "a real write succeeded: cleared");
  }
}
