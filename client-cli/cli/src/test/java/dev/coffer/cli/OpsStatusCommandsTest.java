package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.coffer.api.v1.Principal;
import dev.coffer.api.v1.StorageWriteError;
import dev.coffer.api.v1.VaultStatus;
import org.junit.jupiter.api.Test;

/** What {@code whoami} and {@code admin status} print of the operational fields. */
class OpsStatusCommandsTest extends FakeServerTest {

  @Test
  void whoami_showsTheTokenId_forRevocation() {
    server.answer = req -> Principal.newBuilder().setName("tenants/acme/principals/alice")
        .setTokenId("tok_abc123").build();
    assertEquals(0, cli.run("whoami"), cli.err());
    assertTrue(cli.out().lines().anyMatch(l -> l.matches("token\\s+tok_abc123")), cli.out());
  }

  @Test
  void whoami_byClientCertificate_saysThereIsNoToken() {
    server.answer = req -> Principal.newBuilder().setName("tenants/acme/principals/alice")
        .build();
    assertEquals(0, cli.run("whoami"), cli.err());
    assertTrue(cli.out().contains("(none: client certificate)"), cli.out());
  }

  @Test
  void adminStatus_showsALastingStorageWriteError_andOkOtherwise() {
    server.answer = req -> VaultStatus.newBuilder().setRootKey("kms")
        .setStorageWriteError(StorageWriteError.newBuilder()
            .setCause("RocksDBException IOError: No space left on device")
            .setSince(Timestamp.newBuilder().setSeconds(1_800_000_000L))
            .setLastFailureTime(Timestamp.newBuilder().setSeconds(1_800_000_060L))
            .setFailedWrites(42))
        .build();
    assertEquals(0, cli.run("admin", "status"), cli.err());
    String line = cli.out().lines().filter(l -> l.startsWith("storage writes")).findFirst()
        .orElseThrow(() -> new AssertionError(cli.out()));
    assertTrue(line.contains("FAILING since 2027-01-15T08:00:00Z"), line);
    assertTrue(line.contains("42 failed writes"), line);
    assertTrue(line.contains("No space left on device"), line);

    server.answer = req -> VaultStatus.newBuilder().setRootKey("kms").build();
    assertEquals(0, cli.run("admin", "status"), cli.err());
    assertTrue(cli.out().lines().anyMatch(l -> l.matches("storage writes\\s+ok")), cli.out());
  }
}
