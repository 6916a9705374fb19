package dev.coffer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.RevealSecretRequest;
import dev.coffer.api.v1.RevealSecretResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** docs/client.md's example does what the page says, against a fake server in-process. */
class ServiceTeamExampleTest {

  @Test
  void theExample_revealsOnce_withItsDeadline_andServesTheCachedValue() throws Exception {
    ClientConfig config = ServiceTeamExample.config("127.0.0.1:7443");
    assertEquals(Duration.ofSeconds(2), config.deadline());
    assertTrue(config.retries());
    try (FakeCofferServer server = new FakeCofferServer();
        CofferClient client = server.connect(config.toBuilder().tokenSupplier(() -> "t").build());
        CachingSecretReader passwords = ServiceTeamExample.passwords(client)) {
      server.answer = req -> RevealSecretResponse.newBuilder()
          .setSecret("secrets/db").setValue("cfr_cs_pw").build();
      assertEquals("cfr_cs_pw", passwords.get("db"));
      assertEquals("cfr_cs_pw", passwords.get("db"));
      assertEquals(1, server.requests.size(), "the second read is served from the cache");
      assertEquals("secrets/db", server.last(RevealSecretRequest.class).getName());
      assertNotNull(server.deadlines.get(0), "every call carries the deadline");
    }
  }
}
