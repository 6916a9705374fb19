package dev.coffer.bench;

import com.google.common.util.concurrent.MoreExecutors;
import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.ListSecretsRequest;
import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.api.v1.SecretServiceGrpc;
import dev.coffer.api.v1.SecretServiceGrpc.SecretServiceStub;
import dev.coffer.api.v1.VerifySecretRequest;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * The five {@link Workload}s, over asynchronous stubs on the given channels. Requests are
 * built once up front; callbacks run on the transport thread (direct executor), as they only
 * count and start the next call. Which principal calls and what each call asks:
 *
 * <ul>
 *   <li>{@code health}: {@code Health/Check} of the server, no token;
 *   <li>{@code verify}: the reader verifies a random application's real value (a match);
 *   <li>{@code reveal}: the reader reveals a random granted secret (audited);
 *   <li>{@code create}: the owner creates a non-vaulted secret (durable, audited);
 *   <li>{@code list}: the owner lists the prepared application's secrets, 100 a page; each
 *       slot follows its own page tokens to the end, then starts over.
 * </ul>
 *
 * <p>Security: responses are checked (a verify must match) and dropped; nothing is printed.
 */
public final class Workloads {

  private Workloads() {}

  /** A workload for each of {@code ops}. */
  public static Map<Operation, Workload> create(Set<Operation> ops, List<Channel> channels,
      BenchData data, int concurrency) {
    Map<Operation, Workload> workloads = new EnumMap<>(Operation.class);
    for (Operation op : ops) {
      workloads.put(op, switch (op) {
        case HEALTH -> new Health(channels);
        case VERIFY -> new Verify(secrets(channels, data.reader()), data);
        case REVEAL -> new Reveal(secrets(channels, data.reader()), data);
        case CREATE -> new Create(secrets(channels, data.owner()), data);
        case LIST -> new ListPage(secrets(channels, data.owner()), data, concurrency);
      });
    }
    return workloads;
  }

  private static SecretServiceStub[] secrets(List<Channel> channels, CallCredentials creds) {
    return channels.stream().map(c -> SecretServiceGrpc.newStub(c).withCallCredentials(creds)
        .withExecutor(MoreExecutors.directExecutor())).toArray(SecretServiceStub[]::new);
  }

  private static int random(int bound) {
    return ThreadLocalRandom.current().nextInt(bound);
  }

  /** Reports a unary call's end once: {@code check} judges the response (null: as expected). */
  private static <T> StreamObserver<T> observer(Function<T, String> check, Workload.Done done) {
    return new StreamObserver<>() {
      private String failure;

      @Override
      public void onNext(T response) {
        failure = check.apply(response);
      }

      @Override
      public void onError(Throwable t) {
        done.done(Status.fromThrowable(t).getCode().name());
      }

      @Override
      public void onCompleted() {
        done.done(failure);
      }
    };
  }

  private static final class Health implements Workload {
    private static final HealthCheckRequest REQUEST = HealthCheckRequest.getDefaultInstance();
    private final HealthGrpc.HealthStub[] stubs;

    Health(List<Channel> channels) {
      stubs = channels.stream().map(c -> HealthGrpc.newStub(c)
          .withExecutor(MoreExecutors.directExecutor())).toArray(HealthGrpc.HealthStub[]::new);
    }

    @Override
    public Operation operation() {
      return Operation.HEALTH;
    }

    @Override
    public void start(int slot, int channel, Done done) {
      stubs[channel].check(REQUEST, observer(
          r -> r.getStatus() == ServingStatus.SERVING ? null : "NOT_SERVING", done));
    }
  }

  private static final class Verify implements Workload {
    private final SecretServiceStub[] stubs;
    private final VerifySecretRequest[] requests;

    Verify(SecretServiceStub[] stubs, BenchData data) {
      this.stubs = stubs;
      this.requests = data.verifyTargets().stream().map(t -> VerifySecretRequest.newBuilder()
          .setClientId(t.clientId()).setValue(t.value()).build())
          .toArray(VerifySecretRequest[]::new);
    }

    @Override
    public Operation operation() {
      return Operation.VERIFY;
    }

    @Override
    public void start(int slot, int channel, Done done) {
      stubs[channel].verifySecret(requests[random(requests.length)],
          observer(r -> r.getMatch() ? null : "NO_MATCH", done));
    }
  }

  private static final class Reveal implements Workload {
    private final SecretServiceStub[] stubs;
    private final RevealSecretRequest[] requests;

    Reveal(SecretServiceStub[] stubs, BenchData data) {
      this.stubs = stubs;
      this.requests = data.revealTargets().stream()
          .map(name -> RevealSecretRequest.newBuilder().setName(name).build())
          .toArray(RevealSecretRequest[]::new);
    }

    @Override
    public Operation operation() {
      return Operation.REVEAL;
    }

    @Override
    public void start(int slot, int channel, Done done) {
      stubs[channel].revealSecret(requests[random(requests.length)],
          observer(r -> r.getValue().isEmpty() ? "EMPTY_VALUE" : null, done));
    }
  }

  private static final class Create implements Workload {
    private final SecretServiceStub[] stubs;
    private final CreateSecretRequest request;

    Create(SecretServiceStub[] stubs, BenchData data) {
      this.stubs = stubs;
      this.request = CreateSecretRequest.newBuilder().setParent(data.createParent()).setLocation("/")
          .setDisplayName("bench-created").setDescription("made by coffer bench").build();
    }

    @Override
    public Operation operation() {
      return Operation.CREATE;
    }

    @Override
    public void start(int slot, int channel, Done done) {
      stubs[channel].createSecret(request, observer(r -> null, done));
    }
  }

  private static final class ListPage implements Workload {
    private final SecretServiceStub[] stubs;
    private final String parent;
    private final AtomicReferenceArray<String> cursors;

    ListPage(SecretServiceStub[] stubs, BenchData data, int concurrency) {
      this.stubs = stubs;
      this.parent = data.listParent();
      this.cursors = new AtomicReferenceArray<>(concurrency);
    }

    @Override
    public Operation operation() {
      return Operation.LIST;
    }

    @Override
    public void start(int slot, int channel, Done done) {
      String token = cursors.get(slot);
      ListSecretsRequest request = ListSecretsRequest.newBuilder().setParent(parent)
          .setPageSize(BenchPlan.LIST_PAGE).setPageToken(token == null ? "" : token).build();
      stubs[channel].listSecrets(request, observer(r -> {
        cursors.set(slot, r.getNextPageToken());
        return r.getSecretsCount() == 0 ? "EMPTY_PAGE" : null;
      }, done));
    }
  }
}
