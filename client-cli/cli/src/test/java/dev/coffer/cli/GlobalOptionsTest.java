package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.Principal;
import dev.coffer.client.BearerTokenCredentials;
import dev.coffer.client.ClientConfig;
import dev.coffer.client.FakeCofferServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The global options reach the wire: authorization metadata, deadline; and the address is resolved. */
class GlobalOptionsTest {

  private FakeCofferServer server;
  private CliHarness cli;

  @BeforeEach
  void start() throws Exception {
    server = new FakeCofferServer();
    server.answer = req -> Principal.newBuilder().setName("tenants/acme/principals/alice").build();
    cli = new CliHarness(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String authorization() {
    return server.headers.get(0).get(BearerTokenCredentials.AUTHORIZATION);
  }

  @Test
  void theTokenFromTheEnvironment_arrivesAsABearerHeader() {
    cli.env.put(GlobalOptions.ENV_TOKEN, "cfr_at_fromenv");
    assertEquals(0, cli.run("whoami"));
    assertEquals("Bearer cfr_at_fromenv", authorization());
  }

  @Test
  void theTokenFlag_winsOverTheEnvironment() {
    assertEquals(0, cli.run("whoami", "--token", "cfr_at_flag"));
    assertEquals("Bearer cfr_at_flag", authorization());
  }

  @Test
  void theTokenFile_isReadAndTrimmed(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "  cfr_at_file \n\n");
    assertEquals(0, cli.run("whoami", "--token-file", file.toString()));
    assertEquals("Bearer cfr_at_file", authorization());
  }

  @Test
  void withoutAnyToken_noHeaderIsSent() {
    cli.env.clear();
    assertEquals(0, cli.run("whoami"));
    assertNull(authorization());
  }

  @Test
  void theTimeoutOption_isTheDeadlineOfTheCall() {
    assertEquals(0, cli.run("whoami", "--timeout", "3s"));
    long left = server.deadlines.get(0).timeRemaining(TimeUnit.MILLISECONDS);
    assertTrue(left > 1_000 && left <= 3_000, "left " + left);
  }

  @Test
  void theDefaultDeadline_isTenSeconds() {
    assertEquals(0, cli.run("whoami"));
    long left = server.deadlines.get(0).timeRemaining(TimeUnit.MILLISECONDS);
    assertTrue(left > 8_000 && left <= 10_000, "left " + left);
  }

  @Test
  void theAddress_comesFromTheFlag_elseTheEnvironment_elseTheDefault() {
    String[] seen = new String[1];
    CliContext.Builder base =
        CliContext.builder()
            .out(new java.io.PrintWriter(new java.io.StringWriter()))
            .err(new java.io.PrintWriter(new java.io.StringWriter()))
            .connector(
                config -> {
                  seen[0] = config.address();
                  return server.connect(config);
                });
    CofferCli.run(base.env(java.util.Map.of()).build(), "whoami");
    assertEquals(ClientConfig.DEFAULT_ADDRESS, seen[0]);
    CofferCli.run(base.env(java.util.Map.of(GlobalOptions.ENV_ADDR, "vault:9")).build(),
        "whoami", "--tls");
    assertEquals("vault:9", seen[0]);
    CofferCli.run(
        base.env(java.util.Map.of(GlobalOptions.ENV_ADDR, "vault:9")).build(),
        "whoami", "--addr", "other:1", "--tls");
    assertEquals("other:1", seen[0]);
  }

  @Test
  void plaintextToANonLoopbackAddress_isRefusedBeforeAnyCall() {
    String[] seen = new String[1];
    java.io.StringWriter err = new java.io.StringWriter();
    CliContext ctx = CliContext.builder()
        .out(new java.io.PrintWriter(new java.io.StringWriter()))
        .err(new java.io.PrintWriter(err))
        .env(java.util.Map.of(GlobalOptions.ENV_TOKEN, "cfr_at_x"))
        .connector(config -> {
          seen[0] = config.address();
          return server.connect(config);
        })
        .build();
    assertEquals(ExitCodes.USAGE, CofferCli.run(ctx, "whoami", "--addr", "vault.example:7443"));
    assertEquals(null, seen[0], "no connection was made");
    assertTrue(err.toString().contains("--ca"), err.toString());
    assertEquals(ExitCodes.USAGE, CofferCli.run(ctx, "whoami", "--addr", "vault.example:7443",
        "--ca", "/nonexistent/ca.pem"));
    assertEquals(null, seen[0]);
  }

  @Test
  void whoamiAsJson_printsTheProto3JsonOfThePrincipal() throws Exception {
    assertEquals(0, cli.run("whoami", "-o", "json"));
    Principal.Builder parsed = Principal.newBuilder();
    com.google.protobuf.util.JsonFormat.parser().merge(cli.out(), parsed);
    assertEquals("tenants/acme/principals/alice", parsed.getName());
  }

  /** Runs whoami with a capturing connector; returns the exit code, config in {@code seen[0]}. */
  private int runCapturing(ClientConfig[] seen, java.io.StringWriter err,
      java.util.Map<String, String> env, String... args) {
    CliContext ctx = CliContext.builder()
        .out(new java.io.PrintWriter(new java.io.StringWriter()))
        .err(new java.io.PrintWriter(err, true))
        .env(env)
        .connector(config -> {
          seen[0] = config;
          return server.connect(config);
        })
        .build();
    return CofferCli.run(ctx, args);
  }

  private static Path pem(Path dir, String name, String type) throws Exception {
    return Files.writeString(dir.resolve(name), "-----BEGIN " + type + "-----\nAAAA\n-----END "
        + type + "-----\n");
  }

  @Test
  void aClientCertificate_goesIntoTheTlsCredentials_andTheTokenIsOptional(@TempDir Path dir)
      throws Exception {
    Path cert = pem(dir, "client.crt", "CERTIFICATE");
    Path key = pem(dir, "client.key", "PRIVATE KEY");
    ClientConfig[] seen = new ClientConfig[1];
    java.io.StringWriter err = new java.io.StringWriter();
    assertEquals(0, runCapturing(seen, err, java.util.Map.of(), "whoami", "--addr",
        "vault.example:7443", "--tls", "--cert", cert.toString(), "--key", key.toString()),
        err.toString());
    io.grpc.TlsChannelCredentials tls = (io.grpc.TlsChannelCredentials) seen[0]
        .channelCredentials();
    assertEquals(Files.readString(cert), new String(tls.getCertificateChain(),
        java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(Files.readString(key), new String(tls.getPrivateKey(),
        java.nio.charset.StandardCharsets.UTF_8));
    assertNull(authorization(), "no token, no authorization header");
  }

  @Test
  void theClientCertificate_canComeFromTheEnvironment(@TempDir Path dir) throws Exception {
    Path ca = pem(dir, "ca.crt", "CERTIFICATE");
    Path cert = pem(dir, "client.crt", "CERTIFICATE");
    Path key = pem(dir, "client.key", "PRIVATE KEY");
    ClientConfig[] seen = new ClientConfig[1];
    java.io.StringWriter err = new java.io.StringWriter();
    assertEquals(0, runCapturing(seen, err, java.util.Map.of(GlobalOptions.ENV_CA,
        ca.toString(), GlobalOptions.ENV_CERT, cert.toString(), GlobalOptions.ENV_KEY,
        key.toString()), "whoami"), err.toString());
    io.grpc.TlsChannelCredentials tls = (io.grpc.TlsChannelCredentials) seen[0]
        .channelCredentials();
    assertEquals(Files.readString(cert), new String(tls.getCertificateChain(),
        java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void clientCertificateOptions_areCheckedBeforeAnyCall(@TempDir Path dir) throws Exception {
    Path cert = pem(dir, "client.crt", "CERTIFICATE");
    Path key = pem(dir, "client.key", "PRIVATE KEY");
    ClientConfig[] seen = new ClientConfig[1];
    java.io.StringWriter err = new java.io.StringWriter();
    assertEquals(ExitCodes.USAGE, runCapturing(seen, err, java.util.Map.of(), "whoami",
        "--tls", "--cert", cert.toString()));
    assertTrue(err.toString().contains("--key"), err.toString());
    assertEquals(ExitCodes.USAGE, runCapturing(seen, err, java.util.Map.of(), "whoami",
        "--cert", cert.toString(), "--key", key.toString()));
    assertTrue(err.toString().contains("--ca"), err.toString());
    assertEquals(ExitCodes.USAGE, runCapturing(seen, err, java.util.Map.of(), "whoami",
        "--tls", "--cert", dir.resolve("missing.crt").toString(), "--key", key.toString()));
    assertTrue(err.toString().contains("missing.crt"), err.toString());
    assertNull(seen[0], "no connection was made");
  }
}
