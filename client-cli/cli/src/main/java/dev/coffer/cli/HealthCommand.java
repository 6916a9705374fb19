package dev.coffer.cli;

import dev.coffer.client.CofferClient;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer health}: the standard gRPC health check (no token needed), for container
 * health checks and scripts. Exit 0 when SERVING, {@link ExitCodes#UNAVAILABLE} otherwise.
 */
@Command(name = "health", description = "Check that the server is SERVING (no token needed).")
final class HealthCommand extends ClientCommand {

  @Option(names = "--service", paramLabel = "NAME",
      description = "A service to check, e.g. coffer.v1.SecretService (default: the server).")
  String service = "";

  @Override
  protected int run(CofferClient client, Printer printer) {
    HealthCheckResponse response = client.health()
        .check(HealthCheckRequest.newBuilder().setService(service).build());
    printer.print(response, "status", response.getStatus().name());
    return response.getStatus() == ServingStatus.SERVING ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
  }
}
