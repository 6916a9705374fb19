package dev.coffer.cli;

import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.client.CofferClient;
import dev.coffer.client.ResourceNames;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code coffer secret create}: CreateSecret, from flags or, at a terminal with {@code --app} or
 * {@code --name} missing (or with {@code --interactive}), through the {@link SecretWizard}.
 *
 * <p>The generated value is shown once or written to a new {@code --out-file} with mode 0600 (see
 * {@link ShownOnceSecret}); an existing file is refused before anything is asked or
 * created. Security: the value is never a flag, never logged, and not printed with --out-file.
 */
@Command(name = "create", description = {
    "Create a secret for an application or a scope (value shown once).",
    "A signed-JWT application gets a key pair: the private key is shown once as PKCS#8 PEM",
    "(stdout, or --out-file) and as a JWK (--output json: private_key_jwk)."})
final class SecretCreateCommand extends ClientCommand {

  /** {@code --algorithm} values. */
  enum AlgorithmOption {
    es256(dev.coffer.api.v1.KeyAlgorithm.ES256),
    rs256(dev.coffer.api.v1.KeyAlgorithm.RS256);

    final dev.coffer.api.v1.KeyAlgorithm proto;

    AlgorithmOption(dev.coffer.api.v1.KeyAlgorithm proto) {
      this.proto = proto;
    }
  }

  @Option(names = "--app", paramLabel = "CLIENT_ID", description = "The application (client id).")
  String app;

  @Option(names = "--scope", paramLabel = "SCOPE_ID", description = "A scope instead of an application.")
  String scope;

  @Option(names = "--algorithm", paramLabel = "ALG",
      description = "Key pair of a signed-JWT application: ${COMPLETION-CANDIDATES} (default es256).")
  AlgorithmOption algorithm;

  @Option(names = "--name", paramLabel = "NAME", description = "Display name, 1-128 characters.")
  String name;

  @Option(names = "--vault", description = "Keep an encrypted copy that can be revealed later.")
  boolean vault;

  @Mixin NewSecretOptions settings;

  @Option(
      names = "--out-file",
      paramLabel = "FILE",
      description = "Write the value to FILE (new, mode 0600) instead of showing it.")
  Path outFile;

  @Option(names = "--yes", description = "Do not ask for confirmation in the wizard.")
  boolean yes;

  @Option(names = {"-i", "--interactive"}, description = "Ask for each field (the wizard).")
  boolean interactive;

  @Override
  protected void checkLocally() {
    OutFile.refuseExisting(outFile);
    if (app != null && scope != null) {
      throw usage("give --app or --scope, not both");
    }
    if (scope != null) {
      name(ResourceNames::scope, scope);
    }
    if (!useWizard() && ((app == null && scope == null) || name == null)) {
      throw usage(
          "Missing required option"
              + (app == null && name == null ? "s: '--app=CLIENT_ID', '--name=NAME'"
                  : app == null ? ": '--app=CLIENT_ID'" : ": '--name=NAME'")
              + " (or run it in a terminal, or with --interactive, for the wizard)");
    }
    if (app != null) {
      name(ResourceNames::application, app);
    }
  }

  private boolean useWizard() {
    return interactive || (ctx.terminal() && ((app == null && scope == null) || name == null));
  }

  @Override
  protected int run(CofferClient client, Printer printer) {
    SecretDraft draft = draft();
    Function<CreateSecretRequest, CreateSecretResponse> create =
        request -> ShownOnceSecret.obtain(outFile, () -> client.secrets().createSecret(request));
    Optional<CreateSecretResponse> created;
    if (!useWizard() && !draft.readersWarning().isEmpty()) {
      printer.note(draft.readersWarning());
    }
    if (useWizard()) {
      created = new SecretWizard(ctx.prompter(), ctx.clock()).run(draft, !yes, create);
    } else {
      created = Optional.of(create.apply(draft.toRequest(ctx.clock())));
    }
    created.ifPresent(response -> ShownOnceSecret.show(response, outFile, printer));
    return ExitCodes.OK;
  }

  private SecretDraft draft() {
    SecretDraft d = new SecretDraft();
    d.app = app;
    d.scope = scope;
    d.algorithm = algorithm == null ? null : algorithm.proto;
    d.name = name;
    d.description = settings.description;
    d.expiration = settings.expires;
    d.location = settings.location;
    d.vaulted = vault;
    d.sharing = settings.share;
    d.owner = settings.owner;
    d.preapproveOwner = settings.preapproveOwner;
    return d;
  }
}
