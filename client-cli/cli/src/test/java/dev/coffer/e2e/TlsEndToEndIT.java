package dev.coffer.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server jar serving TLS on 127.0.0.1 with a self-signed certificate made at test time by
 * the shared {@link TestCertificates} fixture, and the CLI jar trusting it with {@code --ca};
 * a CLI that does not trust it fails to connect.
 */
class TlsEndToEndIT {

  @TempDir Path dir;

  @Test
  @Timeout(180)
  void cliWithTheServersCa_talksTls_andOthersCannot() throws Exception {
    TestCertificates.Pem pem = TestCertificates.selfSigned(dir, "server", 1);
    Path cert = pem.cert();
    Path key = pem.key();
    Path tokenFile = dir.resolve("admin.token");
    try (ServerProcess server = ServerProcess.start(dir.resolve("data"), dir, "tls",
        "--tls-cert", cert.toString(), "--tls-key", key.toString(),
        "--bootstrap-token-file", tokenFile.toString())) {
      String admin = Files.readString(tokenFile).trim();
      CliProcess cli = new CliProcess(server.address(), dir);
      CliProcess.Result ok = cli.run(admin, null, "whoami", "--ca", cert.toString());
      assertEquals(0, ok.exit(), ok.stderr());
      assertTrue(ok.stdout().contains("admin"), ok.stdout());
      CliProcess.Result health = cli.run(null, null, "health", "--ca", cert.toString());
      assertEquals(0, health.exit(), "the health check needs no token: " + health.stderr());
      assertTrue(health.stdout().contains("SERVING"), health.stdout());
      CliProcess.Result plaintext = cli.run(admin, null, "whoami", "--timeout", "5s");
      assertEquals(19, plaintext.exit(), "a plaintext client cannot talk to a TLS port");
      assertTrue(!server.log().contains("plaintext gRPC on loopback only"));
      server.stop();
    }
  }
}
