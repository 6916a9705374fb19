package dev.coffer.server.api;

import com.google.protobuf.Timestamp;
import dev.coffer.api.v1.AuditEvent;
import dev.coffer.api.v1.AuditServiceGrpc;
import dev.coffer.api.v1.ExportAuditEventsRequest;
import dev.coffer.api.v1.ListAuditEventsRequest;
import dev.coffer.api.v1.ListAuditEventsResponse;
import dev.coffer.api.v1.VerifyAuditChainRequest;
import dev.coffer.api.v1.VerifyAuditChainResponse;
import dev.coffer.server.audit.AuditEntry;
import dev.coffer.server.audit.AuditFilter;
import dev.coffer.server.audit.AuditQuery;
import dev.coffer.server.service.operator.AuditTrailService;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * gRPC adapter of {@link AuditTrailService}. Export streams with flow control: events are
 * read in bounded batches only while the client keeps up ({@code isReady}), so a slow
 * reader never makes the server buffer the trail in memory; a cancelled export stops
 * reading. Every failure, before or during the stream, goes through {@link ErrorMapper}.
 */
public final class AuditGrpcService extends AuditServiceGrpc.AuditServiceImplBase {

  private final AuditTrailService trail;

  public AuditGrpcService(AuditTrailService trail) {
    this.trail = trail;
  }

  @Override
  public void listAuditEvents(ListAuditEventsRequest req,
      StreamObserver<ListAuditEventsResponse> out) {
    UnaryCalls.run(out, ctx -> {
      var page = trail.list(ctx, filter(req.hasFilter(), req.getFilter()), req.getPageToken(),
          req.getPageSize());
      var b = ListAuditEventsResponse.newBuilder().setNextPageToken(page.nextPageToken());
      page.items().forEach(e -> b.addEvents(event(e)));
      return b.build();
    });
  }

  @Override
  public void exportAuditEvents(ExportAuditEventsRequest req, StreamObserver<AuditEvent> out) {
    ServerCallStreamObserver<AuditEvent> call = (ServerCallStreamObserver<AuditEvent>) out;
    AuditQuery.Cursor cursor;
    try {
      cursor = trail.export(UnaryCalls.current(), filter(req.hasFilter(), req.getFilter()));
    } catch (RuntimeException e) {
      out.onError(ErrorMapper.toStatus(e));
      return;
    }
    new ExportPump(call, cursor).start();
  }

  @Override
  public void verifyAuditChain(VerifyAuditChainRequest req,
      StreamObserver<VerifyAuditChainResponse> out) {
    UnaryCalls.run(out, ctx -> {
      var result = trail.verify(ctx);
      return VerifyAuditChainResponse.newBuilder()
          .setIntact(result.intact())
          .setEventsChecked(result.eventsChecked())
          .setCheckpointsChecked(result.checkpointsChecked())
          .setFirstBreak(result.firstBreak().orElse(""))
          .build();
    });
  }

  static AuditFilter filter(boolean present, dev.coffer.api.v1.AuditFilter f) {
    if (!present) {
      return AuditFilter.ALL;
    }
    return AuditTrailService.filter(time("filter.since", f.hasSince(), f.getSince()),
        time("filter.until", f.hasUntil(), f.getUntil()), f.getActor(), f.getTarget(),
        f.getAction());
  }

  private static Instant time(String field, boolean present, Timestamp t) {
    return present ? ProtoMapper.instant(field, t) : null;
  }

  static AuditEvent event(AuditEntry e) {
    return AuditEvent.newBuilder()
        .setSequence(e.sequence())
        .setTime(ProtoMapper.timestamp(e.time()))
        .setTenantId(e.tenantId())
        .setActor(e.actor())
        .setAction(e.action())
        .setTarget(e.target())
        .setOutcome(e.outcome())
        .setReason(e.reason())
        .setRequestId(e.requestId())
        .setPeer(e.peer())
        .setPreviousHash(e.previousHash())
        .build();
  }

  /** Sends a cursor's events while the call is ready; runs on the call's serialized executor. */
  private static final class ExportPump implements Runnable {
    private final ServerCallStreamObserver<AuditEvent> call;
    private final AuditQuery.Cursor cursor;
    private final ArrayDeque<AuditEntry> buffer = new ArrayDeque<>();
    private boolean finished;

    ExportPump(ServerCallStreamObserver<AuditEvent> call, AuditQuery.Cursor cursor) {
      this.call = call;
      this.cursor = cursor;
    }

    void start() {
      call.setOnCancelHandler(() -> finished = true);
      call.setOnReadyHandler(this);
      run();
    }

    @Override
    public void run() {
      try {
        while (!finished && call.isReady()) {
          if (buffer.isEmpty()) {
            if (cursor.done()) {
              finished = true;
              call.onCompleted();
              return;
            }
            buffer.addAll(cursor.next());
            continue;
          }
          call.onNext(event(buffer.poll()));
        }
      } catch (RuntimeException e) {
        if (!finished) {
          finished = true;
          call.onError(ErrorMapper.toStatus(e));
        }
      }
    }
  }
}
