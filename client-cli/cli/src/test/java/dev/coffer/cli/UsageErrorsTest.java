package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Usage errors: exit 1, one error line and a pointer to --help, and no server call at all. */
class UsageErrorsTest {

  private final CliHarness cli = new CliHarness(null);

  @ParameterizedTest(name = "coffer {0} → missing {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "principal create                         | '--name=ID'",
        "token issue                              | '--principal=ID'",
        "app create --name payments_api           | '--env=ENV'",
        "app create --env production              | '--name=CLIENT_NAME'",
        "secret verify                            | '--client-id=CLIENT_ID'",
        "secret create --name x                   | '--app=CLIENT_ID'",
        "secret create --app a                    | '--name=NAME'",
        "secret get                               | 'ID'",
        "tenant create                            | 'ID'",
        "access request s1 --duration 8h          | '--reason=TEXT'",
        "access request s1 --reason r             | '--duration=DURATION'",
        "access request --reason r --duration 8h  | 'SECRET_ID'",
        "access deny r1                           | '--reason=TEXT'",
        "grant create s1 --for 8h                 | '--principal=ID'",
        "grant revoke                             | 'GRANT_ID'",
        "secret rotate --yes                      | 'ID'",
        "credential store --name n --client-id c --location / | '--value-file=FILE'"
      })
  void aMissingRequiredOption_isAUsageError(String args, String missing) {
    assertEquals(1, cli.run(args.strip().split("\\s+")));
    assertTrue(cli.err().startsWith("error: Missing required"), cli.err());
    assertTrue(cli.err().contains(missing), cli.err());
    assertTrue(cli.err().contains("--help' for more information."), cli.err());
    assertEquals("", cli.out());
  }

  @Test
  void aGroupWithoutSubcommand_isAUsageError() {
    assertEquals(1, cli.run("secret"));
    assertTrue(cli.err().contains("Missing required subcommand"), cli.err());
  }

  @Test
  void anUnknownOption_isAUsageError() {
    assertEquals(1, cli.run("secret", "list", "--colour"));
    assertTrue(cli.err().contains("unknown option or extra argument: '--colour'"), cli.err());
  }

  @Test
  void strayArguments_areCountedButNeverEchoed() {
    assertEquals(1, cli.run("secret", "get", "s1", "cfr_cs_PASTED", "--token=cfr_at_PASTED"));
    assertFalse(cli.err().contains("PASTED"), cli.err());
    assertTrue(cli.err().contains("'--token'") || cli.err().contains("1 argument"), cli.err());
  }

  @Test
  void aBadDuration_isAUsageErrorNamingTheOption() {
    assertEquals(1, cli.run("secret", "list", "--expiring-within", "soon"));
    assertTrue(cli.err().contains("Invalid value for option '--expiring-within'"), cli.err());
  }

  @Test
  void aBadGrantDuration_isAUsageErrorNamingTheOption() {
    assertEquals(1, cli.run("grant", "create", "s1", "--principal", "bob", "--for", "a while"));
    assertTrue(cli.err().contains("Invalid value for option '--for'"), cli.err());
  }

  @Test
  void aBadExpiration_isAUsageError() {
    assertEquals(1, cli.run("secret", "create", "--app", "a", "--name", "n", "--expires", "soon"));
    assertTrue(cli.err().contains("--expires"), cli.err());
  }

  @Test
  void aBadOutputFormat_isAUsageError() {
    assertEquals(1, cli.run("whoami", "--output", "yaml"));
  }

  @Test
  void anApplicationIdWithASlash_isAUsageErrorBeforeAnyCall() {
    assertEquals(1, cli.run("secret", "create", "--app", "a/b", "--name", "n"));
    assertTrue(cli.err().contains("client id must be a bare id"), cli.err());
  }

  @Test
  void tokenAndTokenFile_together_areAUsageError(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("t"), "cfr_at_file\n");
    assertEquals(1, cli.run("whoami", "--token", "cfr_at_flag", "--token-file", file.toString()));
    assertTrue(cli.err().contains("not both"), cli.err());
    assertFalse(cli.err().contains("cfr_at_"), "no token in errors: " + cli.err());
  }

  @Test
  void anUnreadableTokenFile_isAUsageError(@TempDir Path dir) {
    assertEquals(1, cli.run("whoami", "--token-file", dir.resolve("missing").toString()));
    assertTrue(cli.err().contains("cannot read --token-file"), cli.err());
  }

  @Test
  void secretCreateToAnExistingOutFile_isRefusedBeforeAnyCall(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("exists.txt"), "old");
    assertEquals(
        1,
        cli.run("secret", "create", "--app", "a", "--name", "n", "--out-file", file.toString()));
    assertTrue(cli.err().contains("already exists; refusing to overwrite"), cli.err());
    assertEquals("old", Files.readString(file));
  }
}
