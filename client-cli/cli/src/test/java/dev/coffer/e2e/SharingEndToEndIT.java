package dev.coffer.e2e;

import static dev.coffer.e2e.CliProcess.json;
import static dev.coffer.e2e.CliProcess.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.AccessRequest;
import dev.coffer.api.v1.CreateApplicationResponse;
import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.api.v1.IssueTokenResponse;
import dev.coffer.api.v1.ListAccessRequestsResponse;
import dev.coffer.api.v1.RevealSecretResponse;
import dev.coffer.api.v1.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sharing flow through the CLI jar against the server jar as a real process:
 * request → approve → reveal → revoke → denied, then a direct grant, a rotation whose
 * grant carries over, and a stored credential distributed through a grant.
 */
class SharingEndToEndIT {

  @TempDir Path dir;

  @Test
  @Timeout(300)
  void requestApproveRevealRevokeDenied() throws Exception {
    Path tokenFile = dir.resolve("admin.token");
    try (ServerProcess server = ServerProcess.start(dir.resolve("data"), dir, "server",
        "--bootstrap-token-file", tokenFile.toString())) {
      String admin = Files.readString(tokenFile).trim();
      CliProcess cli = new CliProcess(server.address(), dir);
      ok(cli.run(admin, null, "principal", "create", "--name", "alice"));
      ok(cli.run(admin, null, "principal", "create", "--name", "bob"));
      String alice = json(cli.run(admin, null, "token", "issue", "--principal", "alice", "-o",
          "json"), IssueTokenResponse.getDefaultInstance()).getValue();
      String bob = json(cli.run(admin, null, "token", "issue", "--principal", "bob", "-o",
          "json"), IssueTokenResponse.getDefaultInstance()).getValue();
      String clientId = json(cli.run(alice, null, "app", "create", "--name", "payments_api",
          "--env", "production", "--flow", "authorization-code", "-o", "json"),
          CreateApplicationResponse.getDefaultInstance()).getApplication().getClientId();
      CreateSecretResponse created = json(cli.run(alice, null, "secret", "create", "--app",
          clientId, "--name", "db-password", "--vault", "--share", "--yes", "-o", "json"),
          CreateSecretResponse.getDefaultInstance());
      String secretId = created.getSecret().getSecretId();
      String value = created.getValue();

      assertEquals(12, cli.run(bob, null, "secret", "reveal", secretId).exit(),
          "no grant yet");
      AccessRequest req = json(cli.run(bob, null, "access", "request", secretId, "--reason",
          "incident 4411", "--duration", "8h", "-o", "json"), AccessRequest.getDefaultInstance());
      ListAccessRequestsResponse pending = json(cli.run(alice, null, "access", "list",
          "--pending", "-o", "json"), ListAccessRequestsResponse.getDefaultInstance());
      assertEquals(1, pending.getAccessRequestsCount());
      assertEquals(12, cli.run(bob, null, "access", "approve", req.getRequestId()).exit(),
          "nobody approves their own request");
      AccessRequest approved = json(cli.run(alice, null, "access", "approve",
          req.getRequestId(), "-o", "json"), AccessRequest.getDefaultInstance());
      assertTrue(approved.getGrant().startsWith("grants/"));

      assertEquals(value, json(cli.run(bob, null, "secret", "reveal", secretId, "-o", "json"),
          RevealSecretResponse.getDefaultInstance()).getValue());
      ok(cli.run(alice, null, "grant", "revoke", approved.getGrant()));
      CliProcess.Result denied = cli.run(bob, null, "secret", "reveal", secretId);
      assertEquals(12, denied.exit());
      assertTrue(denied.stderr().contains("GRANT_REVOKED"), denied.stderr());

      ok(cli.run(alice, null, "grant", "create", secretId, "--principal", "bob", "--for", "1h"));
      assertEquals(value, json(cli.run(bob, null, "secret", "reveal", secretId, "-o", "json"),
          RevealSecretResponse.getDefaultInstance()).getValue());
      CreateSecretResponse rotated = json(cli.run(alice, null, "secret", "rotate", secretId,
          "--overlap", "1h", "--yes", "-o", "json"), CreateSecretResponse.getDefaultInstance());
      assertEquals(rotated.getValue(), json(cli.run(bob, null, "secret", "reveal",
          rotated.getSecret().getSecretId(), "-o", "json"),
          RevealSecretResponse.getDefaultInstance()).getValue(), "the grant carried over");

      Path valueFile = dir.resolve("entra.secret");
      Files.writeString(valueFile, "entra-generated-" + "z".repeat(24) + "\n");
      Secret stored = json(cli.run(alice, null, "credential", "store", "--name",
          "payments-entra", "--client-id", "4f8e-entra", "--value-file", valueFile.toString(),
          "--location", "/", "--share", "-o", "json"), Secret.getDefaultInstance());
      AccessRequest req2 = json(cli.run(bob, null, "access", "request", stored.getSecretId(),
          "--reason", "deploy", "--duration", "1h", "-o", "json"),
          AccessRequest.getDefaultInstance());
      ok(cli.run(alice, null, "access", "approve", req2.getRequestId()));
      assertEquals("entra-generated-" + "z".repeat(24), json(cli.run(bob, null, "secret",
          "reveal", stored.getSecretId(), "-o", "json"),
          RevealSecretResponse.getDefaultInstance()).getValue());
      server.stop();
    }
  }

}
