package dev.coffer.server.service.identity;

import dev.coffer.server.domain.ClaimBinding;
import dev.coffer.server.domain.ClaimMatch;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.IssuerPurpose;
import dev.coffer.server.domain.PrincipalKind;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.TrustedIssuer;
import dev.coffer.server.testing.TestVault;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Tenants, principals and issuers for the identity tests, made through the real services. */
final class IdentityFixture {

  static final String AUD = "coffer";

  private IdentityFixture() {}

  /** Creates tenant {@code tenant} with a USER "owner" and SERVICE principals {@code services}. */
  static void tenant(TestVault t, String tenant, String... services) {
    t.vault.directory().tenants().create(t.admin(), tenant, null);
    t.vault.directory().principals().create(t.admin(), tenant, "owner", PrincipalKind.USER,
        false);
    for (String s : services) {
      t.vault.directory().principals().create(t.admin(), tenant, s, PrincipalKind.SERVICE,
          false, "owner");
    }
  }

  /** A WORKLOADS issuer binding {@code sub} exactly to {@code principal}. */
  static TrustedIssuer.Builder workloads(String id, String issuer, String sub,
      String principal) {
    return TrustedIssuer.builder().issuerId(id).issuer(issuer)
        .purpose(IssuerPurpose.WORKLOADS).audiences(List.of(AUD))
        .bindings(List.of(new ClaimBinding(List.of(ClaimMatch.exactly("sub", sub)),
            principal)));
  }

  /** A PEOPLE issuer mapping preferred_username, creating users, email_verified required. */
  static TrustedIssuer.Builder people(String id, String issuer) {
    return TrustedIssuer.builder().issuerId(id).issuer(issuer).purpose(IssuerPurpose.PEOPLE)
        .audiences(List.of(AUD)).userClaim("preferred_username").clientId("coffer-cli")
        .createUsers(true).requiredClaims(List.of(ClaimMatch.exactly("email_verified", "true")));
  }

  /** Runs {@code call}, expecting a refused sign-in naming {@code failure}. */
  static void assertRefused(LoginFailure failure, Executable call) {
    CofferException e = assertThrows(CofferException.class, call);
    assertEquals(Reason.LOGIN_REFUSED, e.reason(), e.getMessage());
    assertEquals(failure.name(), e.metadata().get("failure"), e.getMessage());
  }
}
