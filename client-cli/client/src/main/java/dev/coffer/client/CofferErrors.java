package dev.coffer.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a failed call into one line a person can act on: the status code, the description, and
 * from the {@code google.rpc.Status} details the {@code ErrorInfo} reason and each {@code
 * BadRequest} field violation, e.g. {@code INVALID_ARGUMENT: bad request (reason INVALID_FIELD);
 * field display_name: must not be empty}.
 *
 * <p>Security: shows only what the server put in the status, which by contract never holds a
 * secret value or token; the client's own request is never echoed.
 */
public final class CofferErrors {

  private CofferErrors() {}

  /** The code of {@code t} as gRPC sees it ({@code UNKNOWN} for a non-gRPC throwable). */
  public static Status.Code code(Throwable t) {
    return Status.fromThrowable(t).getCode();
  }

  /** A one-line message for a {@link io.grpc.StatusRuntimeException} or {@link io.grpc.StatusException}. */
  public static String describe(Throwable t) {
    Status status = Status.fromThrowable(t);
    com.google.rpc.Status rich = StatusProto.fromThrowable(t);
    String description = status.getDescription();
    if ((description == null || description.isBlank()) && rich != null) {
      description = rich.getMessage();
    }
    StringBuilder out = new StringBuilder(status.getCode().name());
    if (description != null && !description.isBlank()) {
      out.append(": ").append(description.strip());
    }
    if (status.getCode() == Status.Code.UNAVAILABLE && status.getCause() != null
        && status.getCause().getMessage() != null) {
      // A local transport failure (e.g. "Connection refused: /127.0.0.1:7443"); never server data.
      out.append(" (").append(status.getCause().getMessage()).append(')');
    }
    if (rich == null) {
      return out.toString();
    }
    List<String> parts = new ArrayList<>();
    for (Any detail : rich.getDetailsList()) {
      details(detail, out, parts);
    }
    for (String part : parts) {
      out.append("; ").append(part);
    }
    return out.toString();
  }

  private static void details(Any detail, StringBuilder head, List<String> parts) {
    try {
      if (detail.is(ErrorInfo.class)) {
        ErrorInfo info = detail.unpack(ErrorInfo.class);
        if (!info.getReason().isEmpty()) {
          head.append(" (reason ").append(info.getReason()).append(')');
        }
      } else if (detail.is(BadRequest.class)) {
        for (BadRequest.FieldViolation v : detail.unpack(BadRequest.class).getFieldViolationsList()) {
          parts.add("field " + v.getField() + ": " + v.getDescription());
        }
      }
    } catch (InvalidProtocolBufferException e) {
      parts.add("(unreadable error detail " + detail.getTypeUrl() + ")");
    }
  }
}
