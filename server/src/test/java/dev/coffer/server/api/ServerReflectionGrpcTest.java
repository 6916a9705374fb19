package dev.coffer.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import dev.coffer.server.testing.CofferExtension;
import dev.coffer.server.testing.InProcessServer;
import io.grpc.MethodDescriptor;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Server reflection, asked the way grpcurl, Postman and Evans ask it (grpc-java's v1
 * reflection stub, no token: reflection is open like health): every {@code coffer.v1}
 * service is listed, and each one's file descriptor describes it with all its methods.
 */
class ServerReflectionGrpcTest {

  @RegisterExtension
  final CofferExtension fixture = CofferExtension.inProcessServer().build();
  InProcessServer coffer;

  @BeforeEach
  void setUp() throws Exception {
    coffer = fixture.coffer();
  }

  /** One request on one reflection stream; its one response. */
  ServerReflectionResponse ask(ServerReflectionRequest request) throws InterruptedException {
    LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    StreamObserver<ServerReflectionRequest> out = ServerReflectionGrpc.newStub(coffer.channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse r) {
            answers.add(r);
          }

          @Override
          public void onError(Throwable t) {
            answers.add(t);
          }

          @Override
          public void onCompleted() { }
        });
    out.onNext(request);
    out.onCompleted();
    Object answer = answers.poll(10, TimeUnit.SECONDS);
    if (answer instanceof ServerReflectionResponse r) {
      return r;
    }
    throw new AssertionError("no reflection answer: " + answer);
  }

  /** Every coffer.v1 service and its methods, from the generated stubs. */
  static TreeMap<String, Set<String>> api() {
    TreeMap<String, Set<String>> api = new TreeMap<>();
    for (MethodDescriptor<?, ?> m : TransportGrpcTest.allMethods()) {
      api.computeIfAbsent(m.getServiceName(), s -> new TreeSet<>()).add(m.getBareMethodName());
    }
    return api;
  }

  @Test
  void listServices_namesEveryCofferService_besideHealthAndReflection() throws Exception {
    List<String> listed = new ArrayList<>();
    for (ServiceResponse s : ask(ServerReflectionRequest.newBuilder().setListServices("")
        .build()).getListServicesResponse().getServiceList()) {
      listed.add(s.getName());
    }
    Set<String> expected = new TreeSet<>(api().keySet());
    expected.add("grpc.health.v1.Health");
    expected.add("grpc.reflection.v1.ServerReflection");
    assertEquals(expected, new TreeSet<>(listed));
    assertEquals(17, api().size());
  }

  @Test
  void everyCofferService_isDescribed_withEveryMethod() throws Exception {
    for (var service : api().entrySet()) {
      ServerReflectionResponse r = ask(ServerReflectionRequest.newBuilder()
          .setFileContainingSymbol(service.getKey()).build());
      Set<String> described = new TreeSet<>();
      for (ByteString bytes : r.getFileDescriptorResponse().getFileDescriptorProtoList()) {
        FileDescriptorProto file = FileDescriptorProto.parseFrom(bytes);
        for (ServiceDescriptorProto s : file.getServiceList()) {
          if ((file.getPackage() + "." + s.getName()).equals(service.getKey())) {
            s.getMethodList().forEach(m -> described.add(m.getName()));
          }
        }
      }
      assertEquals(service.getValue(), described, service.getKey());
    }
  }
}
