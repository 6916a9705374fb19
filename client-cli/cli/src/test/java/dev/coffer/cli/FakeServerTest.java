package dev.coffer.cli;

import dev.coffer.client.FakeCofferServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base of CLI tests that run commands against a fresh {@link FakeCofferServer} each. */
abstract class FakeServerTest {

  protected FakeCofferServer server;
  protected CliHarness cli;

  @BeforeEach
  void startFakeServer() throws Exception {
    server = new FakeCofferServer();
    cli = new CliHarness(server);
  }

  @AfterEach
  void stopFakeServer() {
    server.close();
  }
}
