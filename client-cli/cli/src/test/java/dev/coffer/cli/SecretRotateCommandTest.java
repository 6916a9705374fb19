package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.api.v1.RotateSecretRequest;
import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.SecretState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretRotateCommandTest extends FakeServerTest {

  private static final Secret SUCCESSOR =
      Secret.newBuilder()
          .setName("secrets/s2")
          .setSecretId("s2")
          .setDisplayName("db")
          .setVaulted(true)
          .setState(SecretState.ACTIVE)
          .setRotatedFrom("secrets/s1")
          .build();

  private static final CreateSecretResponse ROTATED =
      CreateSecretResponse.newBuilder().setSecret(SUCCESSOR).setValue("cfr_cs_ROTATED").build();

  @BeforeEach
  void answerRotate() {
    server.answer = req -> ROTATED;
  }

  @Test
  void rotate_sendsNameOverlapAndEtag_andShowsTheNewValueOnceLikeCreate() {
    assertEquals(
        0, cli.run("secret", "rotate", "s1", "--overlap", "7d", "--etag", "e1", "--yes"), cli.err());
    RotateSecretRequest r = server.last(RotateSecretRequest.class);
    assertEquals("secrets/s1", r.getName());
    assertEquals(7L * 86_400, r.getOverlap().getSeconds());
    assertEquals("e1", r.getEtag());
    assertEquals("cfr_cs_ROTATED\n", cli.out());
    assertTrue(cli.err().contains("WARNING: " + Printer.WARN_VAULTED), cli.err());
    assertTrue(cli.err().matches("(?s)secret +secrets/s2\\n.*rotated from +secrets/s1\\n.*"), cli.err());
    assertTrue(cli.err().contains("The old secret secrets/s1 stays valid for 7d."), cli.err());
    assertFalse(cli.err().contains("cfr_cs_ROTATED"), cli.err());
  }

  @Test
  void rotateOfANonVaultedSecret_warnsThatOnlyAVerifierIsKept() {
    server.answer =
        req -> ROTATED.toBuilder().setSecret(SUCCESSOR.toBuilder().setVaulted(false)).build();
    assertEquals(0, cli.run("secret", "rotate", "s1", "--yes"));
    assertTrue(cli.err().contains("WARNING: " + Printer.WARN_VERIFIER), cli.err());
  }

  @Test
  void rotateWithoutOverlap_leavesItUnset_andSaysTheOldSecretStopsNow() {
    assertEquals(0, cli.run("secret", "rotate", "secrets/s1", "--yes"));
    RotateSecretRequest r = server.last(RotateSecretRequest.class);
    assertEquals("secrets/s1", r.getName());
    assertFalse(r.hasOverlap());
    assertTrue(cli.err().contains("The old secret secrets/s1 stops verifying now."), cli.err());
  }

  @Test
  void rotateAsJson_printsOnlyTheResponse() throws Exception {
    assertEquals(0, cli.run("secret", "rotate", "s1", "--yes", "-o", "json"));
    CreateSecretResponse.Builder parsed = CreateSecretResponse.newBuilder();
    JsonFormat.parser().merge(cli.out(), parsed);
    assertEquals(ROTATED, parsed.build());
  }

  @Test
  void rotateWithOutFile_writesTheValueTo0600AndNeverPrintsIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("new.txt");
    for (String format : new String[] {"text", "json"}) {
      Files.deleteIfExists(file);
      assertEquals(
          0,
          cli.run("secret", "rotate", "s1", "--yes", "--out-file", file.toString(), "-o", format));
      assertEquals("cfr_cs_ROTATED\n", Files.readString(file));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      assertFalse(cli.out().contains("cfr_cs_ROTATED"), cli.out());
      assertFalse(cli.err().contains("cfr_cs_ROTATED"), cli.err());
      assertTrue(cli.out().contains("secrets/s2"), cli.out());
    }
  }

  @Test
  void rotateToAnExistingOutFile_isRefusedBeforeAnyCall(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("exists"), "old");
    assertEquals(1, cli.run("secret", "rotate", "s1", "--yes", "--out-file", file.toString()));
    assertTrue(cli.err().contains("already exists; refusing to overwrite"), cli.err());
    assertTrue(server.requests.isEmpty());
    assertEquals("old", Files.readString(file));
  }

  @Test
  void rotateWithoutYes_outsideATerminal_isAUsageError_andRotatesNothing() {
    assertEquals(1, cli.run("secret", "rotate", "s1"));
    assertTrue(cli.err().contains("confirm with --yes"), cli.err());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void atATerminal_rotateAsks_andANoRotatesNothing() {
    cli.terminal = true;
    ScriptedPrompter p = new ScriptedPrompter("n");
    cli.prompter = p;
    assertEquals(0, cli.run("secret", "rotate", "s1", "--overlap", "1h"));
    assertTrue(p.asked("Rotate secrets/s1? The old value stays valid for 1h."), p.prompts.toString());
    assertTrue(server.requests.isEmpty());
    assertTrue(cli.err().contains("Cancelled; nothing was rotated."), cli.err());
    assertEquals("", cli.out());
  }

  @Test
  void atATerminal_aYesRotates() {
    cli.terminal = true;
    cli.prompter = new ScriptedPrompter("y");
    assertEquals(0, cli.run("secret", "rotate", "s1"));
    assertEquals("secrets/s1", server.last(RotateSecretRequest.class).getName());
    assertEquals("cfr_cs_ROTATED\n", cli.out());
  }

  @Test
  void atATerminal_endOfInputRotatesNothing() {
    cli.terminal = true;
    cli.prompter = new ScriptedPrompter();
    assertEquals(0, cli.run("secret", "rotate", "s1"));
    assertTrue(server.requests.isEmpty());
  }
}
