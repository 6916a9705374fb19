package dev.coffer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;

class CofferErrorsTest {

  @Test
  void richStatus_showsCodeDescriptionReasonAndEachFieldViolation() {
    com.google.rpc.Status rich =
        com.google.rpc.Status.newBuilder()
            .setCode(Code.INVALID_ARGUMENT_VALUE)
            .setMessage("bad request")
            .addDetails(
                Any.pack(
                    ErrorInfo.newBuilder().setReason("INVALID_FIELD").setDomain("coffer.dev").build()))
            .addDetails(
                Any.pack(
                    BadRequest.newBuilder()
                        .addFieldViolations(
                            BadRequest.FieldViolation.newBuilder()
                                .setField("display_name")
                                .setDescription("must not be empty"))
                        .addFieldViolations(
                            BadRequest.FieldViolation.newBuilder()
                                .setField("location")
                                .setDescription("must exist"))
                        .build()))
            .build();
    assertEquals(
        "INVALID_ARGUMENT: bad request (reason INVALID_FIELD); field display_name: must not be"
            + " empty; field location: must exist",
        CofferErrors.describe(StatusProto.toStatusRuntimeException(rich)));
  }

  @Test
  void plainStatus_showsCodeAndDescription() {
    assertEquals(
        "NOT_FOUND: secret not found",
        CofferErrors.describe(Status.NOT_FOUND.withDescription("secret not found").asRuntimeException()));
  }

  @Test
  void statusWithoutDescription_showsTheCodeAlone() {
    assertEquals("PERMISSION_DENIED", CofferErrors.describe(Status.PERMISSION_DENIED.asException()));
  }

  @Test
  void errorInfoAlone_addsItsReason() {
    com.google.rpc.Status rich =
        com.google.rpc.Status.newBuilder()
            .setCode(Code.PERMISSION_DENIED_VALUE)
            .setMessage("no grant")
            .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("NO_ACTIVE_GRANT").build()))
            .build();
    assertEquals(
        "PERMISSION_DENIED: no grant (reason NO_ACTIVE_GRANT)",
        CofferErrors.describe(StatusProto.toStatusRuntimeException(rich)));
  }

  @Test
  void code_ofANonGrpcThrowable_isUnknown() {
    assertEquals(Status.Code.UNKNOWN, CofferErrors.code(new IllegalStateException("x")));
  }
}
