package dev.coffer.server.api;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place that turns failures into gRPC statuses: a {@link CofferException} becomes
 * a {@code google.rpc.Status} with an {@code ErrorInfo} (domain {@value #DOMAIN}, the
 * reason's name, and the exception's metadata) and, for INVALID_ARGUMENT, a {@code BadRequest} naming each field. Any
 * other exception becomes INTERNAL with a fixed message: exception text never reaches a
 * client, and is logged only by class name.
 */
public final class ErrorMapper {

  public static final String DOMAIN = "coffer.dev";
  private static final Logger LOG = Logger.getLogger(ErrorMapper.class.getName());

  private ErrorMapper() {}

  public static StatusRuntimeException toStatus(Throwable t) {
    if (t instanceof StatusRuntimeException sre) {
      return sre;
    }
    if (t instanceof CofferException e) {
      return fromCoffer(e);
    }
    LOG.log(Level.WARNING, "internal error: {0}", t.getClass().getName());
    return fromCoffer(new CofferException(Reason.INTERNAL_ERROR, "internal error"));
  }

  private static StatusRuntimeException fromCoffer(CofferException e) {
    Code code = code(e.reason().kind());
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
        .setCode(code.getNumber())
        .setMessage(e.getMessage())
        .addDetails(Any.pack(ErrorInfo.newBuilder()
            .setReason(e.reason().name())
            .setDomain(DOMAIN)
            .putAllMetadata(e.metadata())
            .build()));
    if (!e.violations().isEmpty()) {
      BadRequest.Builder bad = BadRequest.newBuilder();
      for (CofferException.FieldViolation v : e.violations()) {
        bad.addFieldViolations(BadRequest.FieldViolation.newBuilder()
            .setField(v.field()).setDescription(v.description()));
      }
      status.addDetails(Any.pack(bad.build()));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  /**
   * Codes follow grpc-java's {@code Status} guidance: UNAVAILABLE only where a retry may
   * succeed, FAILED_PRECONDITION where the system state must change first, ABORTED for
   * concurrency conflicts (etag mismatch).
   */
  static Code code(Reason.Kind kind) {
    return switch (kind) {
      case INVALID -> Code.INVALID_ARGUMENT;
      case UNAUTHENTICATED -> Code.UNAUTHENTICATED;
      case DENIED -> Code.PERMISSION_DENIED;
      case NOT_FOUND -> Code.NOT_FOUND;
      case CONFLICT -> Code.ALREADY_EXISTS;
      case ABORTED -> Code.ABORTED;
      case PRECONDITION -> Code.FAILED_PRECONDITION;
      case RATE_LIMITED -> Code.RESOURCE_EXHAUSTED;
      case DATA_LOSS -> Code.DATA_LOSS;
      case UNAVAILABLE -> Code.UNAVAILABLE;
      case DEADLINE -> Code.DEADLINE_EXCEEDED;
      case INTERNAL -> Code.INTERNAL;
    };
  }

  /** The status code for a reason, for tests and interceptors. */
  public static Status.Code statusCode(Reason reason) {
    return Status.fromCodeValue(code(reason.kind()).getNumber()).getCode();
  }
}
