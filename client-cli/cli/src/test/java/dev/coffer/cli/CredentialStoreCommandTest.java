package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.SecretKind;
import dev.coffer.api.v1.StoreCredentialRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreCommandTest extends FakeServerTest {

  private static final String VALUE = "entra~SECRET~value~0123456789";

  @TempDir Path dir;

  @BeforeEach
  void answerStore() {
    server.answer =
        req ->
            Secret.newBuilder()
                .setName("secrets/c1")
                .setDisplayName("payments-entra")
                .setKind(SecretKind.STORED_CREDENTIAL)
                .setExternalClientId("ext-123")
                .setVaulted(true)
                .setSharingEnabled(true)
                .build();
  }

  private String[] store(String valueFile, String... more) {
    String[] base = {
      "credential", "store", "--name", "payments-entra", "--client-id", "ext-123",
      "--value-file", valueFile, "--location", "/Finance"
    };
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return args;
  }

  @Test
  void store_readsTheTrimmedValueFromTheFile_sendsEveryField_andNeverPrintsTheValue()
      throws Exception {
    Path file = Files.writeString(dir.resolve("v"), "  " + VALUE + "\n\n");
    int exit =
        cli.run(
            store(
                file.toString(), "--share", "--owner", "alice", "--preapprove-owner",
                "--description", "Entra app for payments", "--expires", "2027-01-31"));
    assertEquals(0, exit, cli.err());
    StoreCredentialRequest r = server.last(StoreCredentialRequest.class);
    assertEquals(VALUE, r.getValue());
    assertEquals("payments-entra", r.getDisplayName());
    assertEquals("ext-123", r.getExternalClientId());
    assertEquals("/Finance", r.getLocation());
    assertTrue(r.getSharingEnabled() && r.getPreapproveOwner());
    assertEquals("alice", r.getOwner());
    assertEquals("Entra app for payments", r.getDescription());
    assertEquals(Instant.parse("2027-01-31T00:00:00Z").getEpochSecond(), r.getExpireTime().getSeconds());
    assertTrue(cli.out().matches("(?s).*\\nkind +stored credential\\n.*"), cli.out());
    assertTrue(cli.out().matches("(?s).*\\nexternal client id +ext-123\\n.*"), cli.out());
    assertFalse(cli.out().contains("SECRET~value") || cli.err().contains("SECRET~value"));
  }

  @Test
  void store_withoutLocation_usesTheRoot_andWarnsWhenNobodyCouldReadIt() throws Exception {
    Path file = Files.writeString(dir.resolve("v"), VALUE);
    assertEquals(0, cli.run("credential", "store", "--name", "payments-entra", "--client-id",
        "ext-123", "--value-file", file.toString(), "--expires", "90d"));
    StoreCredentialRequest r = server.last(StoreCredentialRequest.class);
    assertEquals("/", r.getLocation());
    assertEquals(CliHarness.NOW.plus(java.time.Duration.ofDays(90)).getEpochSecond(),
        r.getExpireTime().getSeconds());
    assertTrue(cli.err().contains("nobody can read this value until its owner requests"),
        cli.err());
  }

  @Test
  void store_withoutOptionalFlags_leavesTheServerDefaults() throws Exception {
    Path file = Files.writeString(dir.resolve("v"), VALUE);
    assertEquals(0, cli.run(store(file.toString())));
    StoreCredentialRequest r = server.last(StoreCredentialRequest.class);
    assertFalse(r.getSharingEnabled() || r.getPreapproveOwner());
    assertEquals("", r.getOwner());
    assertEquals(StoreCredentialRequest.ExpirationCase.EXPIRATION_NOT_SET, r.getExpirationCase());
  }

  @Test
  void store_withExpiresNever_asksForNeverExpires() throws Exception {
    Path file = Files.writeString(dir.resolve("v"), VALUE);
    assertEquals(0, cli.run(store(file.toString(), "--expires", "never")));
    assertTrue(server.last(StoreCredentialRequest.class).getNeverExpires());
  }

  @Test
  void aDashReadsTheValueFromStdin() {
    cli.stdin = VALUE + "\n";
    assertEquals(0, cli.run(store("-")));
    assertEquals(VALUE, server.last(StoreCredentialRequest.class).getValue());
  }

  @Test
  void aMissingFile_isAUsageError_andSendsNothing() {
    assertEquals(1, cli.run(store(dir.resolve("missing").toString())));
    assertTrue(cli.err().contains("does not exist"), cli.err());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void anEmptyFile_isAUsageError_andSendsNothing() throws Exception {
    Path file = Files.writeString(dir.resolve("blank"), " \n\t\n");
    assertEquals(1, cli.run(store(file.toString())));
    assertTrue(cli.err().contains("is empty"), cli.err());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void aFileLargerThan4096Bytes_isAUsageError_andSendsNothing() throws Exception {
    Path file = Files.writeString(dir.resolve("big"), "x".repeat(4097));
    assertEquals(1, cli.run(store(file.toString())));
    assertTrue(cli.err().contains("larger than 4096 bytes"), cli.err());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void aValueOnTheCommandLine_isRefusedWithoutEchoingIt() {
    cli.stdin = VALUE;
    assertEquals(1, cli.run(store("-", "cfr_PASTED_VALUE")));
    assertFalse(cli.err().contains("PASTED"), cli.err());
    assertTrue(cli.err().contains("takes no value argument"), cli.err());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void thereIsNoValueOption_andItsArgumentIsNotEchoed() {
    cli.stdin = VALUE;
    assertEquals(1, cli.run(store("-", "--value", "cfr_PASTED_VALUE")));
    assertFalse(cli.err().contains("PASTED"), cli.err());
    assertTrue(server.requests.isEmpty());
  }

  @Test
  void aMissingValueFileOption_isAUsageError() {
    assertEquals(
        1,
        cli.run("credential", "store", "--name", "n", "--client-id", "c", "--location", "/"));
    assertTrue(cli.err().contains("'--value-file=FILE'"), cli.err());
    assertTrue(server.requests.isEmpty());
  }
}
