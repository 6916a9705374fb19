package dev.coffer.cli;

import dev.coffer.bench.BaselineServer;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * The build's training run for the CLI's class-data-sharing archive: the build runs it once with
 * {@code -XX:ArchiveClassesAtExit}, and the classes it loads are stored, parsed and verified, in
 * {@code coffer.jsa}, which {@code client-cli/bin/coffer} maps into every later call instead of
 * reading and verifying them from the jar again.
 *
 * <p>Contract: makes the calls an operator makes most (health, whoami, a secret read and a list,
 * help) against a bare health server on 127.0.0.1 that answers everything else with {@code
 * UNIMPLEMENTED}, so the transport, the HTTP/2 codec, the API's messages and the error path are
 * all loaded; exits 1 if the health call fails, so a broken archive never passes the build.
 *
 * <p>Security: holds no real token and reaches no vault; its output is discarded.
 */
public final class ClassDataTraining {

  private static final List<List<String>> CALLS =
      List.of(
          List.of("health"),
          List.of("whoami"),
          List.of("secret", "get", "sec_training"),
          List.of("secret", "list"),
          List.of("--help"),
          List.of("secret", "get", "--help"));

  private ClassDataTraining() {}

  public static void main(String[] args) throws Exception {
    NettyDefaults.applyUnlessSet();
    int healthExit = -1;
    try (BaselineServer server = BaselineServer.start("127.0.0.1", 0);
        CliTransport transport = new CliTransport()) {
      Map<String, String> env =
          Map.of(
              GlobalOptions.ENV_ADDR, "127.0.0.1:" + server.port(),
              GlobalOptions.ENV_TOKEN, "cfr_at_training");
      for (List<String> call : CALLS) {
        CliContext ctx =
            CliContext.builder()
                .out(new PrintWriter(Writer.nullWriter()))
                .err(new PrintWriter(Writer.nullWriter()))
                .in(new BufferedReader(new StringReader("")))
                .env(env)
                .connector(transport::connect)
                .build();
        int exit = CofferCli.run(ctx, call.toArray(String[]::new));
        if (call.equals(CALLS.get(0))) {
          healthExit = exit;
        }
      }
    }
    if (healthExit != ExitCodes.OK) {
      System.err.println("class-data training: 'coffer health' exited " + healthExit);
      System.exit(1);
    }
  }
}
