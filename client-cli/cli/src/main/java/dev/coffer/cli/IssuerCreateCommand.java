package dev.coffer.cli;

import dev.coffer.api.v1.CreateTrustedIssuerRequest;
import dev.coffer.api.v1.IssuerPurpose;
import dev.coffer.api.v1.TrustedIssuer;
import dev.coffer.client.CofferClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coffer issuer create ID}: CreateTrustedIssuer, one flag per {@link TrustedIssuer} field.
 * Bindings are {@code --bind 'CLAIM=VALUE[,CLAIM~PATTERN...]->PRINCIPAL'} (see {@link
 * IssuerViews}); an inline JWK Set comes from {@code --jwks-file}. The server checks every field
 * (INVALID_ARGUMENT names the one it refuses). Security: only public keys and public facts.
 */
@Command(name = "create", description = "Trust an issuer's JWTs in a tenant (tenant admins).")
final class IssuerCreateCommand extends ClientCommand {

  /** Purposes as typed. */
  enum Purpose {
    workloads(IssuerPurpose.WORKLOADS),
    people(IssuerPurpose.PEOPLE);

    final IssuerPurpose proto;

    Purpose(IssuerPurpose proto) {
      this.proto = proto;
    }
  }

  @Parameters(paramLabel = "ID", description = "Issuer id: 2-64 of a-z, 0-9, '-'; starts with a"
      + " letter.")
  String id;

  @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant (default: yours).")
  String tenant = "";

  @Option(names = "--url", required = true, paramLabel = "URL",
      description = "The exact iss value: https, or http on a loopback host.")
  String url;

  @Option(names = "--purpose", required = true, paramLabel = "PURPOSE",
      description = "workloads (bound to SERVICE principals) or people (USER principals).")
  Purpose purpose;

  @Option(names = "--jwks-file", paramLabel = "FILE",
      description = "Inline JWK Set (public keys), for an issuer the server cannot reach.")
  Path jwksFile;

  @Option(names = "--jwks-uri", paramLabel = "URL",
      description = "JWK Set URL (default: from the issuer's OpenID discovery).")
  String jwksUri = "";

  @Option(names = "--audience", paramLabel = "AUD", required = true,
      description = "An accepted aud value (repeatable; at least one).")
  List<String> audiences = new ArrayList<>();

  @Option(names = "--algorithm", paramLabel = "ALG",
      description = "An accepted signature algorithm, e.g. RS256, ES256 (repeatable; server"
          + " default RS256 and ES256).")
  List<String> algorithms = new ArrayList<>();

  @Option(names = "--max-token-lifetime", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Longest a presented JWT may live, exp - iat (server default 24h, at most 7d).")
  Duration maxTokenLifetime;

  @Option(names = "--max-session", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Longest Coffer token a JWT exchanges for (server default 1h).")
  Duration maxSession;

  @Option(names = "--clock-skew", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Tolerated clock skew (server default 60s, at most 5m).")
  Duration clockSkew;

  @Option(names = "--bind", paramLabel = "RULE",
      description = "workloads: CLAIM=VALUE[,CLAIM~PATTERN...]->SERVICE_PRINCIPAL, e.g."
          + " 'sub=system:serviceaccount:payments:api->payments-api' (repeatable).")
  List<String> bindings = new ArrayList<>();

  @Option(names = "--user-claim", paramLabel = "CLAIM",
      description = "people: the claim whose value is the USER principal id, e.g."
          + " preferred_username.")
  String userClaim = "";

  @Option(names = "--require", paramLabel = "CONDITION",
      description = "people: CLAIM=VALUE or CLAIM~PATTERN every ID token must match, e.g."
          + " email_verified=true (repeatable).")
  List<String> required = new ArrayList<>();

  @Option(names = "--create-users",
      description = "people: create the USER principal (not an admin) on its first sign-in.")
  boolean createUsers;

  @Option(names = "--client-id", paramLabel = "CLIENT_ID",
      description = "people: the OAuth client id coffer login uses (a public client).")
  String clientId = "";

  @Option(names = "--scope", paramLabel = "SCOPE",
      description = "people: a scope coffer login requests (repeatable; default openid profile"
          + " email).")
  List<String> scopes = new ArrayList<>();

  private TrustedIssuer.Builder issuer;

  @Override
  protected void checkLocally() {
    issuer = TrustedIssuer.newBuilder().setIssuerId(id).setIssuer(url).setPurpose(purpose.proto)
        .setJwksUri(jwksUri).addAllAudiences(audiences).addAllAlgorithms(algorithms)
        .setUserClaim(userClaim).setCreateUsers(createUsers).setClientId(clientId)
        .addAllScopes(scopes);
    if (jwksFile != null) {
      try {
        issuer.setJwksJson(Files.readString(jwksFile, StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        throw usage("cannot read --jwks-file " + jwksFile + " (" + e.getClass().getSimpleName()
            + ")");
      }
    }
    if (maxTokenLifetime != null) {
      issuer.setMaxTokenLifetime(DurationConverter.toProto(maxTokenLifetime));
    }
    if (maxSession != null) {
      issuer.setMaxSession(DurationConverter.toProto(maxSession));
    }
    if (clockSkew != null) {
      issuer.setClockSkew(DurationConverter.toProto(clockSkew));
    }
    try {
      bindings.forEach(b -> issuer.addBindings(IssuerViews.binding(b)));
      required.forEach(r -> issuer.addRequiredClaims(IssuerViews.match(r)));
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  @Override
  protected int run(CofferClient client, Printer printer) {
    TrustedIssuer created = client.issuers().createTrustedIssuer(CreateTrustedIssuerRequest
        .newBuilder().setTenantId(tenant).setIssuer(issuer).build());
    printer.print(created, IssuerViews.view(created));
    return ExitCodes.OK;
  }
}
