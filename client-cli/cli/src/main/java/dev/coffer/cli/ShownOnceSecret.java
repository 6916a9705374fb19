package dev.coffer.cli;

import dev.coffer.api.v1.CreateSecretResponse;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The one path by which a freshly generated secret value reaches a person, shared by {@code secret
 * create} and {@code secret rotate}: the call runs with the {@code --out-file} already claimed
 * ({@link OutFile#createInto}), then the value is either shown once with its warning ({@link
 * Printer#shownOnce}) or, when it went to the file, left out of every output.
 *
 * <p>Security: the value is printed only by {@link Printer#shownOnce}, never next to a file.
 */
final class ShownOnceSecret {

  private ShownOnceSecret() {}

  /** Runs {@code call} with {@code outFile} (may be null) claimed first; see {@link OutFile}. */
  static CreateSecretResponse obtain(Path outFile, Supplier<CreateSecretResponse> call) {
    return OutFile.createInto(
        outFile, call, CreateSecretResponse::getValue, r -> r.getSecret().getName());
  }

  /** Shows the new secret: its value once, or only where it was written. */
  static void show(CreateSecretResponse response, Path outFile, Printer printer) {
    String[] summary = Printer.view(response.getSecret());
    if (outFile != null) {
      printer.storedInFile(response.toBuilder().clearValue(), summary, outFile);
    } else {
      printer.shownOnce(
          response,
          summary,
          response.getValue(),
          response.getSecret().getVaulted() ? Printer.WARN_VAULTED : Printer.WARN_VERIFIER);
    }
    if (!response.getPrivateKeyJwk().isEmpty() && !printer.isJson()) {
      printer.note("This is the private key (PKCS#8 PEM); the same key as a JWK, with kid "
          + response.getSecret().getKid() + ", is in --output json (private_key_jwk).");
    }
  }
}
