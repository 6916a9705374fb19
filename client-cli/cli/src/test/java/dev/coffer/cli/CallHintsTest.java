package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The first two failures a new user meets are told as what to do, once each. */
class CallHintsTest extends FakeServerTest {

  @Test
  void aServerThatIsNotRunning_isNamed_withWhereToSetTheAddress() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort(); // closed again below: nothing listens there
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext ctx = CliContext.builder().out(new PrintWriter(out, true))
        .err(new PrintWriter(err, true)).in(new BufferedReader(new StringReader("")))
        .env(Map.of(GlobalOptions.ENV_TOKEN, "cfr_at_test")).build();
    int exit = CofferCli.run(ctx, new String[] {"whoami", "--addr", "127.0.0.1:" + port});
    assertEquals(ExitCodes.UNAVAILABLE, exit, err.toString());
    assertEquals("error: cannot reach Coffer at 127.0.0.1:" + port + ": is the server running? "
        + "set COFFER_ADDR or --addr\n", err.toString());
  }

  @Test
  void aCallWithoutAToken_saysWhereToSetOne_once() {
    cli.env.remove(GlobalOptions.ENV_TOKEN);
    server.answer = req -> Status.UNAUTHENTICATED
        .withDescription("missing bearer token: send 'authorization: Bearer <token>'")
        .asRuntimeException();
    assertEquals(ExitCodes.UNAUTHENTICATED, cli.run("whoami"));
    assertTrue(cli.err().startsWith("error: no token: set COFFER_TOKEN or --token-file"),
        cli.err());
    assertEquals(1, cli.err().lines().count(), cli.err());
  }

  @Test
  void aRefusedTokenThatWasSet_isReportedAsTheServerSaidIt() {
    server.answer = req -> Status.UNAUTHENTICATED.withDescription("the bearer token was revoked")
        .asRuntimeException();
    assertEquals(ExitCodes.UNAUTHENTICATED, cli.run("whoami"));
    assertTrue(cli.err().contains("the bearer token was revoked"), cli.err());
    assertTrue(!cli.err().contains("no token"), cli.err());
  }
}
