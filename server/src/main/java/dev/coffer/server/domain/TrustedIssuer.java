package dev.coffer.server.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An issuer of JWTs that one tenant trusts (a Kubernetes cluster's service-account issuer, a
 * CI provider, the organisation's OpenID provider), with how its keys are found, which
 * audiences and algorithms it may use, how long its tokens and the sessions they open may
 * live, and how its tokens map to the tenant's principals. Its settings are checked where it
 * is created ({@code service.identity.IssuerRules}); this record only holds them.
 *
 * <p>Security: holds public material only (issuer URL, public JWKs, claim conditions); an
 * issuer belongs to one tenant and never vouches for a principal of another.
 *
 * @param jwksJson an inline public JWK Set, or empty
 * @param jwksUri the JWK Set URL, or empty (neither: OpenID discovery)
 * @param creator the resource name of the admin who created it
 */
public record TrustedIssuer(
    String tenantId,
    String issuerId,
    String issuer,
    IssuerPurpose purpose,
    String jwksJson,
    String jwksUri,
    List<String> audiences,
    List<String> algorithms,
    Duration maxTokenLifetime,
    Duration maxSession,
    Duration clockSkew,
    List<ClaimBinding> bindings,
    String userClaim,
    List<ClaimMatch> requiredClaims,
    boolean createUsers,
    String clientId,
    List<String> scopes,
    Instant createTime,
    String creator) {

  public TrustedIssuer {
    jwksJson = jwksJson == null ? "" : jwksJson;
    jwksUri = jwksUri == null ? "" : jwksUri;
    audiences = List.copyOf(audiences);
    algorithms = List.copyOf(algorithms);
    bindings = List.copyOf(bindings);
    userClaim = userClaim == null ? "" : userClaim;
    requiredClaims = List.copyOf(requiredClaims);
    clientId = clientId == null ? "" : clientId;
    scopes = List.copyOf(scopes);
    creator = creator == null ? "" : creator;
  }

  /** {@code tenants/{tenant}/issuers/{issuer_id}}. */
  public String resourceName() {
    return resourceName(tenantId, issuerId);
  }

  public static String resourceName(String tenantId, String issuerId) {
    return "tenants/" + tenantId + "/issuers/" + issuerId;
  }

  /** A builder with every list empty and every other part unset. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this issuer's parts. */
  public Builder toBuilder() {
    return new Builder().tenantId(tenantId).issuerId(issuerId).issuer(issuer).purpose(purpose)
        .jwksJson(jwksJson).jwksUri(jwksUri).audiences(audiences).algorithms(algorithms)
        .maxTokenLifetime(maxTokenLifetime).maxSession(maxSession).clockSkew(clockSkew)
        .bindings(bindings).userClaim(userClaim).requiredClaims(requiredClaims)
        .createUsers(createUsers).clientId(clientId).scopes(scopes).createTime(createTime)
        .creator(creator);
  }

  /** Named parts of a {@link TrustedIssuer}. */
  public static final class Builder {
    private String tenantId = "";
    private String issuerId = "";
    private String issuer = "";
    private IssuerPurpose purpose;
    private String jwksJson = "";
    private String jwksUri = "";
    private List<String> audiences = List.of();
    private List<String> algorithms = List.of();
    private Duration maxTokenLifetime;
    private Duration maxSession;
    private Duration clockSkew;
    private List<ClaimBinding> bindings = List.of();
    private String userClaim = "";
    private List<ClaimMatch> requiredClaims = List.of();
    private boolean createUsers;
    private String clientId = "";
    private List<String> scopes = List.of();
    private Instant createTime;
    private String creator = "";

    private Builder() {}

    public Builder tenantId(String v) { tenantId = v; return this; }
    public Builder issuerId(String v) { issuerId = v; return this; }
    public Builder issuer(String v) { issuer = v; return this; }
    public Builder purpose(IssuerPurpose v) { purpose = v; return this; }
    public Builder jwksJson(String v) { jwksJson = v; return this; }
    public Builder jwksUri(String v) { jwksUri = v; return this; }
    public Builder audiences(List<String> v) { audiences = v; return this; }
    public Builder algorithms(List<String> v) { algorithms = v; return this; }
    public Builder maxTokenLifetime(Duration v) { maxTokenLifetime = v; return this; }
    public Builder maxSession(Duration v) { maxSession = v; return this; }
    public Builder clockSkew(Duration v) { clockSkew = v; return this; }
    public Builder bindings(List<ClaimBinding> v) { bindings = v; return this; }
    public Builder userClaim(String v) { userClaim = v; return this; }
    public Builder requiredClaims(List<ClaimMatch> v) { requiredClaims = v; return this; }
    public Builder createUsers(boolean v) { createUsers = v; return this; }
    public Builder clientId(String v) { clientId = v; return this; }
    public Builder scopes(List<String> v) { scopes = v; return this; }
    public Builder createTime(Instant v) { createTime = v; return this; }
    public Builder creator(String v) { creator = v; return this; }

    public TrustedIssuer build() {
      return new TrustedIssuer(tenantId, issuerId, issuer, purpose, jwksJson, jwksUri,
          audiences, algorithms, maxTokenLifetime, maxSession, clockSkew, bindings, userClaim,
          requiredClaims, createUsers, clientId, scopes, createTime, creator);
    }
  }
}
