package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.api.v1.DeleteSecretRequest;
import dev.coffer.api.v1.DeleteSecretResponse;
import dev.coffer.api.v1.GetSecretRequest;
import dev.coffer.api.v1.ListSecretsRequest;
import dev.coffer.api.v1.ListSecretsResponse;
import dev.coffer.api.v1.RevealSecretResponse;
import dev.coffer.api.v1.RevokeSecretRequest;
import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.SecretState;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCommandsTest extends FakeServerTest {

  private static final Secret VAULTED =
      Secret.newBuilder()
          .setName("secrets/s1")
          .setSecretId("s1")
          .setParent("applications/payments_api")
          .setClientId("payments_api")
          .setDisplayName("db")
          .setLocation("/Finance")
          .setVaulted(true)
          .setState(SecretState.ACTIVE)
          .setExpireTime(Timestamp.newBuilder().setSeconds(1_826_000_000L))
          .build();


  private void answerCreate(Secret secret) {
    server.answer =
        req -> CreateSecretResponse.newBuilder().setSecret(secret).setValue("cfr_cs_NEWVALUE").build();
  }

  @Test
  void createWithFlags_sendsEveryField_andShowsTheValueOnceWithTheVaultedWarning() {
    answerCreate(VAULTED);
    int exit =
        cli.run(
            "secret", "create", "--app", "payments_api", "--name", "db", "--description", "d",
            "--expires", "2027-11-22T10:00:00Z", "--location", "/Finance", "--vault", "--share",
            "--owner", "alice", "--preapprove-owner");

    assertEquals(0, exit, cli.err());
    CreateSecretRequest r = server.last(CreateSecretRequest.class);
    assertEquals("applications/payments_api", r.getParent());
    assertEquals("db", r.getDisplayName());
    assertEquals("d", r.getDescription());
    assertEquals(Instant.parse("2027-11-22T10:00:00Z").getEpochSecond(), r.getExpireTime().getSeconds());
    assertEquals("/Finance", r.getLocation());
    assertTrue(r.getVaulted() && r.getSharingEnabled() && r.getPreapproveOwner());
    assertEquals("alice", r.getOwner());
    assertEquals("cfr_cs_NEWVALUE\n", cli.out());
    assertTrue(cli.err().contains("WARNING: " + Printer.WARN_VAULTED), cli.err());
    assertTrue(cli.err().contains("secrets/s1"), cli.err());
    assertFalse(cli.err().contains("cfr_cs_NEWVALUE"));
  }

  @Test
  void expires_takesADurationFromNow_likeTtlAndFor() {
    answerCreate(VAULTED);
    assertEquals(0, cli.run("secret", "create", "--app", "payments_api", "--name", "db",
        "--expires", "30d"));
    assertEquals(CliHarness.NOW.plus(java.time.Duration.ofDays(30)).getEpochSecond(),
        server.last(CreateSecretRequest.class).getExpireTime().getSeconds());
    assertEquals(1, cli.run("secret", "create", "--app", "payments_api", "--name", "db",
        "--expires", "30x"));
    assertTrue(cli.err().contains("'30x' is not a duration"), cli.err());
  }

  @Test
  void createOfAVaultedSecretNobodyCanReadYet_warnsWhoMustDecide() {
    answerCreate(VAULTED);
    assertEquals(0, cli.run("secret", "create", "--app", "payments_api", "--name", "db",
        "--vault"));
    assertTrue(cli.err().contains("nobody can read this value until its owner requests access"
        + " and a tenant admin (not the owner) approves"), cli.err());
  }

  @Test
  void createOfASharedOrPreapprovedVaultedSecret_hasNoReadersWarning() {
    answerCreate(VAULTED);
    assertEquals(0, cli.run("secret", "create", "--app", "payments_api", "--name", "db",
        "--vault", "--share"));
    assertEquals(0, cli.run("secret", "create", "--app", "payments_api", "--name", "db",
        "--vault", "--preapprove-owner"));
    assertFalse(cli.err().contains("nobody can read"), cli.err());
  }

  @Test
  void createOfANonVaultedSecret_warnsThatOnlyAVerifierIsKept_andLeavesDefaultsToTheServer() {
    answerCreate(VAULTED.toBuilder().setVaulted(false).build());
    assertEquals(0, cli.run("secret", "create", "--app", "payments_api", "--name", "db"));
    CreateSecretRequest r = server.last(CreateSecretRequest.class);
    assertEquals("/", r.getLocation());
    assertEquals("", r.getOwner());
    assertEquals(CreateSecretRequest.ExpirationCase.EXPIRATION_NOT_SET, r.getExpirationCase());
    assertTrue(cli.err().contains("Store it now; Coffer keeps only a verifier."), cli.err());
  }

  @Test
  void createAsJson_printsOnlyTheProto3JsonOfTheResponse() throws Exception {
    answerCreate(VAULTED);
    assertEquals(0, cli.run("secret", "create", "--app", "payments_api", "--name", "db", "-o", "json"));
    CreateSecretResponse.Builder parsed = CreateSecretResponse.newBuilder();
    JsonFormat.parser().merge(cli.out(), parsed);
    assertEquals(
        CreateSecretResponse.newBuilder().setSecret(VAULTED).setValue("cfr_cs_NEWVALUE").build(),
        parsed.build());
    assertTrue(cli.err().contains("WARNING"), cli.err());
  }

  @Test
  void createWithOutFile_writesTheValueTo0600AndNeverPrintsIt(@TempDir Path dir) throws Exception {
    answerCreate(VAULTED);
    Path file = dir.resolve("value.txt");
    for (String format : new String[] {"text", "json"}) {
      Files.deleteIfExists(file);
      assertEquals(
          0,
          cli.run(
              "secret", "create", "--app", "a1", "--name", "db", "--out-file", file.toString(),
              "-o", format));
      assertEquals("cfr_cs_NEWVALUE\n", Files.readString(file));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      assertFalse(cli.out().contains("cfr_cs_NEWVALUE"), cli.out());
      assertFalse(cli.err().contains("cfr_cs_NEWVALUE"), cli.err());
      assertTrue(cli.out().contains("secrets/s1"), cli.out());
    }
  }

  @Test
  void createWithAnExistingOutFile_sendsNothingToTheServer(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("exists"), "old");
    answerCreate(VAULTED);
    assertEquals(
        1, cli.run("secret", "create", "--app", "a1", "--name", "db", "--out-file", file.toString()));
    assertTrue(server.requests.isEmpty());
    assertEquals("old", Files.readString(file));
  }

  @Test
  void atATerminalWithoutRequiredFlags_theWizardRuns_andTheValueIsShownOnce() {
    answerCreate(VAULTED);
    cli.terminal = true;
    ScriptedPrompter p = new ScriptedPrompter("", "db", "", "", "", "y", "n", "", "y", "y");
    cli.prompter = p;
    assertEquals(0, cli.run("secret", "create", "--app", "payments_api"), cli.err());
    CreateSecretRequest r = server.last(CreateSecretRequest.class);
    assertEquals("applications/payments_api", r.getParent());
    assertEquals("db", r.getDisplayName());
    assertTrue(r.getVaulted() && r.getPreapproveOwner());
    assertFalse(r.getSharingEnabled());
    assertEquals("cfr_cs_NEWVALUE\n", cli.out());
    assertTrue(cli.err().contains(Printer.WARN_VAULTED));
  }

  @Test
  void aCancelledWizard_sendsNothing() {
    cli.terminal = true;
    cli.prompter = new ScriptedPrompter("app1", "db", "", "", "", "", "", "c");
    assertEquals(0, cli.run("secret", "create"));
    assertTrue(server.requests.isEmpty());
    assertEquals("", cli.out());
  }

  @Test
  void list_sendsItsFilters_andPrintsATable_withANoteWhenMorePagesFollow() {
    server.answer =
        req -> ListSecretsResponse.newBuilder().addSecrets(VAULTED).setNextPageToken("p2").build();
    assertEquals(
        0,
        cli.run(
            "secret", "list", "--app", "payments_api", "--location", "/Finance",
            "--expiring-within", "30d", "--page-size", "5"));
    ListSecretsRequest r = server.last(ListSecretsRequest.class);
    assertEquals("applications/payments_api", r.getParent());
    assertEquals("/Finance", r.getLocation());
    assertEquals(30L * 86_400, r.getExpiringWithin().getSeconds());
    assertEquals(5, r.getPageSize());
    assertEquals(1, server.requests.size());
    assertTrue(cli.out().startsWith("ID"), cli.out());
    assertTrue(cli.out().contains("s1  db"), cli.out());
    assertTrue(cli.err().contains("--page-token p2"), cli.err());
  }

  @Test
  void listShared_asksOnlyForSharedSecrets_andWithoutTheFlagDoesNot() {
    server.answer = req -> ListSecretsResponse.newBuilder().addSecrets(VAULTED).build();
    assertEquals(0, cli.run("secret", "list", "--shared"));
    assertTrue(server.last(ListSecretsRequest.class).getShared());
    assertEquals(0, cli.run("secret", "list"));
    assertFalse(server.last(ListSecretsRequest.class).getShared());
  }

  @Test
  void listAll_followsNextPageTokens_andPrintsOneJsonResponse() throws Exception {
    server.answer =
        req -> {
          String token = ((ListSecretsRequest) req).getPageToken();
          return token.isEmpty()
              ? ListSecretsResponse.newBuilder().addSecrets(VAULTED).setNextPageToken("p2").build()
              : ListSecretsResponse.newBuilder()
                  .addSecrets(VAULTED.toBuilder().setSecretId("s2").setName("secrets/s2"))
                  .build();
        };
    assertEquals(0, cli.run("secret", "list", "--all", "-o", "json"));
    assertEquals(2, server.requests.size());
    assertEquals("p2", server.last(ListSecretsRequest.class).getPageToken());
    ListSecretsResponse.Builder parsed = ListSecretsResponse.newBuilder();
    JsonFormat.parser().merge(cli.out(), parsed);
    assertEquals(2, parsed.getSecretsCount());
    assertEquals("", parsed.getNextPageToken());
  }

  @Test
  void getAsJson_isValidProto3Json() throws Exception {
    server.answer = req -> VAULTED;
    assertEquals(0, cli.run("secret", "get", "s1", "--output", "json"));
    assertEquals("secrets/s1", server.last(GetSecretRequest.class).getName());
    Secret.Builder parsed = Secret.newBuilder();
    JsonFormat.parser().merge(cli.out(), parsed);
    assertEquals(VAULTED, parsed.build());
  }

  @Test
  void getAsText_showsTheMetadataFields() {
    server.answer = req -> VAULTED;
    assertEquals(0, cli.run("secret", "get", "secrets/s1"));
    assertEquals("secrets/s1", server.last(GetSecretRequest.class).getName());
    assertTrue(cli.out().contains("location            /Finance"), cli.out());
    assertTrue(cli.out().contains("state               ACTIVE"), cli.out());
  }

  @Test
  void revokeAndDelete_sendTheNameAndEtag() {
    server.answer = req -> VAULTED;
    assertEquals(0, cli.run("secret", "revoke", "s1", "--etag", "e1"));
    RevokeSecretRequest revoke = server.last(RevokeSecretRequest.class);
    assertEquals("secrets/s1", revoke.getName());
    assertEquals("e1", revoke.getEtag());

    server.answer = req -> DeleteSecretResponse.getDefaultInstance();
    assertEquals(0, cli.run("secret", "delete", "s1", "--etag", "e2"));
    DeleteSecretRequest delete = server.last(DeleteSecretRequest.class);
    assertEquals("secrets/s1", delete.getName());
    assertEquals("e2", delete.getEtag());
    assertEquals("deleted  secrets/s1\n", cli.out());
  }

  @Test
  void delete_atATerminal_asksFirst_andNoDeletesNothing() {
    cli.terminal = true;
    ScriptedPrompter declined = new ScriptedPrompter("n");
    cli.prompter = declined;
    assertEquals(0, cli.run("secret", "delete", "s1"));
    assertTrue(declined.asked("Delete secrets/s1? Its value is destroyed for good (the audit "
        + "trail remains). [y/N]: "));
    assertTrue(cli.err().contains("Cancelled; nothing was deleted."), cli.err());
    assertTrue(server.requests.isEmpty());

    server.answer = req -> DeleteSecretResponse.getDefaultInstance();
    cli.prompter = new ScriptedPrompter("y");
    assertEquals(0, cli.run("secret", "delete", "s1"));
    assertEquals("secrets/s1", server.last(DeleteSecretRequest.class).getName());
    cli.prompter = new ScriptedPrompter();
    assertEquals(0, cli.run("secret", "delete", "s2", "--yes"));
    assertEquals("secrets/s2", server.last(DeleteSecretRequest.class).getName());
  }

  @Test
  void reveal_printsTheValueAlone() {
    server.answer =
        req -> RevealSecretResponse.newBuilder().setSecret("secrets/s1").setValue("cfr_cs_V").build();
    assertEquals(0, cli.run("secret", "reveal", "s1"));
    assertEquals("cfr_cs_V\n", cli.out());
  }

  @Test
  void aRichInvalidArgument_isPrintedWithItsFieldViolations_andExits10() {
    com.google.rpc.Status rich =
        com.google.rpc.Status.newBuilder()
            .setCode(Code.INVALID_ARGUMENT_VALUE)
            .setMessage("invalid secret")
            .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("INVALID_FIELD").build()))
            .addDetails(
                Any.pack(
                    BadRequest.newBuilder()
                        .addFieldViolations(
                            BadRequest.FieldViolation.newBuilder()
                                .setField("display_name")
                                .setDescription("must not be empty"))
                        .build()))
            .build();
    server.answer = req -> StatusProto.toStatusRuntimeException(rich);
    assertEquals(10, cli.run("secret", "create", "--app", "a1", "--name", " "));
    assertEquals(
        "error: INVALID_ARGUMENT: invalid secret (reason INVALID_FIELD); field display_name: must"
            + " not be empty\n",
        cli.err());
    assertEquals("", cli.out());
  }
}
