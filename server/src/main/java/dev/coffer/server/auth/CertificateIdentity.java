package dev.coffer.server.auth;

import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * Maps a verified client certificate (mutual TLS) to the one principal it names. Pure: it
 * reads the certificate only; whether the principal exists is the caller's question. One
 * mode is configured per server:
 *
 * <ul>
 *   <li>{@link #spiffe SPIFFE}: the certificate's {@code spiffe://} URI SAN must be
 *       {@code spiffe://<trust-domain>/tenants/<tenant>/principals/<principal>}, with the
 *       configured trust domain (compared case-insensitively). Exactly one {@code spiffe://}
 *       URI SAN is allowed.
 *   <li>{@link #dns DNS}: exactly one DNS SAN must end in {@code .<suffix>} (case-insensitive)
 *       and read {@code <principal>.<tenant>.<suffix>}; the tenant is the label just before
 *       the suffix, the principal everything before that (it may contain dots). DNS SANs
 *       outside the suffix are ignored.
 *   <li>{@link #commonName CN}: the subject has exactly one CN, {@code <tenant>/<principal>}.
 * </ul>
 *
 * <p>Tenant and principal ids must have the same syntax as everywhere else (tenant
 * {@code [a-z][a-z0-9-]{1,62}}, principal {@code [A-Za-z][A-Za-z0-9._-]{1,63}}). A certificate
 * that does not map is refused with UNAUTHENTICATED; messages never echo certificate contents.
 */
public final class CertificateIdentity {

  /** How a certificate names its principal. */
  public enum Mode { SPIFFE, DNS, CN }

  /** The principal a certificate names. */
  public record Name(String tenantId, String principalId) {}

  private static final Pattern TENANT_ID = Pattern.compile("[a-z][a-z0-9-]{1,62}");
  private static final Pattern PRINCIPAL_ID = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{1,63}");
  private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]{1,255}");
  private static final Pattern DNS_SUFFIX =
      Pattern.compile("[a-z0-9-]+(\\.[a-z0-9-]+)*", Pattern.CASE_INSENSITIVE);
  private static final int SAN_DNS = 2;
  private static final int SAN_URI = 6;
  private static final String SPIFFE = "spiffe://";

  private final Mode mode;
  private final String domain; // the trust domain or DNS suffix, lower case; null for CN

  private CertificateIdentity(Mode mode, String domain) {
    this.mode = mode;
    this.domain = domain;
  }

  /** @throws IllegalArgumentException if {@code trustDomain} is not a valid trust domain */
  public static CertificateIdentity spiffe(String trustDomain) {
    String td = Objects.requireNonNull(trustDomain, "trustDomain").toLowerCase(Locale.ROOT);
    if (!TRUST_DOMAIN.matcher(td).matches()) {
      throw new IllegalArgumentException("the SPIFFE trust domain must be a name such as "
          + "example.org (letters, digits, '.', '-', '_')");
    }
    return new CertificateIdentity(Mode.SPIFFE, td);
  }

  /** @throws IllegalArgumentException if {@code suffix} is not a DNS name */
  public static CertificateIdentity dns(String suffix) {
    String s = Objects.requireNonNull(suffix, "suffix");
    s = (s.startsWith(".") ? s.substring(1) : s).toLowerCase(Locale.ROOT);
    if (!DNS_SUFFIX.matcher(s).matches()) {
      throw new IllegalArgumentException("the DNS suffix must be a DNS name such as "
          + "clients.example.org");
    }
    return new CertificateIdentity(Mode.DNS, s);
  }

  public static CertificateIdentity commonName() {
    return new CertificateIdentity(Mode.CN, null);
  }

  public Mode mode() {
    return mode;
  }

  /**
   * The principal {@code cert} names.
   *
   * @throws CofferException UNAUTHENTICATED if it names none, or more than one
   */
  public Name principalOf(X509Certificate cert) {
    return switch (mode) {
      case SPIFFE -> fromSpiffe(cert);
      case DNS -> fromDns(cert);
      case CN -> fromCommonName(cert);
    };
  }

  private Name fromSpiffe(X509Certificate cert) {
    List<String> ids = new ArrayList<>();
    for (String uri : sans(cert, SAN_URI)) {
      if (uri.regionMatches(true, 0, SPIFFE, 0, SPIFFE.length())) {
        ids.add(uri.substring(SPIFFE.length()));
      }
    }
    if (ids.size() != 1) {
      throw refused(ids.isEmpty() ? "the client certificate has no SPIFFE ID (URI SAN)"
          : "the client certificate has more than one SPIFFE ID");
    }
    String[] parts = ids.get(0).split("/", -1);
    if (parts.length != 5 || !parts[1].equals("tenants") || !parts[3].equals("principals")) {
      throw refused("the client certificate's SPIFFE ID is not spiffe://<trust-domain>/tenants/"
          + "<tenant>/principals/<principal>");
    }
    if (!parts[0].toLowerCase(Locale.ROOT).equals(domain)) {
      throw refused("the client certificate's SPIFFE ID is not in trust domain " + domain);
    }
    return name(parts[2], parts[4]);
  }

  private Name fromDns(X509Certificate cert) {
    String tail = "." + domain;
    List<String> names = new ArrayList<>();
    for (String dns : sans(cert, SAN_DNS)) {
      if (dns.toLowerCase(Locale.ROOT).endsWith(tail)) {
        names.add(dns.substring(0, dns.length() - tail.length()));
      }
    }
    if (names.size() != 1) {
      throw refused(names.isEmpty() ? "the client certificate has no DNS name under " + domain
          : "the client certificate has more than one DNS name under " + domain);
    }
    String head = names.get(0);
    int dot = head.lastIndexOf('.');
    if (dot <= 0) {
      throw refused("the client certificate's DNS name is not <principal>.<tenant>." + domain);
    }
    return name(head.substring(dot + 1), head.substring(0, dot));
  }

  private static Name fromCommonName(X509Certificate cert) {
    X500Principal subject = cert.getSubjectX500Principal();
    List<String> cns = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(subject.getName(X500Principal.RFC2253)).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          cns.add(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      throw refused("the client certificate's subject cannot be read");
    }
    if (cns.size() != 1) {
      throw refused(cns.isEmpty() ? "the client certificate's subject has no CN"
          : "the client certificate's subject has more than one CN");
    }
    String cn = cns.get(0);
    int slash = cn.indexOf('/');
    if (slash <= 0) {
      throw refused("the client certificate's CN is not <tenant>/<principal>");
    }
    return name(cn.substring(0, slash), cn.substring(slash + 1));
  }

  private static Name name(String tenant, String principal) {
    if (!TENANT_ID.matcher(tenant).matches() || !PRINCIPAL_ID.matcher(principal).matches()) {
      throw refused("the client certificate does not name a valid tenant and principal id");
    }
    return new Name(tenant, principal);
  }

  private static List<String> sans(X509Certificate cert, int type) {
    Collection<List<?>> all;
    try {
      all = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw refused("the client certificate's subject alternative names cannot be read");
    }
    List<String> values = new ArrayList<>();
    if (all != null) {
      for (List<?> san : all) {
        if (san.size() >= 2 && Integer.valueOf(type).equals(san.get(0))
            && san.get(1) instanceof String s) {
          values.add(s);
        }
      }
    }
    return values;
  }

  private static CofferException refused(String message) {
    return new CofferException(Reason.UNAUTHENTICATED, message);
  }
}
