package dev.coffer.server.fuzz;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.coffer.server.api.ErrorMapper;
import dev.coffer.server.audit.ChainedAuditLog;
import dev.coffer.server.fuzz.FuzzWorld.Caller;
import dev.coffer.server.store.RocksDatabase;
import dev.coffer.server.store.Table;
import dev.coffer.server.store.records.pb.AuditRec;
import dev.coffer.server.testing.InProcessServer;
import dev.coffer.server.testing.RawBytes;
import dev.coffer.server.testing.StorageScan;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * Sends one request's bytes to one RPC as one caller, over a byte marshaller (so garbage
 * reaches the server as it is), and checks what every answer must satisfy:
 * <ul>
 *   <li>the status is never INTERNAL or UNKNOWN (nor DEADLINE_EXCEEDED: nothing may hang);
 *   <li>its description names no exception, class, package or stack frame;
 *   <li>a refusal carries Coffer's ErrorInfo, and an INVALID_ARGUMENT a BadRequest naming a
 *       field (SPEC §8: "a precise INVALID_ARGUMENT naming the field");
 *   <li>a refused call writes nothing but its audit events: RocksDB's sequence number moves
 *       by exactly what those events' batches put (2 keys per event, 1 head per batch, 2 per
 *       checkpoint), or not at all when nothing was audited;
 *   <li>a vaulted value comes back only from RevealSecret (or where the request carried it),
 *       and no token or secret value is ever in a status;
 *   <li>the server still answers a health check.
 * </ul>
 * A violation throws {@link AssertionError} naming the RPC and caller, never the request.
 */
final class RpcProbe {

  private static final Pattern LEAKY = Pattern.compile(
      "Exception|Error:|java\\.|javax\\.|dev\\.coffer|com\\.google|io\\.grpc|org\\.rocksdb"
          + "|\\bat [\\w$]+(\\.[\\w$<>]+)+\\(|\\.java:\\d+");
  private static final long STREAM_WAIT_MS = 10_000;
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = RawBytes.MARSHALLER;

  private final FuzzWorld world;
  private final RocksDatabase rocks;
  private final ChainedAuditLog audit;
  private final AtomicBoolean echoes =
      new AtomicBoolean();

  RpcProbe(FuzzWorld world) {
    this.world = world;
    this.rocks = world.coffer.vault.vault.storage().rocks();
    this.audit = (ChainedAuditLog) world.coffer.vault.vault.kernel()
        .audit();
  }

  /** Sends {@code request} and checks the answer; returns its status code. */
  Status.Code call(RpcCatalog.Rpc rpc, Caller caller, byte[] request) {
    settle();
    long seq0 = rocks.latestSequenceNumber();
    long audit0 = audit.lastSequence();
    int watches0 = world.coffer.vault.vault.lifecycle().events().subscriptionCount();
    Answer answer = send(rpc, caller, request, watches0);
    Status status = answer.status();
    long written = rocks.latestSequenceNumber() - seq0;
    long events = audit.lastSequence() - audit0;
    String where = rpc.name() + " as " + caller;
    Status.Code code = status.getCode();
    if (code == Status.Code.INTERNAL || code == Status.Code.UNKNOWN
        || code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.UNIMPLEMENTED) {
      throw new AssertionError(where + " answered " + code + ": " + status.getDescription());
    }
    String description = status.getDescription() == null ? "" : status.getDescription();
    if (LEAKY.matcher(description).find()) {
      throw new AssertionError(where + " leaks internals in its status description: "
          + description);
    }
    if (code != Status.Code.OK && code != Status.Code.CANCELLED) {
      checkDetails(where, code, answer);
    }
    settle(); // a probe event this call queued is counted as this call's
    written = rocks.latestSequenceNumber() - seq0;
    events = audit.lastSequence() - audit0;
    if (code != Status.Code.OK && !auditOnly(written, events, audit0)) {
      throw new AssertionError(where + " was refused (" + code + ") but wrote " + written
          + " keys for " + events + " audit events; last event: " + lastEvent());
    }
    checkNoSecretEchoed(where, rpc, request, answer);
    checkHealth(where);
    return code;
  }

  /**
   * Lets every queued audit write land: an earlier call's probe event is queued without
   * waiting for its fsync, and must not be counted against the next call.
   */
  private void settle() {
    audit.drain();
  }

  private String lastEvent() {
    try {
      var store = world.coffer.vault.vault.storage().store();
      long seq = audit.lastSequence();
      var rec = AuditRec.parseFrom(store.get(
          Table.AUDIT, ByteBuffer.allocate(8).putLong(seq)
              .array()).orElseThrow());
      return rec.getAction() + " " + rec.getOutcome() + " " + rec.getReason() + " "
          + rec.getTarget();
    } catch (Exception e) {
      return e.toString();
    }
  }

  /** Whether {@code written} keys are exactly the audit trail's share for {@code events}. */
  private static boolean auditOnly(long written, long events, long audit0) {
    if (events == 0) {
      return written == 0;
    }
    long interval = ChainedAuditLog.DEFAULT_CHECKPOINT_INTERVAL;
    long checkpoints = (audit0 + events) / interval - audit0 / interval;
    long min = 2 * events + 1 + 2 * checkpoints; // all events in one batch
    long max = 3 * events + 2 * checkpoints; // one batch per event
    return written >= min && written <= max;
  }

  /**
   * The vaulted value of the world's secret leaves the server only from RevealSecret, or in
   * a response to a request that carried it itself; no caller's token and no secret value is
   * ever in a status description or trailer.
   */
  private void checkNoSecretEchoed(String where, RpcCatalog.Rpc rpc, byte[] request,
      Answer answer) {
    byte[] secret = world.secretValue.getBytes(StandardCharsets.UTF_8);
    if (echoes.get() && !rpc.name().equals("coffer.v1.SecretService/RevealSecret")
        && !StorageScan.contains(request, secret)) {
      throw new AssertionError(where + " returned the vaulted value of a secret");
    }
    String text = (answer.status().getDescription() == null ? ""
        : answer.status().getDescription()) + (answer.trailers() == null ? ""
        : answer.trailers().toString());
    List<String> confidential = new ArrayList<>(world.tokenValues());
    confidential.add(world.secretValue);
    for (String value : confidential) {
      if (text.contains(value)) {
        throw new AssertionError(where + " put a secret or token value in its status");
      }
    }
  }

  /** A call's final status and trailers. */
  record Answer(Status status, Metadata trailers) {}

  /**
   * Every refusal is Coffer's own (an ErrorInfo of domain coffer.dev with a reason) and an
   * INVALID_ARGUMENT names at least one field in a BadRequest.
   */
  private static void checkDetails(String where, Status.Code code, Answer answer) {
    com.google.rpc.Status details = answer.trailers() == null ? null
        : StatusProto.fromStatusAndTrailers(answer.status(), answer.trailers());
    boolean errorInfo = false;
    boolean fieldNamed = false;
    for (Any any : details == null ? List.<Any>of() : details.getDetailsList()) {
      try {
        if (any.is(ErrorInfo.class)) {
          ErrorInfo info = any.unpack(ErrorInfo.class);
          errorInfo = info.getDomain().equals(ErrorMapper.DOMAIN) && !info.getReason().isEmpty();
        } else if (any.is(BadRequest.class)) {
          fieldNamed = any.unpack(BadRequest.class).getFieldViolationsList().stream()
              .anyMatch(v -> !v.getField().isEmpty());
        }
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError(where + " sent undecodable error details", e);
      }
    }
    if (!errorInfo) {
      throw new AssertionError(where + " answered " + code + " without a coffer.dev ErrorInfo: "
          + answer.status().getDescription());
    }
    if (code == Status.Code.INVALID_ARGUMENT && !fieldNamed) {
      throw new AssertionError(where + " answered INVALID_ARGUMENT naming no field: "
          + answer.status().getDescription());
    }
  }

  private Answer send(RpcCatalog.Rpc rpc, Caller caller, byte[] request, int watches0) {
    MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(rpc.method().getType()).setFullMethodName(rpc.name())
        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    Channel channel = ClientInterceptors.intercept(world.coffer.channel,
        InProcessServer.bearer(world.token(caller)));
    ClientCall<byte[], byte[]> call = channel.newCall(method,
        CallOptions.DEFAULT.withDeadlineAfter(STREAM_WAIT_MS, TimeUnit.MILLISECONDS));
    CompletableFuture<Answer> closed = new CompletableFuture<>();
    echoes.set(false);
    byte[] secret = world.secretValue.getBytes(StandardCharsets.UTF_8);
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(byte[] message) {
        if (StorageScan.contains(message, secret)) {
          echoes.set(true);
        }
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(new Answer(status, trailers));
      }
    }, new Metadata());
    call.request(Integer.MAX_VALUE);
    call.sendMessage(request);
    call.halfClose();
    if (!rpc.name().equals("coffer.v1.LifecycleService/WatchLifecycle")) {
      return await(closed, call);
    }
    // A watch never ends on its own: it was accepted once it subscribed; then end it.
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STREAM_WAIT_MS);
    var events = world.coffer.vault.vault.lifecycle().events();
    while (!closed.isDone() && events.subscriptionCount() <= watches0
        && System.nanoTime() < deadline) {
      LockSupport.parkNanos(100_000);
    }
    if (closed.isDone()) {
      return closed.join();
    }
    call.cancel("fuzz: the watch was accepted", null);
    await(closed, call);
    while (events.subscriptionCount() > watches0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(100_000);
    }
    return new Answer(Status.OK, null);
  }

  private static Answer await(CompletableFuture<Answer> closed, ClientCall<?, ?> call) {
    try {
      return closed.get(STREAM_WAIT_MS + 1_000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel("fuzz: no answer", null);
      return new Answer(Status.DEADLINE_EXCEEDED.withDescription("no answer in time"), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    }
  }

  private void checkHealth(String after) {
    HealthCheckResponse health = HealthGrpc.newBlockingStub(world.coffer.channel)
        .withDeadlineAfter(5, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
    if (health.getStatus() != HealthCheckResponse.ServingStatus.SERVING) {
      throw new AssertionError("not serving after " + after);
    }
  }
}
