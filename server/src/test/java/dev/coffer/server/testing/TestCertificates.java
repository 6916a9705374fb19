package dev.coffer.server.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throwaway certificates made at test time, for TLS tests on 127.0.0.1: self-signed ones, and
 * a test CA that signs server and client (mutual TLS) certificates.
 */
public final class TestCertificates {

  /** A certificate and its key written as PEM files. */
  public record Pem(Path cert, Path key, X509Certificate certificate) {}

  private TestCertificates() {}

  /** A self-signed EC certificate for localhost and 127.0.0.1, written to {@code dir}. */
  public static Pem selfSigned(Path dir, String name, long serial) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(256);
    KeyPair pair = gen.generateKeyPair();
    X500Name subject = new X500Name("CN=" + name);
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
        BigInteger.valueOf(serial), Date.from(now.minus(Duration.ofMinutes(1))),
        Date.from(now.plus(Duration.ofDays(1))), subject, pair.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
        new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(
        new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    Path certFile = dir.resolve(name + ".crt");
    Path keyFile = dir.resolve(name + ".key");
    write(certFile, cert);
    write(keyFile, new JcaPKCS8Generator(pair.getPrivate(), null));
    return new Pem(certFile, keyFile, cert);
  }

  /** A test certificate authority; its certificate is {@code pem().cert()}. */
  public record Ca(Pem pem, KeyPair keys, X500Name name) {}

  /** A self-signed CA certificate (basicConstraints CA=true), written to {@code dir}. */
  public static Ca ca(Path dir, String name) throws Exception {
    KeyPair pair = ecKeys();
    X500Name subject = new X500Name("CN=" + name);
    JcaX509v3CertificateBuilder builder = builder(subject, subject, pair, 1);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(Extension.keyUsage, true,
        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    X509Certificate cert = sign(builder, pair);
    return new Ca(writePem(dir, name, cert, pair), pair, subject);
  }

  /** A server certificate for localhost and 127.0.0.1, signed by {@code ca}. */
  public static Pem server(Path dir, Ca ca, String name, long serial) throws Exception {
    return signed(dir, ca, name, "CN=" + name, serial,
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
  }

  /**
   * A certificate with {@code subject} (an X.500 name, e.g. {@code CN=acme/alice}) and the
   * given SANs (none for a CN-only certificate), signed by {@code ca}.
   */
  public static Pem signed(Path dir, Ca ca, String name, String subject, long serial,
      GeneralName... sans) throws Exception {
    KeyPair pair = ecKeys();
    JcaX509v3CertificateBuilder builder = builder(ca.name(), new X500Name(subject), pair,
        serial);
    if (sans.length > 0) {
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
    }
    X509Certificate cert = sign(builder, ca.keys());
    return writePem(dir, name, cert, pair);
  }

  /** SANs: {@code uri:spiffe://...}, {@code dns:name}, {@code ip:1.2.3.4}. */
  public static GeneralName[] sans(String... specs) {
    List<GeneralName> names = new ArrayList<>();
    for (String spec : specs) {
      int colon = spec.indexOf(':');
      String kind = spec.substring(0, colon);
      String value = spec.substring(colon + 1);
      names.add(switch (kind) {
        case "uri" -> new GeneralName(GeneralName.uniformResourceIdentifier, value);
        case "dns" -> new GeneralName(GeneralName.dNSName, value);
        case "ip" -> new GeneralName(GeneralName.iPAddress, value);
        default -> throw new IllegalArgumentException(spec);
      });
    }
    return names.toArray(new GeneralName[0]);
  }

  private static KeyPair ecKeys() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(256);
    return gen.generateKeyPair();
  }

  private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject,
      KeyPair pair, long serial) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial),
        Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofDays(1))),
        subject, pair.getPublic());
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer)
      throws Exception {
    return new JcaX509CertificateConverter().getCertificate(builder.build(
        new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static Pem writePem(Path dir, String name, X509Certificate cert, KeyPair pair)
      throws Exception {
    Path certFile = dir.resolve(name + ".crt");
    Path keyFile = dir.resolve(name + ".key");
    write(certFile, cert);
    write(keyFile, new JcaPKCS8Generator(pair.getPrivate(), null));
    return new Pem(certFile, keyFile, cert);
  }

  private static void write(Path file, Object pem) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(text)) {
      w.writeObject(pem);
    }
    Path tmp = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"),
        text.toString());
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
