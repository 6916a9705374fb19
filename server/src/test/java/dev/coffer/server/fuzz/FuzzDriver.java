package dev.coffer.server.fuzz;

import com.google.protobuf.Message;
import dev.coffer.server.fuzz.FuzzWorld.Caller;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Runs one fuzzer input against every RPC of the {@link RpcCatalog}: for each RPC the input is
 * read with a salt from the RPC's name (so a saved input means the same requests when RPCs
 * are added), which picks the caller and how the request is made ({@link RequestFactory}),
 * and {@link RpcProbe} checks the answer. So each input is exactly
 * one request per RPC, and the counts prove how many requests each RPC got. The world is
 * rebuilt every {@value #EXECUTIONS_PER_WORLD} inputs (whole-trail RPCs such as
 * VerifyAuditChain stay fast) and callers whose tokens a request revoked get new ones.
 */
final class FuzzDriver implements AutoCloseable {

  static final int EXECUTIONS_PER_WORLD = 1_000;
  private static final int HEAL_EVERY = 25;

  private final Path root;
  private final List<RpcCatalog.Rpc> rpcs = RpcCatalog.all();
  private final Map<String, Function<FuzzWorld, Message>> seedFunctions = SeedRequests.all();
  private final Map<String, Map<String, AtomicLong>> counts = new TreeMap<>();
  private FuzzWorld world;
  private RpcProbe probe;
  private RequestFactory factory;
  private Map<String, Message> seeds;
  private int worlds;
  private long executions;

  FuzzDriver(Path root) {
    this.root = root;
    for (RpcCatalog.Rpc rpc : rpcs) {
      counts.put(rpc.name(), new TreeMap<>());
    }
  }

  List<RpcCatalog.Rpc> rpcs() {
    return rpcs;
  }

  Map<String, Function<FuzzWorld, Message>> seedFunctions() {
    return seedFunctions;
  }

  /** One request per RPC, read from {@code data}; {@code source} labels them in the counts. */
  void execute(byte[] data, String source) {
    if (world == null || executions % EXECUTIONS_PER_WORLD == 0) {
      newWorld();
    } else if (executions % HEAL_EVERY == 0) {
      world.heal();
    }
    executions++;
    for (RpcCatalog.Rpc rpc : rpcs) {
      ByteSource in = new ByteSource(data, rpc.name().hashCode() | 1);
      Caller caller = Caller.values()[in.below(Caller.values().length)];
      RequestFactory.Made made = factory.make(rpc.requestPrototype(), seeds.get(rpc.name()), in);
      Status.Code code = probe.call(rpc, caller, made.bytes());
      Map<String, AtomicLong> c = counts.get(rpc.name());
      c.computeIfAbsent("requests", k -> new AtomicLong()).incrementAndGet();
      c.computeIfAbsent("requests:" + source, k -> new AtomicLong()).incrementAndGet();
      c.computeIfAbsent(code.name(), k -> new AtomicLong()).incrementAndGet();
      c.computeIfAbsent(made.kind().name(), k -> new AtomicLong()).incrementAndGet();
    }
  }

  /** Requests sent per RPC, with their status codes and how they were made. */
  Map<String, Map<String, AtomicLong>> counts() {
    return counts;
  }

  private void newWorld() {
    closeWorld();
    try {
      world = new FuzzWorld(root.resolve("world-" + worlds++));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    probe = new RpcProbe(world);
    factory = new RequestFactory(world.dictionary);
    seeds = new TreeMap<>();
    for (RpcCatalog.Rpc rpc : rpcs) {
      Function<FuzzWorld, Message> seed = seedFunctions.get(rpc.name());
      if (seed == null) {
        throw new AssertionError("no fuzz target (seed request) for " + rpc.name());
      }
      seeds.put(rpc.name(), seed.apply(world));
    }
  }

  private void closeWorld() {
    if (world != null) {
      try {
        world.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      world = null;
    }
  }

  @Override
  public void close() {
    closeWorld();
  }
}
