package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.GetSecretRequest;
import dev.coffer.client.FakeCofferServer;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExitCodesTest {

  @ParameterizedTest(name = "{0} exits {1}")
  @CsvSource({
    "OK, 0",
    "INVALID_ARGUMENT, 10",
    "OUT_OF_RANGE, 10",
    "UNAUTHENTICATED, 11",
    "PERMISSION_DENIED, 12",
    "NOT_FOUND, 13",
    "ALREADY_EXISTS, 14",
    "FAILED_PRECONDITION, 15",
    "ABORTED, 16",
    "RESOURCE_EXHAUSTED, 17",
    "DATA_LOSS, 18",
    "UNAVAILABLE, 19",
    "DEADLINE_EXCEEDED, 19",
    "UNKNOWN, 20",
    "INTERNAL, 20",
    "UNIMPLEMENTED, 20",
    "CANCELLED, 20"
  })
  void eachStatusCode_mapsToItsStableExitCode(Status.Code code, int exit) {
    assertEquals(exit, ExitCodes.forStatus(code));
  }

  @ParameterizedTest(name = "a call failing with {0} ends the CLI with {1}")
  @CsvSource({
    "INVALID_ARGUMENT, 10",
    "UNAUTHENTICATED, 11",
    "PERMISSION_DENIED, 12",
    "NOT_FOUND, 13",
    "ALREADY_EXISTS, 14",
    "FAILED_PRECONDITION, 15",
    "ABORTED, 16",
    "RESOURCE_EXHAUSTED, 17",
    "DATA_LOSS, 18",
    "INTERNAL, 20"
  })
  void aFailedCall_endsTheCliWithTheMappedCodeAndOneErrorLine(Status.Code code, int exit)
      throws Exception {
    try (FakeCofferServer server = new FakeCofferServer()) {
      server.answer = req -> Status.fromCode(code).withDescription("nope").asRuntimeException();
      CliHarness cli = new CliHarness(server);
      assertEquals(exit, cli.run("secret", "get", "s1"));
      assertEquals("error: " + code.name() + ": nope\n", cli.err());
      assertEquals("", cli.out());
      assertTrue(server.requests.get(0) instanceof GetSecretRequest);
    }
  }

  @Test
  void theTopLevelHelp_listsTheExitCodes_andEverySubcommandPointsThere() {
    CliHarness cli = new CliHarness(null);
    assertEquals(0, cli.run("--help"));
    String top = cli.out();
    assertTrue(top.contains("Exit codes:"), top);
    for (String code : ExitCodes.helpList().keySet()) {
      assertTrue(top.contains(code + "   "), "missing " + code + " in " + top);
    }
    for (String[] args : new String[][] {{"secret", "verify", "--help"},
        {"token", "issue", "--help"}, {"secret", "--help"}}) {
      assertEquals(0, cli.run(args));
      String help = cli.out();
      assertTrue(help.contains("Exit codes: see 'coffer --help'."), help);
      assertFalse(help.contains("UNAUTHENTICATED"), "no table under " + String.join(" ", args));
      assertFalse(help.contains("cfr_at_test"), "the token must never show in help");
    }
  }
}
