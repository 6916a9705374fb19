package dev.coffer.server.testing;

import dev.coffer.api.v1.AccessServiceGrpc;
import dev.coffer.api.v1.ApplicationServiceGrpc;
import dev.coffer.api.v1.GrantServiceGrpc;
import dev.coffer.api.v1.LocationServiceGrpc;
import dev.coffer.api.v1.PrincipalServiceGrpc;
import dev.coffer.api.v1.SecretServiceGrpc;
import dev.coffer.api.v1.TenantServiceGrpc;
import dev.coffer.api.v1.TokenServiceGrpc;
import dev.coffer.server.CofferServer;
import dev.coffer.server.Vault;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A real Coffer server (real interceptors, real vault) on an in-process transport, and
 * stubs that authenticate with a given bearer token.
 */
@SuppressWarnings("try") // close() waits for the server to stop, so it may be interrupted
public final class InProcessServer implements AutoCloseable {

  public final TestVault vault;
  public final ManagedChannel channel;
  private final CofferServer server;

  public InProcessServer(Path dir) throws IOException {
    this(dir, (vault, server) -> { });
  }

  /**
   * As above, with {@code configure} adjusting the server's builder (given the vault) after
   * the fixture's defaults: the in-process transport and the test clock.
   */
  public InProcessServer(Path dir, BiConsumer<Vault, CofferServer.Builder> configure)
      throws IOException {
    this(new TestVault(dir), configure);
  }

  /**
   * A server over an already open {@code vault}, which this fixture then owns: {@link #close()}
   * closes it, and so does a failed start.
   */
  public InProcessServer(TestVault vault, BiConsumer<Vault, CofferServer.Builder> configure)
      throws IOException {
    this.vault = vault;
    String name = InProcessServerBuilder.generateName();
    try {
      this.server = start(vault, configure, name);
    } catch (IOException | RuntimeException | Error e) {
      vault.close();
      throw e;
    }
    this.channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  private static CofferServer start(TestVault vault,
      BiConsumer<Vault, CofferServer.Builder> configure, String name) throws IOException {
    CofferServer.Builder builder = CofferServer.builder(vault.vault)
        .transport(InProcessServerBuilder.forName(name).directExecutor())
        .clock(vault.clock);
    configure.accept(vault.vault, builder);
    return builder.build().start();
  }

  public static ClientInterceptor bearer(String token) {
    Metadata headers = new Metadata();
    if (token != null) {
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
          "Bearer " + token);
    }
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  private <S extends AbstractStub<S>> S auth(S stub, String token) {
    return stub.withInterceptors(bearer(token)).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  public SecretServiceGrpc.SecretServiceBlockingStub secrets(String token) {
    return auth(SecretServiceGrpc.newBlockingStub(channel), token);
  }

  public ApplicationServiceGrpc.ApplicationServiceBlockingStub apps(String token) {
    return auth(ApplicationServiceGrpc.newBlockingStub(channel), token);
  }

  public LocationServiceGrpc.LocationServiceBlockingStub locations(String token) {
    return auth(LocationServiceGrpc.newBlockingStub(channel), token);
  }

  public TenantServiceGrpc.TenantServiceBlockingStub tenants(String token) {
    return auth(TenantServiceGrpc.newBlockingStub(channel), token);
  }

  public PrincipalServiceGrpc.PrincipalServiceBlockingStub principals(String token) {
    return auth(PrincipalServiceGrpc.newBlockingStub(channel), token);
  }

  public TokenServiceGrpc.TokenServiceBlockingStub tokens(String token) {
    return auth(TokenServiceGrpc.newBlockingStub(channel), token);
  }

  public AccessServiceGrpc.AccessServiceBlockingStub access(String token) {
    return auth(AccessServiceGrpc.newBlockingStub(channel), token);
  }

  public GrantServiceGrpc.GrantServiceBlockingStub grants(String token) {
    return auth(GrantServiceGrpc.newBlockingStub(channel), token);
  }

  /** Stops the server as SIGTERM does: health NOT_SERVING, then drain for {@code grace}. */
  public void stopServer(Duration grace) throws InterruptedException {
    server.stop(grace);
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    server.stop(Duration.ofSeconds(1));
    vault.close();
  }
}
