package dev.coffer.cli;

import dev.coffer.api.v1.ClaimBinding;
import dev.coffer.api.v1.ClaimMatch;
import dev.coffer.api.v1.TrustedIssuer;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.client.CofferClient;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Text forms of trusted issuers and their claim rules, both ways: {@code --bind} / {@code
 * --require} arguments to {@link ClaimMatch}es and back, and the key-value view of an issuer.
 *
 * <p>Syntax: a condition is {@code CLAIM=VALUE} (the claim must be exactly VALUE) or {@code
 * CLAIM~PATTERN} (a glob, as the server defines it); a binding is conditions separated by commas,
 * then {@code ->}, then the SERVICE principal id, e.g. {@code
 * sub=system:serviceaccount:payments:api->payments-api}. Security: issuers hold public facts and
 * public keys only.
 */
final class IssuerViews {

  private IssuerViews() {}

  /** {@code CLAIM=VALUE} or {@code CLAIM~PATTERN}; an {@link IllegalArgumentException} else. */
  static ClaimMatch match(String text) {
    int eq = text.indexOf('=');
    int tilde = text.indexOf('~');
    int at = eq < 0 ? tilde : tilde < 0 ? eq : Math.min(eq, tilde);
    if (at <= 0 || at == text.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not CLAIM=VALUE or CLAIM~PATTERN");
    }
    ClaimMatch.Builder m = ClaimMatch.newBuilder().setClaim(text.substring(0, at).strip());
    String value = text.substring(at + 1).strip();
    return (text.charAt(at) == '=' ? m.setEquals(value) : m.setPattern(value)).build();
  }

  /** {@code CONDITION[,CONDITION...]->PRINCIPAL}. */
  static ClaimBinding binding(String text) {
    int arrow = text.lastIndexOf("->");
    if (arrow <= 0 || arrow + 2 >= text.length()) {
      throw new IllegalArgumentException("'" + text + "' is not CLAIM=VALUE[,CLAIM=VALUE...]"
          + "->PRINCIPAL_ID");
    }
    ClaimBinding.Builder b = ClaimBinding.newBuilder()
        .setPrincipalId(text.substring(arrow + 2).strip());
    for (String condition : text.substring(0, arrow).split(",")) {
      b.addClaims(match(condition.strip()));
    }
    return b.build();
  }

  static String text(ClaimMatch m) {
    return m.getClaim() + (m.hasPattern() ? "~" + m.getPattern() : "=" + m.getEquals());
  }

  static String text(ClaimBinding b) {
    return b.getClaimsList().stream().map(IssuerViews::text).collect(Collectors.joining(","))
        + "->" + b.getPrincipalId();
  }

  static String[] view(TrustedIssuer i) {
    List<String> kv = new ArrayList<>(List.of(
        "issuer", i.getName(),
        "url", i.getIssuer(),
        "purpose", i.getPurpose().name(),
        "keys", !i.getJwksJson().isEmpty() ? "inline JWK Set"
            : !i.getJwksUri().isEmpty() ? i.getJwksUri() : "from OpenID discovery",
        "audiences", String.join(", ", i.getAudiencesList()),
        "algorithms", String.join(", ", i.getAlgorithmsList()),
        "max token lifetime", i.hasMaxTokenLifetime() ? Printer.duration(i.getMaxTokenLifetime())
            : "",
        "max session", i.hasMaxSession() ? Printer.duration(i.getMaxSession()) : "",
        "clock skew", i.hasClockSkew() ? Printer.duration(i.getClockSkew()) : "",
        "user claim", i.getUserClaim(),
        "required claims", i.getRequiredClaimsList().stream().map(IssuerViews::text)
            .collect(Collectors.joining(" ")),
        "creates users", i.getPurpose().name().equals("PEOPLE") ? Printer.yesNo(i.getCreateUsers())
            : "",
        "client id", i.getClientId(),
        "scopes", String.join(" ", i.getScopesList())));
    for (ClaimBinding b : i.getBindingsList()) {
      kv.add("binding");
      kv.add(text(b));
    }
    kv.addAll(List.of("created", Printer.time(i.getCreateTime()), "creator", i.getCreator()));
    return kv.toArray(String[]::new);
  }

  /**
   * The resource name of issuer {@code id}: as given if it is {@code tenants/T/issuers/ID}, else
   * in {@code tenant}, else in the caller's tenant (asked with WhoAmI).
   */
  static String name(String id, String tenant, CofferClient client) {
    if (id.startsWith("tenants/")) {
      return id;
    }
    String t = tenant != null && !tenant.isBlank() ? tenant
        : client.principals().whoAmI(WhoAmIRequest.getDefaultInstance()).getTenantId();
    return "tenants/" + t + "/issuers/" + id;
  }
}
