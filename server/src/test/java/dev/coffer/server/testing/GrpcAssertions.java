package dev.coffer.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** Assertions on gRPC failures: status code, ErrorInfo reason, BadRequest fields. */
public final class GrpcAssertions {

  private GrpcAssertions() {}

  public static StatusRuntimeException assertStatus(Status.Code code, Executable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    return e;
  }

  public static StatusRuntimeException assertReason(Status.Code code, String reason,
      Executable call) {
    StatusRuntimeException e = assertStatus(code, call);
    assertEquals(reason, reason(e), e.getStatus().toString());
    return e;
  }

  /** INVALID_ARGUMENT whose BadRequest names {@code field}. */
  public static void assertInvalidField(String field, Executable call) {
    StatusRuntimeException e = assertReason(Status.Code.INVALID_ARGUMENT, "INVALID_FIELD", call);
    List<String> fields = fields(e);
    if (!fields.contains(field)) {
      fail("expected a violation of " + field + " but got " + fields + ": " + e.getStatus());
    }
  }

  public static String reason(StatusRuntimeException e) {
    com.google.rpc.Status s = StatusProto.fromThrowable(e);
    if (s == null) {
      return "";
    }
    return s.getDetailsList().stream().filter(a -> a.is(ErrorInfo.class)).findFirst()
        .map(a -> {
          try {
            return a.unpack(ErrorInfo.class).getReason();
          } catch (Exception ex) {
            return "";
          }
        }).orElse("");
  }

  public static List<String> fields(StatusRuntimeException e) {
    com.google.rpc.Status s = StatusProto.fromThrowable(e);
    if (s == null) {
      return List.of();
    }
    return s.getDetailsList().stream().filter(a -> a.is(BadRequest.class)).flatMap(a -> {
      try {
        return a.unpack(BadRequest.class).getFieldViolationsList().stream()
            .map(BadRequest.FieldViolation::getField);
      } catch (Exception ex) {
        return java.util.stream.Stream.empty();
      }
    }).toList();
  }
}
