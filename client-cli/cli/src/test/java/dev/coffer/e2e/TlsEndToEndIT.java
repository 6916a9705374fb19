package dev.coffer.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server jar serving TLS on 127.0.0.1 with a certificate made at test time by the
 * JDK's keytool, and the CLI jar trusting it with {@code --ca}; a CLI that does not trust
 * it fails to connect.
 */
class TlsEndToEndIT {

  @TempDir Path dir;

  @Test
  @Timeout(180)
  void cliWithTheServersCa_talksTls_andOthersCannot() throws Exception {
    Path cert = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    selfSigned(cert, key);
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

  /** A self-signed EC certificate for 127.0.0.1 via keytool, written as PEM cert + PKCS#8 key. */
  private void selfSigned(Path certPem, Path keyPem) throws Exception {
    Path store = dir.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext",
        "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", "changeit").inheritIO().start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    Key key = ks.getKey("server", "changeit".toCharArray());
    Files.writeString(certPem, pem("CERTIFICATE", ks.getCertificate("server").getEncoded()));
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
