package dev.coffer.server;

import dev.coffer.server.service.kernel.BackgroundJob;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The gRPC port's transport security: TLS from a PEM certificate chain and private key,
 * re-read from disk on a fixed period so a renewed certificate (cert-manager, certbot) is
 * picked up without a restart; or plaintext, which the server allows on loopback only.
 * The private key never leaves the key manager; errors name files, never their contents.
 */
final class ServerTransport {

  private static final Logger LOG = Logger.getLogger(ServerTransport.class.getName());

  private final ServerCredentials credentials;
  private final BackgroundJob reload; // null for plaintext

  private ServerTransport(ServerCredentials credentials, BackgroundJob reload) {
    this.credentials = credentials;
    this.reload = reload;
  }

  static ServerTransport plaintext() {
    return new ServerTransport(InsecureServerCredentials.create(), null);
  }

  /**
   * TLS with the chain in {@code certFile} and the key in {@code keyFile} (PEM), re-read
   * every {@code reloadSeconds} by the {@link #reloadJob} (which the server runs).
   *
   * @throws IllegalArgumentException naming the files when they cannot be loaded
   */
  static ServerTransport tls(Path certFile, Path keyFile, long reloadSeconds) {
    return tls(certFile, keyFile, reloadSeconds, null);
  }

  /**
   * As above; with {@code clientCaFile} (PEM CA bundle, read once at start) the server also
   * requests client certificates (mutual TLS). They stay optional, so bearer-token clients
   * without one still connect; a presented certificate must chain to that CA or the
   * handshake fails. Which principal a certificate stands for is decided by
   * {@link dev.coffer.server.auth.AuthInterceptor}.
   *
   * @param clientCaFile null for no client certificates
   * @throws IllegalArgumentException naming the files when they cannot be loaded
   */
  static ServerTransport tls(Path certFile, Path keyFile, long reloadSeconds,
      Path clientCaFile) {
    AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
    FileTime[] loaded;
    try {
      loaded = load(keys, certFile, keyFile);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot load the TLS certificate " + certFile
          + " and key " + keyFile + " (" + e.getClass().getSimpleName() + ")");
    }
    TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder().keyManager(keys);
    if (clientCaFile != null) {
      try {
        builder.trustManager(clientCaFile.toFile())
            .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("cannot load the client CA file " + clientCaFile
            + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    Duration period = Duration.ofSeconds(reloadSeconds);
    BackgroundJob reload = BackgroundJob.onEveryNode("coffer-tls-reload", period, period, () -> {
      try {
        FileTime[] now = {Files.getLastModifiedTime(certFile), Files.getLastModifiedTime(keyFile)};
        if (!now[0].equals(loaded[0]) || !now[1].equals(loaded[1])) {
          FileTime[] fresh = load(keys, certFile, keyFile);
          loaded[0] = fresh[0];
          loaded[1] = fresh[1];
          LOG.info("reloaded the TLS certificate from " + certFile);
        }
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        LOG.warning("cannot reload the TLS certificate " + certFile + " ("
            + e.getClass().getSimpleName() + "); still serving the previous one");
      }
    });
    return new ServerTransport(builder.build(), reload);
  }

  private static FileTime[] load(AdvancedTlsX509KeyManager keys, Path certFile, Path keyFile)
      throws IOException, GeneralSecurityException {
    FileTime[] times = {Files.getLastModifiedTime(certFile), Files.getLastModifiedTime(keyFile)};
    keys.updateIdentityCredentials(certFile.toFile(), keyFile.toFile());
    return times;
  }

  ServerCredentials credentials() {
    return credentials;
  }

  boolean isTls() {
    return reload != null;
  }

  /**
   * With TLS, the job that re-reads the certificate and key files when they change; add it
   * to the server ({@link CofferServer.Builder#addBackgroundJob}) so it runs while it serves.
   */
  Optional<BackgroundJob> reloadJob() {
    return Optional.ofNullable(reload);
  }
}
