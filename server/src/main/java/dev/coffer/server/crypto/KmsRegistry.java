package dev.coffer.server.crypto;

import com.google.crypto.tink.KmsClient;
import com.google.crypto.tink.integration.awskms.AwsKmsClient;
import com.google.crypto.tink.integration.gcpkms.GcpKmsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The key management services a root key URI can select, each through a Tink
 * {@link KmsClient}: {@code aws-kms://} ({@link AwsKmsClient}) and {@code gcp-kms://}
 * ({@link GcpKmsClient}, Cloud KMS over HTTP) as standard, and any other registered before
 * them (tests register a fake KMS). A URI selects the first integration whose fresh,
 * unbound client {@linkplain KmsClient#doesSupport supports} it. Immutable.
 *
 * <p>A fresh client per use, because Tink's clients keep their credentials in mutable
 * state; creating one reads no credentials and makes no network request.
 */
public final class KmsRegistry {

  /**
   * One KMS: what a well-formed key URI looks like ({@code keyUri}, shown to the operator
   * as {@code example}) and how to make an unbound client.
   */
  public record Integration(String example, Pattern keyUri, Supplier<KmsClient> newClient) {
    public Integration {
      Objects.requireNonNull(example);
      Objects.requireNonNull(keyUri);
      Objects.requireNonNull(newClient);
    }

    /** True if a fresh client of this integration supports {@code uri}. */
    public boolean supports(String uri) {
      return newClient.get().doesSupport(uri);
    }
  }

  /** AWS KMS: a key or alias ARN; the region in it selects the endpoint. */
  public static final Integration AWS = new Integration(
      "aws-kms://arn:aws:kms:REGION:ACCOUNT:key/KEY_ID",
      Pattern.compile("(?i:aws-kms)://arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\\d{12}:"
          + "(key/[A-Za-z0-9-]+|alias/[A-Za-z0-9/_-]+)"),
      AwsKmsClient::new);

  /** Google Cloud KMS: a crypto key's resource name (the pattern Tink's GcpKmsAead checks). */
  public static final Integration GCP = new Integration(
      "gcp-kms://projects/PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/KEY",
      Pattern.compile("(?i:gcp-kms)://projects/[^/]+/locations/[a-zA-Z0-9_-]{1,63}/"
          + "keyRings/[a-zA-Z0-9_-]{1,63}/cryptoKeys/[a-zA-Z0-9_-]{1,63}"),
      GcpKmsClient::new);

  private final List<Integration> integrations;

  private KmsRegistry(List<Integration> integrations) {
    this.integrations = List.copyOf(integrations);
  }

  /** AWS KMS and Google Cloud KMS. */
  public static KmsRegistry standard() {
    return new KmsRegistry(List.of(AWS, GCP));
  }

  /** This registry with {@code integration} checked before the others. */
  public KmsRegistry withFirst(Integration integration) {
    List<Integration> all = new ArrayList<>();
    all.add(integration);
    all.addAll(integrations);
    return new KmsRegistry(all);
  }

  /** The first integration supporting {@code uri}. */
  public Optional<Integration> find(String uri) {
    return integrations.stream().filter(i -> i.supports(uri)).findFirst();
  }

  /** An example URI of each integration, for messages. */
  public List<String> examples() {
    return integrations.stream().map(Integration::example).toList();
  }
}
