package dev.coffer.server.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Refuses a node whose Raft port trusts an authority that its API also trusts for client
 * certificates. On the Raft port, any certificate the {@code --cluster-tls-ca} bundle accepts
 * may join the group and propose entries, which every replica applies without asking who
 * made them (a node checked its caller before proposing). So if that bundle and
 * {@code --tls-client-ca} share an authority, a workload given a client certificate for the
 * API could connect to the Raft port and write anything: grants to itself, tokens, keysets.
 *
 * <p>Two bundles are kept apart when no certificate in one has the same public key as a
 * certificate in the other (the same CA, also when re-issued under another name or validity)
 * and none is signed by a key of the other (an intermediate of one issued by the other's
 * root). The check reads both files once at start; its message names the flags and the
 * authority's subject, never key material.
 */
public final class RaftTrustSeparation {

  private RaftTrustSeparation() {}

  /**
   * Checks {@code config}; does nothing for a single node or without both bundles.
   *
   * @throws ConfigException when the bundles share an authority or one cannot be read
   */
  public static void check(ServerConfig config) {
    Optional<Path> raft = config.cluster().flatMap(ClusterConfig::tls)
        .map(ClusterConfig.RaftTls::caFile);
    Optional<Path> clients = config.tls().flatMap(ServerConfig.Tls::clientCertificates)
        .map(ServerConfig.ClientCertificates::caFile);
    if (raft.isPresent() && clients.isPresent()) {
      check(raft.get(), clients.get());
    }
  }

  /** Checks the {@code --cluster-tls-ca} bundle against the {@code --tls-client-ca} one. */
  static void check(Path raftCa, Path clientCa) {
    List<X509Certificate> raft = read(raftCa, "--cluster-tls-ca");
    List<X509Certificate> clients = read(clientCa, "--tls-client-ca");
    for (X509Certificate r : raft) {
      for (X509Certificate c : clients) {
        String shared = sameKey(r, c) ? r.getSubjectX500Principal().getName()
            : signedBy(c, r.getPublicKey()) ? r.getSubjectX500Principal().getName()
            : signedBy(r, c.getPublicKey()) ? c.getSubjectX500Principal().getName()
            : null;
        if (shared != null) {
          throw new ConfigException("--cluster-tls-ca and --tls-client-ca share the authority "
              + shared + ": a client certificate for the API could then join the Raft group "
              + "and write anything; sign the Raft certificates with a CA used for nothing else");
        }
      }
    }
  }

  private static boolean sameKey(X509Certificate a, X509Certificate b) {
    return Arrays.equals(a.getPublicKey().getEncoded(), b.getPublicKey().getEncoded());
  }

  private static boolean signedBy(X509Certificate cert, PublicKey key) {
    try {
      cert.verify(key);
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false; // another key, or another algorithm
    }
  }

  private static List<X509Certificate> read(Path file, String flag) {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> all =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      List<X509Certificate> certs = new ArrayList<>();
      for (Certificate c : all) {
        certs.add((X509Certificate) c);
      }
      if (certs.isEmpty()) {
        throw new ConfigException(flag + " " + file + " holds no PEM certificate");
      }
      return certs;
    } catch (IOException | CertificateException e) {
      throw new ConfigException("cannot read " + flag + " " + file + ": "
          + e.getClass().getSimpleName());
    }
  }
}
