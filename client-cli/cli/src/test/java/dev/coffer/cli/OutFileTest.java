package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutFileTest {

  @TempDir Path dir;

  private final AtomicInteger calls = new AtomicInteger();

  private String create() {
    calls.incrementAndGet();
    return "cfr_cs_value";
  }

  @Test
  void theValueLandsInANewFileWithMode0600() throws Exception {
    Path file = dir.resolve("secret.txt");
    OutFile.createInto(file, this::create, Function.identity(), v -> "secrets/s1");
    assertEquals("cfr_cs_value\n", Files.readString(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void anExistingFile_isNeverOverwritten_andTheServerIsNotCalled() throws Exception {
    Path file = dir.resolve("existing.txt");
    Files.writeString(file, "keep me");
    CliFailure e =
        assertThrows(
            CliFailure.class,
            () -> OutFile.createInto(file, this::create, Function.identity(), v -> "n"));
    assertEquals(ExitCodes.USAGE, e.exitCode());
    assertEquals(0, calls.get());
    assertEquals("keep me", Files.readString(file));
    assertThrows(CliFailure.class, () -> OutFile.refuseExisting(file));
  }

  @Test
  void aSymlinkInThePath_isRefusedToo() throws Exception {
    Path target = dir.resolve("target.txt");
    Path link = Files.createSymbolicLink(dir.resolve("link.txt"), target);
    assertThrows(CliFailure.class, () -> OutFile.refuseExisting(link));
    assertThrows(
        CliFailure.class,
        () -> OutFile.createInto(link, this::create, Function.identity(), v -> "n"));
    assertFalse(Files.exists(target));
    assertEquals(0, calls.get());
  }

  @Test
  void aFailedCreate_leavesNoFileBehind() {
    Path file = dir.resolve("s.txt");
    assertThrows(
        StatusRuntimeException.class,
        () ->
            OutFile.createInto(
                file,
                () -> {
                  throw Status.UNAVAILABLE.asRuntimeException();
                },
                Function.<String>identity(),
                v -> "n"));
    assertFalse(Files.exists(file));
  }

  @Test
  void anEmptyValue_leavesNoFileBehind() {
    Path file = dir.resolve("s.txt");
    OutFile.createInto(file, () -> "", Function.identity(), v -> "n");
    assertFalse(Files.exists(file));
  }

  @Test
  void withoutAFile_theCallJustRuns() {
    assertEquals("cfr_cs_value", OutFile.createInto(null, this::create, Function.identity(), v -> "n"));
    assertTrue(calls.get() == 1);
  }
}
