package dev.coffer.e2e;

import static dev.coffer.e2e.CliProcess.json;
import static dev.coffer.e2e.CliProcess.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.CreateApplicationResponse;
import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.api.v1.GetJwksResponse;
import dev.coffer.api.v1.ReportLeakResponse;
import dev.coffer.api.v1.Secret;
import dev.coffer.api.v1.SecretState;
import dev.coffer.api.v1.VerifyClientAssertionResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #7 through the CLI jar against the server jar as a real process: a signed-JWT
 * application's key pair (PEM to a 0600 file), assertions made by {@code coffer jwt assert}
 * and checked by {@code coffer jwt verify} against the server's configured audience (a replay
 * refused), the JWK Set; a scope's secret verified by scope; a leak report without a token
 * that quarantines the secret, then rotation and release.
 */
class SignedJwtAndLeaksEndToEndIT {

  static final String AUD = "https://as.example/token";

  @TempDir Path dir;

  @Test
  @Timeout(300)
  void keyPairAssertionsScopesAndLeakReports() throws Exception {
    Path tokenFile = dir.resolve("admin.token");
    try (ServerProcess server = ServerProcess.start(dir.resolve("data"), dir, "server",
        "--bootstrap-token-file", tokenFile.toString(), "--assertion-audience", AUD)) {
      String admin = Files.readString(tokenFile).trim();
      CliProcess cli = new CliProcess(server.address(), dir);

      Path keyFile = dir.resolve("signer.pem");
      CreateApplicationResponse app = json(cli.run(admin, null, "app", "create", "--name",
          "signer_api", "--env", "production", "--security-type", "signed-jwt", "--out-file",
          keyFile.toString(), "-o", "json"), CreateApplicationResponse.getDefaultInstance());
      String clientId = app.getApplication().getClientId();
      assertTrue(Files.readString(keyFile).startsWith("-----BEGIN PRIVATE KEY-----"));
      assertEquals("", app.getInitialSecretValue(), "the key went to the file only");
      String kid = app.getInitialSecret().getKid();

      String assertion = ok(cli.run(null, null, "jwt", "assert", "--client-id", clientId,
          "--key-file", keyFile.toString(), "--kid", kid, "--aud", AUD)).stdout().strip();
      VerifyClientAssertionResponse valid = json(cli.run(admin, assertion + "\n", "jwt",
          "verify", "--client-id", clientId, "-o", "json"),
          VerifyClientAssertionResponse.getDefaultInstance());
      assertTrue(valid.getValid(), valid.getDetail());
      assertEquals(app.getInitialSecret().getName(), valid.getKey());
      CliProcess.Result replay = cli.run(admin, assertion + "\n", "jwt", "verify");
      assertEquals(3, replay.exit());
      assertTrue(replay.stdout().contains("ASSERTION_REPLAYED"), replay.stdout());

      GetJwksResponse jwks = json(cli.run(admin, null, "jwt", "jwks", "--app", clientId, "-o",
          "json"), GetJwksResponse.getDefaultInstance());
      assertTrue(jwks.getJwks().contains(kid));

      ok(cli.run(admin, null, "scope", "create", "orders.read"));
      CreateSecretResponse scoped = json(cli.run(admin, null, "secret", "create", "--scope",
          "orders.read", "--name", "introspection", "-o", "json"),
          CreateSecretResponse.getDefaultInstance());
      ok(cli.run(admin, scoped.getValue() + "\n", "secret", "verify", "--scope", "orders.read"));

      ReportLeakResponse report = json(cli.run(null, scoped.getValue() + "\n", "leak", "report",
          "-o", "json"), ReportLeakResponse.getDefaultInstance());
      assertTrue(!report.getReportId().isEmpty());
      String id = scoped.getSecret().getSecretId();
      Secret quarantined = json(cli.run(admin, null, "secret", "get", id, "-o", "json"),
          Secret.getDefaultInstance());
      assertEquals(SecretState.QUARANTINED, quarantined.getState());
      CliProcess.Result refused = cli.run(admin, scoped.getValue() + "\n", "secret", "verify",
          "--scope", "orders.read");
      assertEquals(12, refused.exit());
      assertTrue(refused.stderr().contains("SECRET_QUARANTINED"), refused.stderr());
      assertEquals(15, cli.run(admin, null, "secret", "unquarantine", id).exit(),
          "rotate first");
      ok(cli.run(admin, null, "secret", "rotate", id, "--overlap", "1h", "--yes"));
      ok(cli.run(admin, null, "secret", "unquarantine", id));
      ok(cli.run(admin, scoped.getValue() + "\n", "secret", "verify", "--scope",
          "orders.read"));
      server.stop();
    }
  }
}
