package dev.coffer.server.crypto;

import com.google.crypto.tink.KmsClient;
import dev.coffer.server.config.PrivateFiles;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Chooses a {@link RootKeyProvider} from a configuration URI:
 *
 * <ul>
 *   <li>{@code file:///absolute/path}: an existing {@link DevRootKeyFile} (mode 0600);
 *   <li>{@code env://VARIABLE}: the keyset in an environment variable ({@link InjectedRootKey});
 *   <li>{@code fd://N}: the keyset read from inherited file descriptor N ({@link InjectedRootKey});
 *   <li>a KMS key URI of the {@link KmsRegistry}, {@code aws-kms://arn:aws:kms:…} or
 *       {@code gcp-kms://projects/…/cryptoKeys/…} ({@link KmsRootKeyProvider}), with the
 *       credentials file given to {@link #withKmsCredentials}, or else the cloud's default
 *       credentials (AWS: environment, profile, web identity, instance role; Google:
 *       application default credentials).
 * </ul>
 *
 * <p>Error messages name the scheme and, for {@code env://} and {@code fd://}, the variable
 * or descriptor, never the rest of the URI nor any key material or credentials. Immutable;
 * the {@code with…} methods return a copy, so tests inject the environment, descriptors and
 * KMS clients without touching the process.
 */
public final class RootKeyProviders {
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
  private static final Pattern FD = Pattern.compile("\\d{1,9}");

  private final Function<String, String> environment;
  private final InjectedRootKey.FileDescriptors descriptors;
  private final KmsRegistry kms;
  private final Path kmsCredentials;

  private RootKeyProviders(Function<String, String> environment,
      InjectedRootKey.FileDescriptors descriptors, KmsRegistry kms, Path kmsCredentials) {
    this.environment = Objects.requireNonNull(environment);
    this.descriptors = Objects.requireNonNull(descriptors);
    this.kms = Objects.requireNonNull(kms);
    this.kmsCredentials = kmsCredentials;
  }

  /** The process environment, its inherited descriptors, AWS and GCP KMS, default credentials. */
  public static RootKeyProviders standard() {
    return new RootKeyProviders(System::getenv, InjectedRootKey.inheritedDescriptors(),
        KmsRegistry.standard(), null);
  }

  /** {@code standard().open(uri)}. */
  public static RootKeyProvider fromUri(String uri) {
    return standard().open(uri);
  }

  public RootKeyProviders withEnvironment(Function<String, String> environment) {
    return new RootKeyProviders(environment, descriptors, kms, kmsCredentials);
  }

  public RootKeyProviders withFileDescriptors(InjectedRootKey.FileDescriptors descriptors) {
    return new RootKeyProviders(environment, descriptors, kms, kmsCredentials);
  }

  /** Checks {@code integration} before the other KMS integrations. */
  public RootKeyProviders withKms(KmsRegistry.Integration integration) {
    return new RootKeyProviders(environment, descriptors, kms.withFirst(integration),
        kmsCredentials);
  }

  /**
   * KMS clients authenticate with this file ({@link KmsClient#withCredentials}: AWS, a
   * properties file with {@code accessKey} and {@code secretKey}; Google, a service account
   * JSON key) instead of the default credentials; null for the default credentials.
   */
  public RootKeyProviders withKmsCredentials(Path file) {
    return new RootKeyProviders(environment, descriptors, kms, file);
  }

  public KmsRegistry kms() {
    return kms;
  }

  /**
   * @throws KeyringException for a malformed or unsupported URI, or a key that cannot be
   *     loaded or used
   */
  public RootKeyProvider open(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new KeyringException("no root key URI given; " + supported());
    }
    String text = uri.strip();
    int colon = text.indexOf(':');
    String scheme = colon > 0 && SCHEME.matcher(text.substring(0, colon)).matches()
        ? text.substring(0, colon).toLowerCase(Locale.ROOT) : "";
    switch (scheme) {
      case "file":
        return DevRootKeyFile.load(toPath(parse(text)));
      case "env":
        return InjectedRootKey.fromEnvironment(after("env", text), environment);
      case "fd":
        String fd = after("fd", text);
        if (!FD.matcher(fd).matches()) {
          throw new KeyringException("fd:// root key URI needs a descriptor number, e.g. "
              + "fd://0 (stdin) or fd://3");
        }
        return InjectedRootKey.fromFileDescriptor(Integer.parseInt(fd), descriptors);
      default:
        return kms.find(text).map(integration -> kms(integration, scheme, text))
            .orElseThrow(() -> new KeyringException(
                "unsupported root key URI scheme '" + scheme + "'; " + supported()));
    }
  }

  private RootKeyProvider kms(KmsRegistry.Integration integration, String scheme, String uri) {
    if (!integration.keyUri().matcher(uri).matches()) {
      throw new KeyringException("malformed " + scheme + " root key URI; expected "
          + integration.example());
    }
    KmsClient client = integration.newClient().get();
    try {
      if (kmsCredentials == null) {
        client = client.withDefaultCredentials();
      } else {
        if (!Files.isReadable(kmsCredentials)) {
          throw new KeyringException("the KMS credentials file " + kmsCredentials
              + " is missing or unreadable");
        }
        requireOwnerOnly(kmsCredentials);
        client = client.withCredentials(kmsCredentials.toString());
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      if (e instanceof KeyringException) {
        throw (KeyringException) e;
      }
      // No cause attached: a credential parser's message may quote the credentials.
      throw new KeyringException("cannot load the " + (kmsCredentials == null ? "default"
          : "file's") + " credentials for " + scheme + " (" + KmsRootKeyProvider.rootCause(e)
          + ")");
    }
    return KmsRootKeyProvider.open(client, uri);
  }

  /** The same owner-only rule as a {@code file://} root key ({@link PrivateFiles}). */
  private static void requireOwnerOnly(Path credentials) {
    Optional<String> exposed;
    try {
      exposed = PrivateFiles.exposedMode(credentials);
    } catch (IOException e) {
      throw new KeyringException("the KMS credentials file " + credentials
          + " is missing or unreadable");
    }
    exposed.ifPresent(mode -> {
      throw new KeyringException("the KMS credentials file " + credentials + " is accessible "
          + "by group or others (mode " + mode + "); run: chmod 600 " + credentials);
    });
  }

  private String supported() {
    return "supported: file:///absolute/path/to/root-key.json, env://VARIABLE, fd://N, "
        + String.join(", ", kms.examples());
  }

  /** The part after {@code scheme://}; refuses other shapes without quoting them. */
  private static String after(String scheme, String uri) {
    String prefix = scheme + "://";
    if (!uri.regionMatches(true, 0, prefix, 0, prefix.length())) {
      throw new KeyringException(scheme + ": root key URI is malformed; expected " + prefix
          + (scheme.equals("env") ? "VARIABLE" : "N"));
    }
    return uri.substring(prefix.length());
  }

  private URI parse(String uri) {
    try {
      return new URI(uri);
    } catch (URISyntaxException e) {
      throw new KeyringException("root key URI is malformed; " + supported());
    }
  }

  private Path toPath(URI uri) {
    try {
      return Path.of(uri);
    } catch (IllegalArgumentException e) {
      throw new KeyringException("root key file URI must be absolute; " + supported());
    }
  }
}
