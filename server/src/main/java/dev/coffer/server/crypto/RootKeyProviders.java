package dev.coffer.server.crypto;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Chooses a {@link RootKeyProvider} from a configuration URI. Supported now:
 * {@code file:///absolute/path} (an existing {@link DevRootKeyFile}). Cloud KMS URIs
 * ({@code gcp-kms://}, {@code aws-kms://}) are recognised and refused until supported.
 * Error messages name the scheme only, never the rest of the URI.
 */
public final class RootKeyProviders {
  static final String SUPPORTED = "supported now: file:///absolute/path/to/root-key.json";

  private RootKeyProviders() {}

  /**
   * @throws KeyringException for a malformed or unsupported URI, or a key file that cannot
   *     be loaded
   */
  public static RootKeyProvider fromUri(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new KeyringException("no root key URI given; " + SUPPORTED);
    }
    URI parsed = parse(uri.strip());
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "file":
        return DevRootKeyFile.load(toPath(parsed));
      case "gcp-kms":
      case "aws-kms":
        throw new KeyringException(
            "root key URI scheme '" + scheme + "' (cloud KMS) is not supported yet; " + SUPPORTED);
      default:
        throw new KeyringException(
            "unsupported root key URI scheme '" + scheme + "'; " + SUPPORTED);
    }
  }

  private static URI parse(String uri) {
    try {
      return new URI(uri);
    } catch (URISyntaxException e) {
      throw new KeyringException("root key URI is malformed; " + SUPPORTED);
    }
  }

  private static Path toPath(URI uri) {
    try {
      return Path.of(uri);
    } catch (IllegalArgumentException e) {
      throw new KeyringException("root key file URI must be absolute; " + SUPPORTED);
    }
  }
}
