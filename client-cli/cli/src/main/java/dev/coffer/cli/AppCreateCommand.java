package dev.coffer.cli;

import dev.coffer.api.v1.CreateApplicationRequest;
import dev.coffer.api.v1.CreateApplicationResponse;
import dev.coffer.api.v1.OAuthFlow;
import dev.coffer.api.v1.SecurityType;
import dev.coffer.client.CofferClient;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer app create}: CreateApplication. A client-credentials client-secret application
 * comes with its first secret, shown once (or written to {@code --out-file}, mode 0600).
 */
@Command(name = "create", description = "Create an application (OAuth client).")
final class AppCreateCommand extends ClientCommand {

  /** {@code --security-type} values. */
  enum SecurityTypeOption {
    CLIENT_SECRET("client-secret", SecurityType.CLIENT_SECRET),
    SIGNED_JWT("signed-jwt", SecurityType.SIGNED_JWT);

    final String label;
    final SecurityType proto;

    SecurityTypeOption(String label, SecurityType proto) {
      this.label = label;
      this.proto = proto;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** {@code --flow} values. */
  enum FlowOption {
    CLIENT_CREDENTIALS("client-credentials", OAuthFlow.CLIENT_CREDENTIALS),
    AUTHORIZATION_CODE("authorization-code", OAuthFlow.AUTHORIZATION_CODE);

    final String label;
    final OAuthFlow proto;

    FlowOption(String label, OAuthFlow proto) {
      this.label = label;
      this.proto = proto;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  @Option(
      names = "--name",
      required = true,
      paramLabel = "CLIENT_NAME",
      description = "5+ letters, digits or '_', unique per tenant and environment.")
  String clientName;

  @Option(
      names = "--env",
      required = true,
      paramLabel = "ENV",
      description = "Environment, e.g. development, production.")
  String environment;

  @Option(
      names = "--security-type",
      paramLabel = "TYPE",
      description = "${COMPLETION-CANDIDATES} (server default client-secret).")
  SecurityTypeOption securityType;

  @Option(
      names = "--flow",
      paramLabel = "FLOW",
      description = "${COMPLETION-CANDIDATES} (server default client-credentials).")
  FlowOption flow;

  @Option(names = "--owner", paramLabel = "PRINCIPAL", description = "Owner (default: you).")
  String owner = "";

  @Option(
      names = "--out-file",
      paramLabel = "FILE",
      description = "Write the initial secret to FILE (new, mode 0600) instead of showing it.")
  Path outFile;

  @Override
  protected void checkLocally() {
    OutFile.refuseExisting(outFile);
  }

  @Override
  protected int run(CofferClient client, Printer printer) {
    CreateApplicationRequest.Builder request =
        CreateApplicationRequest.newBuilder()
            .setClientName(clientName)
            .setEnvironment(environment)
            .setOwner(owner);
    if (securityType != null) {
      request.setSecurityType(securityType.proto);
    }
    if (flow != null) {
      request.setFlow(flow.proto);
    }
    CreateApplicationResponse response =
        OutFile.createInto(
            outFile,
            () -> client.applications().createApplication(request.build()),
            CreateApplicationResponse::getInitialSecretValue,
            r -> r.getInitialSecret().getName());
    String[] summary = summary(response);
    if (response.getInitialSecretValue().isEmpty()) {
      printer.print(response, summary);
      if (outFile != null) {
        printer.note("No initial secret for this application; " + outFile + " was not written.");
      }
    } else if (outFile != null) {
      printer.storedInFile(response.toBuilder().clearInitialSecretValue(), summary, outFile);
    } else {
      printer.shownOnce(
          response,
          summary,
          response.getInitialSecretValue(),
          response.getInitialSecret().getVaulted() ? Printer.WARN_VAULTED : Printer.WARN_VERIFIER);
    }
    return ExitCodes.OK;
  }

  private static String[] summary(CreateApplicationResponse response) {
    String[] app = Printer.view(response.getApplication());
    String[] kv = Arrays.copyOf(app, app.length + 2);
    kv[app.length] = "initial secret";
    kv[app.length + 1] = response.getInitialSecret().getName();
    return kv;
  }
}
