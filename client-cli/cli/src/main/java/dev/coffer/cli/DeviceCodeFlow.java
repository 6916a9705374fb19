package dev.coffer.cli;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationGrantError;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;

/**
 * The OAuth 2.0 device authorization grant (RFC 8628) for a person at a machine without a
 * browser: asks the provider for a device code, prints the verification URL and the user code,
 * and polls the token endpoint until the person has approved, then returns the checked ID token.
 *
 * <p>Contract: polls at the provider's {@code interval} (5 s if it names none), adds 5 s to it on
 * every {@code slow_down} (RFC 8628 §3.5), stops on {@code access_denied} or {@code
 * expired_token}, and never polls past the code's {@code expires_in} (measured by the pauses
 * taken) nor more than {@link #MAX_POLLS} times. Security: the device code and the tokens are
 * never printed; the user code is, since the person must type it.
 */
final class DeviceCodeFlow {

  static final int MAX_POLLS = 1000;
  static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  private final OidcProvider provider;
  private final PrintWriter err;
  private final CliContext.Sleeper sleeper;

  DeviceCodeFlow(OidcProvider provider, PrintWriter err, CliContext.Sleeper sleeper) {
    this.provider = provider;
    this.err = err;
    this.sleeper = sleeper;
  }

  /** Runs the flow; the ID token. */
  String signIn() {
    URI endpoint = provider.metadata.getDeviceAuthorizationEndpointURI();
    if (endpoint == null) {
      throw new CliFailure(ExitCodes.FAILED_PRECONDITION, provider.issuer
          + " offers no device authorization endpoint; sign in without --device");
    }
    DeviceAuthorizationSuccessResponse code = authorize(endpoint);
    URI complete = code.getVerificationURIComplete();
    err.println("To sign in at " + provider.issuer + ", open");
    err.println();
    err.println("  " + code.getVerificationURI());
    err.println();
    err.println("and enter the code  " + code.getUserCode().getValue());
    if (complete != null) {
      err.println("(or open " + complete + ")");
    }
    err.flush();
    TokenRequest poll = new TokenRequest(provider.metadata.getTokenEndpointURI(),
        provider.clientId, new DeviceCodeGrant(code.getDeviceCode()));
    Duration interval = code.getInterval() > 0 ? Duration.ofSeconds(code.getInterval())
        : DEFAULT_INTERVAL;
    Duration lifetime = Duration.ofSeconds(code.getLifetime());
    Duration waited = Duration.ZERO;
    for (int polls = 0; polls < MAX_POLLS; polls++) {
      if (waited.plus(interval).compareTo(lifetime) > 0) {
        break;
      }
      pause(interval);
      waited = waited.plus(interval);
      TokenResponse response = provider.send(poll);
      if (response.indicatesSuccess()) {
        return provider.idToken(response, null);
      }
      ErrorObject error = response.toErrorResponse().getErrorObject();
      if (DeviceAuthorizationGrantError.AUTHORIZATION_PENDING.equals(error)) {
        continue;
      }
      if (DeviceAuthorizationGrantError.SLOW_DOWN.equals(error)) {
        interval = interval.plus(SLOW_DOWN_STEP);
        continue;
      }
      throw OidcProvider.refused(error);
    }
    throw new CliFailure(ExitCodes.UNAUTHENTICATED, "the device code expired before the sign-in"
        + " was approved; run coffer login --device again");
  }

  private DeviceAuthorizationSuccessResponse authorize(URI endpoint) {
    DeviceAuthorizationRequest request =
        new DeviceAuthorizationRequest.Builder(provider.clientId).endpointURI(endpoint)
            .scope(provider.scope).build();
    DeviceAuthorizationResponse response;
    try {
      response = DeviceAuthorizationResponse.parse(
          OidcProvider.exchange(request.toHTTPRequest(), "device authorization endpoint"));
    } catch (ParseException e) {
      // Not the parser's message: it may quote the body, which holds the device code.
      throw new CliFailure(ExitCodes.UNAUTHENTICATED,
          "the provider's device authorization response could not be read");
    }
    if (!response.indicatesSuccess()) {
      throw OidcProvider.refused(response.toErrorResponse().getErrorObject());
    }
    return response.toSuccessResponse();
  }

  private void pause(Duration interval) {
    try {
      sleeper.sleep(interval);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(ExitCodes.OTHER, "interrupted while waiting for the sign-in");
    }
  }
}
