package dev.coffer.server.crypto;

import dev.coffer.server.testing.FakeKms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The {@link RootKeyProviderContract} for each kind of root key URI. */
class RootKeyProviderContractTest {

  @TempDir Path dir;

  @Nested
  class KeyFile extends RootKeyProviderContract {
    @Override
    protected NewKey newKey() throws Exception {
      Path file = Files.createTempDirectory(dir, "k").resolve("root-key.json");
      DevRootKeyFile.loadOrCreate(file);
      return new NewKey(() -> RootKeyProviders.fromUri(file.toUri().toString()),
          keyValue(Files.readString(file)));
    }
  }

  @Nested
  class EnvironmentVariable extends RootKeyProviderContract {
    @Override
    protected NewKey newKey() {
      String json = TestKeys.newKeysetJson();
      RootKeyProviders providers =
          RootKeyProviders.standard().withEnvironment(Map.of("COFFER_ROOT_KEY_JSON", json)::get);
      return new NewKey(() -> providers.open("env://COFFER_ROOT_KEY_JSON"), keyValue(json));
    }
  }

  @Nested
  class FileDescriptor extends RootKeyProviderContract {
    @Override
    protected NewKey newKey() throws Exception {
      String json = TestKeys.newKeysetJson();
      Path file = Files.writeString(Files.createTempFile(dir, "fd", ".json"), json);
      RootKeyProviders providers = RootKeyProviders.standard()
          .withFileDescriptors(fd -> Files.newInputStream(file));
      return new NewKey(() -> providers.open("fd://3"), keyValue(json));
    }
  }

  @Nested
  class FakeKmsKey extends RootKeyProviderContract {
    @Override
    protected NewKey newKey() {
      String uri = FakeKms.newKeyUri();
      RootKeyProviders providers = RootKeyProviders.standard().withKms(FakeKms.INTEGRATION);
      return new NewKey(() -> providers.open(uri), uri.substring(FakeKms.PREFIX.length()));
    }
  }
}
