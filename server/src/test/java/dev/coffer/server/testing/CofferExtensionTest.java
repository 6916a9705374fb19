package dev.coffer.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.coffer.api.v1.PrincipalServiceGrpc;
import dev.coffer.api.v1.WhoAmIRequest;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.store.Table;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;

/**
 * {@link CofferExtension} runs small test classes (nested here, run only through the JUnit
 * launcher by these tests) and is checked from outside: what it opened is closed and its
 * directory gone, even after a test that threw.
 */
class CofferExtensionTest {

  /** What the inner classes saw while they ran; set only while a launcher run is under way. */
  static final List<TestVault> vaults = new CopyOnWriteArrayList<>();
  static final List<InProcessServer> servers = new CopyOnWriteArrayList<>();
  static final List<Path> dirs = new CopyOnWriteArrayList<>();
  static final List<String> addresses = new CopyOnWriteArrayList<>();
  static volatile boolean launched;

  private static TestExecutionSummary run(Class<?> testClass) {
    vaults.clear();
    servers.clear();
    dirs.clear();
    addresses.clear();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    launched = true;
    try {
      LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
          .selectors(selectClass(testClass)).build(), summary);
    } finally {
      launched = false;
    }
    return summary.getSummary();
  }

  private static void assertClosed(TestVault vault) {
    CofferException e = assertThrows(CofferException.class,
        () -> vault.vault.storage().store().get(Table.META, new byte[] {1}));
    assertEquals(Reason.STORAGE_FAILURE, e.reason(), "the vault's storage is still open");
  }

  @Test
  void aTestThatThrows_stillHasItsServerAndVaultClosed_andItsDirectoryDeleted() {
    TestExecutionSummary summary = run(Throws.class);
    assertEquals(1, summary.getTestsFailedCount(), "the inner test ran and threw");
    assertEquals(1, servers.size());
    InProcessServer coffer = servers.get(0);
    assertTrue(coffer.channel.isShutdown(), "the channel is still open");
    assertThrows(StatusRuntimeException.class, () -> coffer.principals(coffer.vault.adminToken)
        .whoAmI(WhoAmIRequest.getDefaultInstance()));
    assertClosed(coffer.vault);
    assertFalse(Files.exists(dirs.get(0)), "the data directory was left behind");
  }

  @Test
  void twoExtensionsInOneClass_ownTwoDirectoriesAndTwoVaults_bothClosedAfterwards() {
    TestExecutionSummary summary = run(TwoVaults.class);
    assertEquals(1, summary.getTestsSucceededCount(), summary.getFailures().toString());
    assertEquals(2, dirs.size());
    assertNotEquals(dirs.get(0), dirs.get(1));
    assertNotEquals(vaults.get(0).vault, vaults.get(1).vault);
    for (int i = 0; i < 2; i++) {
      assertNotNull(vaults.get(i).adminToken, "each vault is bootstrapped on its own");
      assertClosed(vaults.get(i));
      assertFalse(Files.exists(dirs.get(i)));
    }
  }

  @Test
  void onAStaticField_oneVaultServesEveryTestOfTheClass_andIsClosedAfterAll() {
    TestExecutionSummary summary = run(SharedByClass.class);
    assertEquals(2, summary.getTestsSucceededCount(), summary.getFailures().toString());
    assertEquals(2, vaults.size());
    assertTrue(vaults.get(0) == vaults.get(1), "each test got a vault of its own");
    assertClosed(vaults.get(0));
    assertFalse(Files.exists(dirs.get(0)));
  }

  @Test
  void aLoopbackServer_listensOn127001Only_andIsStoppedAfterTheTest() throws Exception {
    TestExecutionSummary summary = run(Loopback.class);
    assertEquals(1, summary.getTestsSucceededCount(), summary.getFailures().toString());
    assertTrue(addresses.get(0).startsWith("127.0.0.1:"), addresses.get(0));
    ManagedChannel channel = NettyChannelBuilder.forTarget(addresses.get(0)).usePlaintext()
        .build();
    try {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> PrincipalServiceGrpc.newBlockingStub(channel)
              .withInterceptors(InProcessServer.bearer(vaults.get(0).adminToken))
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .whoAmI(WhoAmIRequest.getDefaultInstance()));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    } finally {
      channel.shutdownNow();
    }
    assertClosed(vaults.get(0));
    assertFalse(Files.exists(dirs.get(0)));
  }

  @Test
  void usedBeforeItOpens_saysSo() {
    CofferExtension unopened = CofferExtension.vaultOnly().build();
    assertThrows(IllegalStateException.class, unopened::vault);
    assertThrows(IllegalStateException.class,
        () -> CofferExtension.vaultOnly().server((v, s) -> { }));
  }

  /** The inner classes run only under {@link #run}, never on their own. */
  abstract static class OnlyWhenLaunched {
    @BeforeEach
    void onlyFromTheOuterTest() {
      Assumptions.assumeTrue(launched, "run by CofferExtensionTest only");
    }
  }

  static class Throws extends OnlyWhenLaunched {
    @RegisterExtension final CofferExtension coffer = CofferExtension.inProcessServer().build();

    @Test
    void throwsAfterUsingTheServer() {
      servers.add(coffer.coffer());
      dirs.add(coffer.dir());
      assertEquals("admin", coffer.coffer().principals(coffer.adminToken())
          .whoAmI(WhoAmIRequest.getDefaultInstance()).getPrincipalId());
      throw new IllegalStateException("the test fails");
    }
  }

  static class TwoVaults extends OnlyWhenLaunched {
    @RegisterExtension final CofferExtension first = CofferExtension.vaultOnly().build();
    @RegisterExtension final CofferExtension second = CofferExtension.vaultOnly().build();

    @Test
    void both() {
      vaults.add(first.vault());
      vaults.add(second.vault());
      dirs.add(first.dir());
      dirs.add(second.dir());
    }
  }

  static class Loopback extends OnlyWhenLaunched {
    @RegisterExtension final CofferExtension server = CofferExtension.loopbackServer().build();

    @Test
    void answersOverTheNetwork() {
      vaults.add(server.vault());
      dirs.add(server.dir());
      addresses.add(server.address());
      ManagedChannel channel = NettyChannelBuilder.forTarget(server.address()).usePlaintext()
          .build();
      try {
        assertEquals("admin", PrincipalServiceGrpc.newBlockingStub(channel)
            .withInterceptors(InProcessServer.bearer(server.adminToken()))
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .whoAmI(WhoAmIRequest.getDefaultInstance()).getPrincipalId());
      } finally {
        channel.shutdownNow();
      }
    }
  }

  static class SharedByClass extends OnlyWhenLaunched {
    @RegisterExtension static final CofferExtension shared = CofferExtension.vaultOnly().build();

    @BeforeEach
    void record() {
      vaults.add(shared.vault());
      dirs.add(shared.dir());
    }

    @Test
    void one() {
      assertTrue(Files.isDirectory(shared.dir()));
    }

    @Test
    void two() {
      assertTrue(Files.isDirectory(shared.dir()));
    }
  }
}
