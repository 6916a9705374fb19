package dev.coffer.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code coffer.jar} carries no server (issue 16): no Coffer server class, no
 * RocksDB, no Tink, no Micrometer, no KMS SDK. Opens the shaded jar the build produced.
 */
class CliJarContentsIT {

  private static final List<String> FORBIDDEN = List.of(
      "dev/coffer/server/", "org/rocksdb/", "com/google/crypto/tink/", "io/micrometer/",
      "com/amazonaws/", "com/google/cloud/kms/", "librocksdbjni");

  @Test
  void theCliJar_holdsTheCliAndClient_butNoServerStorageOrCrypto() throws Exception {
    try (JarFile jar = new JarFile(CliProcess.jar().toFile())) {
      assertNotNull(jar.getEntry("dev/coffer/cli/CofferCli.class"), "the CLI itself");
      assertNotNull(jar.getEntry("dev/coffer/client/CofferClient.class"), "the client library");
      assertNotNull(jar.getEntry("picocli/CommandLine.class"), "picocli");
      List<String> found = jar.stream()
          .map(e -> e.getName())
          .filter(name -> FORBIDDEN.stream().anyMatch(name::startsWith))
          .limit(20)
          .collect(Collectors.toList());
      assertEquals(List.of(), found, "server-side classes in " + CliProcess.jar());
    }
  }
}
