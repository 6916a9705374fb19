package dev.coffer.cli;

import dev.coffer.api.v1.ListLoginIssuersRequest;
import dev.coffer.api.v1.ListLoginIssuersResponse;
import dev.coffer.api.v1.LoginIssuer;
import dev.coffer.api.v1.LoginRequest;
import dev.coffer.api.v1.LoginResponse;
import dev.coffer.client.CofferClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer login}: signs in through one of the tenant's trusted issuers and keeps the Coffer
 * session token ({@link SessionFile}, mode 0600) for later commands.
 *
 * <p>With {@code --jwt-file F} it exchanges a workload's JWT (a Kubernetes service-account token,
 * a CI job's OIDC token) with {@code Login}. Without it, it asks {@code ListLoginIssuers} for the
 * tenant's PEOPLE issuers and signs the person in at the chosen one's OpenID provider (the
 * authorization code flow with PKCE on a loopback redirect, or with {@code --device} the device
 * authorization grant), then exchanges the ID token. Security: neither the JWT nor the Coffer
 * token is printed; JSON output is the Login response without its access token.
 */
@Command(name = "login", description = "Sign in through a trusted issuer (a workload's JWT file,"
    + " or a person at the tenant's OpenID provider) and keep the session for later commands.")
final class LoginCommand extends ClientCommand {

  static final String TYPE_JWT = "urn:ietf:params:oauth:token-type:jwt";
  static final String TYPE_ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";

  @Option(names = "--tenant", required = true, paramLabel = "TENANT",
      description = "The tenant to sign in to.")
  String tenant;

  @Option(names = "--jwt-file", paramLabel = "FILE",
      description = "Exchange the JWT in FILE (a workload's token) instead of signing a person in.")
  Path jwtFile;

  @Option(names = "--issuer", paramLabel = "ISSUER_ID",
      description = "Which of the tenant's sign-in issuers to use (needed when it has several).")
  String issuerId;

  @Option(names = "--device", description = "Use the device authorization grant: print a URL"
      + " and a code to enter on any device, instead of a redirect to this machine.")
  boolean device;

  @Option(names = "--ttl", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Lifetime of the session, e.g. 8h (default and maximum: the issuer's).")
  Duration ttl;

  @Option(names = "--description", paramLabel = "TEXT",
      description = "Kept on the session's token (default: coffer login).")
  String description = "coffer login";

  @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "5m",
      description = "How long to wait for the browser sign-in (default: ${DEFAULT-VALUE}).")
  Duration wait;

  @Override
  protected void checkLocally() {
    if (jwtFile != null && (issuerId != null || device)) {
      throw usage("--jwt-file exchanges a workload's token: it takes no --issuer or --device");
    }
    if (jwtFile != null) {
      readJwt();
    }
  }

  @Override
  protected int run(CofferClient client, Printer printer) {
    LoginRequest.Builder request = LoginRequest.newBuilder().setTenantId(tenant)
        .setDescription(description);
    if (ttl != null) {
      request.setTtl(DurationConverter.toProto(ttl));
    }
    if (jwtFile != null) {
      request.setSubjectToken(readJwt()).setSubjectTokenType(TYPE_JWT);
    } else {
      OidcProvider provider = OidcProvider.discover(chooseIssuer(client));
      String idToken = device
          ? new DeviceCodeFlow(provider, ctx.err(), ctx.sleeper()).signIn()
          : new LoopbackCodeFlow(provider, ctx.err(), wait).signIn();
      request.setSubjectToken(idToken).setSubjectTokenType(TYPE_ID_TOKEN);
    }
    LoginResponse response;
    try {
      response = client.login().login(request.build());
    } catch (io.grpc.StatusRuntimeException e) {
      // The server's reason, not the "no token" hint: Login is how one gets a token.
      throw new CliFailure(ExitCodes.forStatus(e.getStatus().getCode()),
          "sign-in refused by Coffer: " + dev.coffer.client.CofferErrors.describe(e));
    }
    SessionFile session = SessionFile.of(ctx);
    Instant expires = response.getToken().hasExpireTime()
        ? Instant.ofEpochSecond(response.getToken().getExpireTime().getSeconds()) : null;
    session.save(new SessionFile.Session(global.target(ctx), tenant,
        response.getPrincipal().getName(), response.getToken().getTokenId(), expires,
        response.getAccessToken()));
    LoginResponse shown = response.toBuilder().clearAccessToken().build();
    printer.print(shown,
        "signed in as", response.getPrincipal().getName(),
        "kind", response.getPrincipal().getKind().name(),
        "issuer", response.getIssuer(),
        "token", response.getToken().getTokenId(),
        "expires", Printer.time(response.getToken().getExpireTime()),
        "session", session.path() + " (mode 0600)");
    printer.note("Later commands use this session when no --token, --token-file or $"
        + GlobalOptions.ENV_TOKEN + " is given; coffer logout ends it.");
    return ExitCodes.OK;
  }

  /** The PEOPLE issuer to sign in with: {@code --issuer}, or the tenant's only one. */
  private LoginIssuer chooseIssuer(CofferClient client) {
    ListLoginIssuersResponse issuers = client.login()
        .listLoginIssuers(ListLoginIssuersRequest.newBuilder().setTenantId(tenant).build());
    String ids = issuers.getIssuersList().stream().map(LoginIssuer::getIssuerId)
        .collect(Collectors.joining(", "));
    if (issuerId != null) {
      return issuers.getIssuersList().stream().filter(i -> i.getIssuerId().equals(issuerId))
          .findFirst().orElseThrow(() -> new CliFailure(ExitCodes.NOT_FOUND, "tenant " + tenant
              + " has no sign-in issuer " + issuerId + (ids.isEmpty() ? "" : " (it has: " + ids
              + ")")));
    }
    if (issuers.getIssuersCount() == 1) {
      return issuers.getIssuers(0);
    }
    if (issuers.getIssuersCount() == 0) {
      throw new CliFailure(ExitCodes.FAILED_PRECONDITION, "tenant " + tenant + " has no sign-in"
          + " issuer for people; ask its admin (coffer issuer create --purpose people), or use"
          + " --jwt-file for a workload");
    }
    throw usage("tenant " + tenant + " has several sign-in issuers: choose one with --issuer ("
        + ids + ")");
  }

  private String readJwt() {
    String jwt;
    try {
      jwt = Files.readString(jwtFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw usage("cannot read --jwt-file " + jwtFile + " (" + e.getClass().getSimpleName() + ")");
    }
    if (jwt.isEmpty()) {
      throw usage("--jwt-file " + jwtFile + " is empty");
    }
    return jwt;
  }
}
