package dev.coffer.server.api;

import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.coffer.server.domain.CofferException;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a request that is not a valid protobuf message (garbage bytes) fail with
 * INVALID_ARGUMENT naming the {@code request}, instead of gRPC's UNKNOWN: each method's
 * request marshaller turns a parse failure into the empty message carrying a private
 * marker field, and an interceptor closes calls that receive such a message before any
 * handler sees it.
 */
public final class MalformedRequestGuard {

  /** The largest legal field number; Coffer's API never uses it. */
  static final int MARKER_FIELD = 536_870_911;

  private MalformedRequestGuard() {}

  /**
   * The service with lenient request parsing. Its descriptor keeps the original's schema
   * (the proto file descriptor), so server reflection still lists and describes it.
   */
  public static ServerServiceDefinition guard(ServerServiceDefinition service) {
    ServiceDescriptor original = service.getServiceDescriptor();
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
        .setSchemaDescriptor(original.getSchemaDescriptor());
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<?, ?> guarded = guarded(method);
      methods.add(guarded);
      descriptor.addMethod(guarded.getMethodDescriptor());
    }
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(b::addMethod);
    return ServerInterceptors.intercept(b.build(), new RejectMarked());
  }

  private static <Q, A> ServerMethodDefinition<Q, A> guarded(ServerMethodDefinition<Q, A> m) {
    MethodDescriptor<Q, A> d = m.getMethodDescriptor();
    if (!(d.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<Q> inner)
        || !(inner.getMessagePrototype() instanceof Message prototype)) {
      return m;
    }
    MethodDescriptor.Marshaller<Q> lenient = new MethodDescriptor.PrototypeMarshaller<>() {
      @Override
      public InputStream stream(Q value) {
        return inner.stream(value);
      }

      @Override
      @SuppressWarnings("unchecked")
      public Q parse(InputStream stream) {
        try {
          return inner.parse(stream);
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.INTERNAL) {
            throw e;
          }
          return (Q) prototype.toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
              .addField(MARKER_FIELD, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
              .build()).build();
        }
      }

      @Override
      public Q getMessagePrototype() {
        return inner.getMessagePrototype();
      }

      @Override
      public Class<Q> getMessageClass() {
        return inner.getMessageClass();
      }
    };
    return ServerMethodDefinition.create(d.toBuilder().setRequestMarshaller(lenient).build(),
        m.getServerCallHandler());
  }

  private static boolean isMarked(Object message) {
    return message instanceof Message msg && msg.getUnknownFields().hasField(MARKER_FIELD);
  }

  /** Closes a call whose request failed to parse, with INVALID_ARGUMENT. */
  private static final class RejectMarked implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
        ServerCallHandler<Q, A> next) {
      return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
        private boolean rejected;

        @Override
        public void onMessage(Q message) {
          if (isMarked(message)) {
            rejected = true;
            StatusRuntimeException status = ErrorMapper.toStatus(CofferException.invalid(
                "request", "is not a valid " + call.getMethodDescriptor().getFullMethodName()
                    + " request message"));
            call.close(status.getStatus(), status.getTrailers());
            return;
          }
          super.onMessage(message);
        }

        @Override
        public void onHalfClose() {
          if (!rejected) {
            super.onHalfClose();
          }
        }
      };
    }
  }
}
