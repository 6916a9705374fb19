package dev.coffer.client;

import java.time.Duration;

/**
 * The example of docs/client.md, compiled (and run by {@link ServiceTeamExampleTest}) so that
 * the documentation cannot drift from the API: a service reads its database password through a
 * deadline, grpc-java's retry policy for safe calls, and a refresh-ahead cache.
 */
final class ServiceTeamExample {

  private ServiceTeamExample() {}

  // --8<-- docs/client.md
  static ClientConfig config(String address) {
    return ClientConfig.builder()
        .address(address)                                   // HOST:PORT of the Coffer server
        .tokenSupplier(() -> System.getenv("COFFER_TOKEN"))  // read per call: rotation-friendly
        .deadline(Duration.ofSeconds(2))                    // every call; default 10 s
        .retries(true)                                      // UNAVAILABLE, safe calls only
        .build();
  }

  static CachingSecretReader passwords(CofferClient client) {
    return CachingSecretReader.builder(client)              // needs caffeine on the classpath
        .ttl(Duration.ofMinutes(5))                         // hard expiry of a cached value
        .refreshAhead(0.8)                                  // refresh in the background at 4 min
        .build();
  }
  // --8<--
}
