package dev.coffer.server.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Run by {@link InjectedRootKeyProcessTest} as a child JVM with a real environment and real
 * inherited descriptors: for each root key URI, prints the URI, the provider's description
 * and {@code "probe"} encrypted under it (associated data: the URI), tab-separated.
 */
public final class RootKeyChildMain {
  private RootKeyChildMain() {}

  public static void main(String[] args) throws Exception {
    for (String uri : args) {
      try {
        RootKeyProvider root = RootKeyProviders.fromUri(uri);
        byte[] ciphertext = root.rootAead().encrypt(
            "probe".getBytes(StandardCharsets.UTF_8), uri.getBytes(StandardCharsets.UTF_8));
        System.out.println(uri + "\t" + root.description() + "\t"
            + Base64.getEncoder().encodeToString(ciphertext));
      } catch (KeyringException e) {
        System.out.println(uri + "\tERROR\t" + e.getMessage());
      }
    }
  }
}
