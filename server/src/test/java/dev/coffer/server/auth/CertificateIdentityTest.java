package dev.coffer.server.auth;

import static dev.coffer.server.testing.TestCertificates.sans;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.testing.TestCertificates;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mapping rules from a client certificate to a principal, on BouncyCastle-made certs. */
class CertificateIdentityTest {

  @TempDir Path dir;
  private TestCertificates.Ca ca;
  private long serial = 10;

  @BeforeEach
  void ca() throws Exception {
    ca = TestCertificates.ca(dir, "ca");
  }

  private X509Certificate cert(String subject, GeneralName... sans) throws Exception {
    long n = serial++;
    return TestCertificates.signed(dir, ca, "c" + n, subject, n, sans).certificate();
  }

  private static void refused(CertificateIdentity identity, X509Certificate cert) {
    CofferException e = assertThrows(CofferException.class, () -> identity.principalOf(cert));
    assertEquals(Reason.UNAUTHENTICATED, e.reason());
  }

  private static CertificateIdentity.Name name(String tenant, String principal) {
    return new CertificateIdentity.Name(tenant, principal);
  }

  @Test
  void spiffe_mapsTheUriSanInTheTrustDomain() throws Exception {
    CertificateIdentity id = CertificateIdentity.spiffe("example.org");
    assertEquals(name("acme", "alice"), id.principalOf(cert("CN=ignored",
        sans("uri:spiffe://example.org/tenants/acme/principals/alice", "dns:alice.example"))));
    assertEquals(name("acme", "svc.deploy-1"), id.principalOf(cert("CN=x",
        sans("uri:spiffe://EXAMPLE.org/tenants/acme/principals/svc.deploy-1"))));
  }

  @Test
  void spiffe_refusesAnotherTrustDomain_malformedIds_andMoreThanOne() throws Exception {
    CertificateIdentity id = CertificateIdentity.spiffe("example.org");
    refused(id, cert("CN=acme/alice",
        sans("uri:spiffe://other.org/tenants/acme/principals/alice")));
    refused(id, cert("CN=x", sans("uri:spiffe://example.org/acme/alice")));
    refused(id, cert("CN=x", sans("uri:spiffe://example.org/tenants/acme/principals/alice/x")));
    refused(id, cert("CN=x", sans("uri:spiffe://example.org/tenants/ACME/principals/alice")));
    refused(id, cert("CN=x", sans("uri:spiffe://example.org/tenants/acme/principals/")));
    refused(id, cert("CN=x", sans("uri:https://example.org/tenants/acme/principals/alice")));
    refused(id, cert("CN=acme/alice"));
    refused(id, cert("CN=x", sans("uri:spiffe://example.org/tenants/acme/principals/alice",
        "uri:spiffe://example.org/tenants/acme/principals/bob")));
  }

  @Test
  void dns_mapsPrincipalDotTenantDotSuffix_ignoringOtherNames() throws Exception {
    CertificateIdentity id = CertificateIdentity.dns(".clients.example.org");
    assertEquals(name("acme", "alice"), id.principalOf(cert("CN=x",
        sans("dns:localhost", "dns:alice.acme.clients.example.org"))));
    assertEquals(name("acme", "ci.runner"), id.principalOf(cert("CN=x",
        sans("dns:ci.runner.acme.CLIENTS.example.org"))));
  }

  @Test
  void dns_refusesAnotherSuffix_malformedNames_andMoreThanOne() throws Exception {
    CertificateIdentity id = CertificateIdentity.dns("clients.example.org");
    refused(id, cert("CN=x", sans("dns:alice.acme.clients.example.com")));
    refused(id, cert("CN=x", sans("dns:alice.acme.evilclients.example.org")));
    refused(id, cert("CN=x", sans("dns:acme.clients.example.org")));
    refused(id, cert("CN=x", sans("dns:alice.Acme.clients.example.org")));
    refused(id, cert("CN=acme/alice"));
    refused(id, cert("CN=x", sans("dns:alice.acme.clients.example.org",
        "dns:bob.acme.clients.example.org")));
  }

  @Test
  void cn_mapsTenantSlashPrincipal() throws Exception {
    CertificateIdentity id = CertificateIdentity.commonName();
    assertEquals(name("acme", "alice"), id.principalOf(cert("O=Acme,CN=acme/alice",
        sans("uri:spiffe://example.org/tenants/other/principals/bob"))));
  }

  @Test
  void cn_refusesMalformedOrMultipleCommonNames() throws Exception {
    CertificateIdentity id = CertificateIdentity.commonName();
    refused(id, cert("CN=alice"));
    refused(id, cert("CN=acme/alice/x"));
    refused(id, cert("CN=/alice"));
    refused(id, cert("O=Acme"));
    refused(id, cert("CN=acme/alice,CN=acme/bob"));
  }

  @Test
  void badConfiguration_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> CertificateIdentity.spiffe("a/b"));
    assertThrows(IllegalArgumentException.class, () -> CertificateIdentity.spiffe(""));
    assertThrows(IllegalArgumentException.class, () -> CertificateIdentity.dns("a..b"));
  }
}
