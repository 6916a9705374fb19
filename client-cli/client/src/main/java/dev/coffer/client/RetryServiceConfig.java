package dev.coffer.client;

import dev.coffer.api.v1.AdminProto;
import dev.coffer.api.v1.ApplicationsProto;
import dev.coffer.api.v1.AssertionsProto;
import dev.coffer.api.v1.AuditProto;
import dev.coffer.api.v1.IdentityProto;
import dev.coffer.api.v1.LocationsProto;
import dev.coffer.api.v1.ScopesProto;
import dev.coffer.api.v1.SecretsProto;
import dev.coffer.api.v1.SharingProto;
import dev.coffer.api.v1.TenantsProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The gRPC service config that turns on grpc-java's built-in retries for the Coffer API.
 *
 * <p>Contract: a call that fails with {@code UNAVAILABLE} is retried by the channel, at most
 * {@value #MAX_ATTEMPTS} attempts in all, with exponential backoff (0.2 s, x2, at most 2 s), all
 * within the call's single deadline. Only methods whose repetition is harmless are retried: reads,
 * verify, reveal, revoke and delete. {@code Create*}, {@code IssueToken}, {@code RotateSecret} and
 * {@code StoreCredential}, {@code Login} are never retried, because an {@code UNAVAILABLE} may arrive after the
 * server committed the call, and a repeat would mint a second credential whose shown-once value is
 * lost (or a duplicate grant or access request). Nor are the decisions {@code Approve/Deny/CancelAccessRequest}:
 * a repeat of a committed decision fails as "not pending" and would report a success as an error.
 *
 * <p>Security: holds no data; the map is the JSON form grpc-java parses.
 */
public final class RetryServiceConfig {

  /** Attempts in all, the first included. */
  public static final int MAX_ATTEMPTS = 4;

  /** Prefixes of the methods that create something or make a one-time decision. */
  private static final List<String> NEVER_REPEATED =
      List.of("Create", "Issue", "Rotate", "Store", "Approve", "Deny", "Cancel", "Destroy",
          // A repeat of a check that went through would be refused as a replay.
          "VerifyClientAssertion", "Unquarantine", "ReportLeak",
          // Mints a token, and the server may refuse a repeated JWT as a replay.
          "Login");

  private RetryServiceConfig() {}

  /** The service config map for {@code ManagedChannelBuilder.defaultServiceConfig}. */
  public static Map<String, Object> serviceConfig() {
    Map<String, Object> retryPolicy =
        Map.of(
            "maxAttempts", (double) MAX_ATTEMPTS,
            "initialBackoff", "0.2s",
            "maxBackoff", "2s",
            "backoffMultiplier", 2.0,
            "retryableStatusCodes", List.of("UNAVAILABLE"));
    Map<String, Object> methodConfig =
        Map.of("name", retryableMethodNames(), "retryPolicy", retryPolicy);
    return Map.of("methodConfig", List.of(methodConfig));
  }

  /**
   * {@code {"service": ..., "method": ...}} for every method that may be repeated safely. Read from
   * the proto files' descriptors rather than the generated stubs' method descriptors, which would
   * load and initialise every message class of the API when a channel is built.
   */
  static List<Map<String, Object>> retryableMethodNames() {
    List<Map<String, Object>> names = new ArrayList<>();
    Stream.of(
            SecretsProto.getDescriptor(),
            ApplicationsProto.getDescriptor(),
            LocationsProto.getDescriptor(),
            TenantsProto.getDescriptor(), // tenants, principals, tokens
            SharingProto.getDescriptor(), // access requests, grants
            AuditProto.getDescriptor(),
            AdminProto.getDescriptor(),
            ScopesProto.getDescriptor(),
            AssertionsProto.getDescriptor(),
            IdentityProto.getDescriptor()) // trusted issuers, sign-in
        .flatMap(file -> file.getServices().stream())
        .flatMap(service -> service.getMethods().stream())
        .filter(method -> isSafeToRepeat(method.getName()))
        .forEach(
            method ->
                names.add(
                    Map.of(
                        "service", method.getService().getFullName(),
                        "method", method.getName())));
    return names;
  }

  static boolean isSafeToRepeat(String bareMethodName) {
    return NEVER_REPEATED.stream().noneMatch(bareMethodName::startsWith);
  }
}
