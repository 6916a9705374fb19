package dev.coffer.cli;

import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.api.v1.RotateSecretRequest;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffer secret rotate ID}: RotateSecret. The new value is shown once exactly as {@code
 * secret create} shows it ({@link ShownOnceSecret}); the old secret stays valid for {@code
 * --overlap} (default: none, it stops verifying now).
 *
 * <p>Rotation can break whoever still uses the old value, so it is confirmed: at a terminal by a
 * prompt, elsewhere by {@code --yes} (without it, a usage error before any call). An existing
 * {@code --out-file} is refused before the prompt. Security: as for create.
 */
@Command(
    name = "rotate",
    description = "Replace a secret with a new one, same settings (new value shown once).")
final class SecretRotateCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = "Secret id (or secrets/ID).")
  String id;

  @Option(
      names = "--overlap",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long the old secret stays valid, e.g. 7d (default: none, it expires now).")
  Duration overlap;

  @Option(names = "--etag", paramLabel = "ETAG", description = "Only if the secret still has ETAG.")
  String etag = "";

  @Option(
      names = "--out-file",
      paramLabel = "FILE",
      description = "Write the new value to FILE (new, mode 0600) instead of showing it.")
  Path outFile;

  @Option(names = "--yes", description = "Do not ask for confirmation (needed when not at a terminal).")
  boolean yes;

  @Override
  protected void checkLocally() {
    OutFile.refuseExisting(outFile);
    name(ResourceNames::secret, id);
    if (!yes && !ctx.terminal()) {
      throw usage("secret rotate replaces the secret: confirm with --yes when not at a terminal");
    }
  }

  @Override
  protected int run(CofferClient client, Printer printer) {
    String resource = name(ResourceNames::secret, id);
    if (!yes && !confirmed(resource)) {
      printer.note("Cancelled; nothing was rotated.");
      return ExitCodes.OK;
    }
    RotateSecretRequest.Builder request =
        RotateSecretRequest.newBuilder().setName(resource).setEtag(etag);
    if (overlap != null) {
      request.setOverlap(DurationConverter.toProto(overlap));
    }
    CreateSecretResponse response =
        ShownOnceSecret.obtain(outFile, () -> client.secrets().rotateSecret(request.build()));
    ShownOnceSecret.show(response, outFile, printer);
    printer.note("The old secret " + resource + " " + oldSecretFate() + ".");
    return ExitCodes.OK;
  }

  private String oldSecretFate() {
    return overlap == null
        ? "stops verifying now"
        : "stays valid for " + Printer.duration(DurationConverter.toProto(overlap));
  }

  private boolean confirmed(String resource) {
    return Confirmation.ask(ctx, "Rotate " + resource + "? The old value " + oldSecretFate()
        + ".");
  }
}
