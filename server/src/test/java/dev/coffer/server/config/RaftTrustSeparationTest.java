package dev.coffer.server.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.testing.TestCertificates;
import dev.coffer.server.testing.TestCertificates.Ca;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Raft CA bundle that shares an authority with the API's client CA bundle is refused, by
 * each way two bundles can share one: the same file, the same key under another name, an
 * intermediate of one signed by the other's root (either way round), anywhere in a bundle.
 */
class RaftTrustSeparationTest {

  @TempDir Path dir;

  @Test
  void separateAuthorities_pass() throws Exception {
    Ca raft = TestCertificates.ca(dir, "raft-ca");
    Ca clients = TestCertificates.ca(dir, "client-ca");
    assertDoesNotThrow(() -> RaftTrustSeparation.check(raft.pem().cert(), clients.pem().cert()));
  }

  @Test
  void theSameCaFileForBoth_isRefused_namingTheFlagsAndTheAuthority() throws Exception {
    Ca shared = TestCertificates.ca(dir, "shared-ca");
    ConfigException e = assertThrows(ConfigException.class,
        () -> RaftTrustSeparation.check(shared.pem().cert(), shared.pem().cert()));
    assertEquals("--cluster-tls-ca and --tls-client-ca share the authority CN=shared-ca: a "
        + "client certificate for the API could then join the Raft group and write anything; "
        + "sign the Raft certificates with a CA used for nothing else", e.getMessage());
  }

  @Test
  void theSameKeyReissuedUnderAnotherName_isRefused() throws Exception {
    Ca raft = TestCertificates.ca(dir, "raft-ca");
    Path renamed = bundle("renamed", selfSignedCa("CN=renamed-ca", raft));
    assertRefused(raft.pem().cert(), renamed, "CN=raft-ca");
  }

  @Test
  void aClientIntermediateSignedByTheRaftRoot_isRefused() throws Exception {
    Ca raft = TestCertificates.ca(dir, "raft-ca");
    Ca other = TestCertificates.ca(dir, "other-ca");
    X509Certificate intermediate =
        TestCertificates.signed(dir, raft, "inter", "CN=inter", 7).certificate();
    Path clients = bundle("clients", other.pem().certificate(), intermediate);
    assertRefused(raft.pem().cert(), clients, "CN=raft-ca");
  }

  @Test
  void aRaftIntermediateSignedByTheClientRoot_isRefused() throws Exception {
    Ca clients = TestCertificates.ca(dir, "client-ca");
    X509Certificate intermediate =
        TestCertificates.signed(dir, clients, "inter", "CN=inter", 7).certificate();
    assertRefused(bundle("raft", intermediate), clients.pem().cert(), "CN=client-ca");
  }

  @Test
  void anOverlapLaterInABundle_isFound() throws Exception {
    Ca raft = TestCertificates.ca(dir, "raft-ca");
    Ca a = TestCertificates.ca(dir, "a-ca");
    Ca b = TestCertificates.ca(dir, "b-ca");
    Path clients = bundle("clients", a.pem().certificate(), b.pem().certificate(),
        raft.pem().certificate());
    Path raftBundle = bundle("raft", TestCertificates.ca(dir, "c-ca").pem().certificate(),
        raft.pem().certificate());
    assertRefused(raftBundle, clients, "CN=raft-ca");
  }

  @Test
  void anUnreadableOrEmptyBundle_isRefused_namingItsFlag() throws Exception {
    Ca clients = TestCertificates.ca(dir, "client-ca");
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
    ConfigException unreadable = assertThrows(ConfigException.class,
        () -> RaftTrustSeparation.check(garbage, clients.pem().cert()));
    assertTrue(unreadable.getMessage().startsWith("cannot read --cluster-tls-ca " + garbage),
        unreadable.getMessage());
    Path missing = dir.resolve("missing.pem");
    ConfigException absent = assertThrows(ConfigException.class,
        () -> RaftTrustSeparation.check(clients.pem().cert(), missing));
    assertTrue(absent.getMessage().startsWith("cannot read --tls-client-ca " + missing),
        absent.getMessage());
  }

  @Test
  void aSingleNode_orANodeWithoutClientCertificates_isNotChecked() {
    ServerConfig single = ServerConfig.builder(dir).dev(true).build();
    assertDoesNotThrow(() -> RaftTrustSeparation.check(single));
    ServerConfig plaintextApi = ServerConfig.builder(dir).dev(true)
        .cluster("n0", "127.0.0.1:7000", "n0=127.0.0.1:7000")
        .clusterTls(dir.resolve("a"), dir.resolve("b"), dir.resolve("missing-ca.pem")).build();
    assertDoesNotThrow(() -> RaftTrustSeparation.check(plaintextApi));
  }

  private static void assertRefused(Path raft, Path clients, String authority) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> RaftTrustSeparation.check(raft, clients));
    assertTrue(e.getMessage().startsWith("--cluster-tls-ca and --tls-client-ca share the "
        + "authority " + authority + ":"), e.getMessage());
  }

  /** A self-signed CA certificate over {@code keysOf}'s key pair, under {@code subject}. */
  private static X509Certificate selfSignedCa(String subject, Ca keysOf) throws Exception {
    X500Name name = new X500Name(subject);
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
        BigInteger.TWO, Date.from(now.minus(Duration.ofMinutes(1))),
        Date.from(now.plus(Duration.ofDays(1))), name, keysOf.keys().getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    return new JcaX509CertificateConverter().getCertificate(builder.build(
        new JcaContentSignerBuilder("SHA256withECDSA").build(keysOf.keys().getPrivate())));
  }

  private Path bundle(String name, X509Certificate... certs) throws Exception {
    Path file = dir.resolve(name + "-bundle.pem");
    try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(file))) {
      for (X509Certificate c : certs) {
        w.writeObject(c);
      }
    }
    return file;
  }
}
