package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.VerifySecretRequest;
import dev.coffer.api.v1.VerifySecretResponse;
import org.junit.jupiter.api.Test;

class SecretVerifyCommandTest extends FakeServerTest {


  @Test
  void theValueIsReadFromTheFirstLineOfStdin_trimmed_andAMatchExits0() {
    server.answer =
        req -> VerifySecretResponse.newBuilder().setMatch(true).setSecret("secrets/s1").build();
    cli.stdin = "  cfr_cs_PRESENTED  \nsecond line\n";
    assertEquals(0, cli.run("secret", "verify", "--client-id", "c1"));
    VerifySecretRequest r = server.last(VerifySecretRequest.class);
    assertEquals("c1", r.getClientId());
    assertEquals("cfr_cs_PRESENTED", r.getValue());
    assertTrue(cli.out().matches("(?s)match\\s+yes\n.*secrets/s1\n"), cli.out());
    assertFalse(cli.out().contains("cfr_cs_PRESENTED"));
  }

  @Test
  void atATerminal_theValueIsAskedForWithEchoOff() {
    server.answer =
        req -> VerifySecretResponse.newBuilder().setMatch(true).setSecret("secrets/s1").build();
    cli.terminal = true;
    ScriptedPrompter p = new ScriptedPrompter("cfr_cs_TYPED");
    cli.prompter = p;
    assertEquals(0, cli.run("secret", "verify", "--client-id", "c1"));
    assertEquals(java.util.List.of("Value (not echoed): "), p.hidden);
    assertEquals("cfr_cs_TYPED", server.last(VerifySecretRequest.class).getValue());
    assertFalse(cli.out().contains("cfr_cs_TYPED") || cli.err().contains("cfr_cs_TYPED"));
  }

  @Test
  void aMismatchExits3_whichIsNotAnError() {
    server.answer = req -> VerifySecretResponse.newBuilder().setMatch(false).build();
    cli.stdin = "cfr_cs_WRONG\n";
    assertEquals(ExitCodes.VERIFY_MISMATCH, cli.run("secret", "verify", "--client-id", "c1"));
    assertEquals("", cli.err());
    assertTrue(cli.out().matches("match\\s+no\n"), cli.out());
  }

  @Test
  void aMismatchAsJson_alsoExits3() {
    server.answer = req -> VerifySecretResponse.newBuilder().setMatch(false).build();
    cli.stdin = "cfr_cs_WRONG\n";
    assertEquals(3, cli.run("secret", "verify", "--client-id", "c1", "-o", "json"));
    assertEquals("{\n}\n", cli.out());
  }

  @Test
  void aValueOnTheCommandLine_isRefusedWithoutEchoingIt_andNothingIsSent() {
    cli.stdin = "";
    assertEquals(1, cli.run("secret", "verify", "--client-id", "c1", "cfr_cs_ONARGV"));
    assertTrue(server.requests.isEmpty());
    assertFalse(cli.err().contains("cfr_cs_ONARGV"), cli.err());
    assertTrue(cli.err().contains("pipe the value on stdin"), cli.err());
  }

  @Test
  void thereIsNoValueOption() {
    cli.stdin = "";
    assertEquals(1, cli.run("secret", "verify", "--client-id", "c1", "--value", "cfr_cs_X"));
    assertTrue(server.requests.isEmpty());
    assertFalse(cli.err().contains("cfr_cs_X"), cli.err());
  }

  @Test
  void emptyStdin_isAUsageError_andNothingIsSent() {
    cli.stdin = "\n";
    assertEquals(1, cli.run("secret", "verify", "--client-id", "c1"));
    assertTrue(server.requests.isEmpty());
    assertTrue(cli.err().contains("no value on stdin"), cli.err());
  }
}
