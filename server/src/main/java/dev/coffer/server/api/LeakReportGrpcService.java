package dev.coffer.server.api;

import dev.coffer.api.v1.LeakReportServiceGrpc;
import dev.coffer.api.v1.ReportLeakRequest;
import dev.coffer.api.v1.ReportLeakResponse;
import dev.coffer.server.domain.SecretValue;
import dev.coffer.server.service.secrets.LeakReports;
import io.grpc.stub.StreamObserver;

/**
 * gRPC adapter of {@link LeakReports}: the one Coffer method that runs without a
 * principal. Every well-formed report gets the same response, its request id; the value is
 * wiped after the check.
 */
public final class LeakReportGrpcService extends LeakReportServiceGrpc.LeakReportServiceImplBase {

  private final LeakReports reports;

  public LeakReportGrpcService(LeakReports reports) {
    this.reports = reports;
  }

  @Override
  public void reportLeak(ReportLeakRequest req, StreamObserver<ReportLeakResponse> out) {
    UnaryCalls.runAnonymous(out, caller -> {
      try (SecretValue value = SecretValue.ofString(req.getValue())) {
        reports.report(caller.requestId(), caller.remote(), value);
      }
      return ReportLeakResponse.newBuilder().setReportId(caller.requestId()).build();
    });
  }
}
