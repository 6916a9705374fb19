package dev.coffer.server.service.secrets;

import java.time.Instant;

/**
 * What a creator asks for, before validation. Carries no value: values are generated.
 * Built with {@link #builder()} (every setting named; the defaults are the API's: empty,
 * false, the default expiry); {@link #toBuilder()} gives a changed copy.
 *
 * @param expireTime null for the default (one year), unless {@code neverExpires}
 * @param owner empty for the caller
 */
public record SecretRequest(
    String displayName,
    String description,
    Instant expireTime,
    boolean neverExpires,
    String location,
    boolean vaulted,
    boolean sharingEnabled,
    String owner,
    boolean preapproveOwner) {

  /** A builder with empty strings, false and the default expiry. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every setting of this request, for a changed copy. */
  public Builder toBuilder() {
    return new Builder().displayName(displayName).description(description)
        .expireTime(expireTime).neverExpires(neverExpires).location(location).vaulted(vaulted)
        .sharingEnabled(sharingEnabled).owner(owner).preapproveOwner(preapproveOwner);
  }

  /** Builds a {@link SecretRequest}; each setter names the setting it sets. */
  public static final class Builder {
    private String displayName = "";
    private String description = "";
    private Instant expireTime;
    private boolean neverExpires;
    private String location = "";
    private boolean vaulted;
    private boolean sharingEnabled;
    private String owner = "";
    private boolean preapproveOwner;

    private Builder() {}

    public Builder displayName(String displayName) {
      this.displayName = displayName;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** The expiry asked for; null for the default, unless {@link #neverExpires}. */
    public Builder expireTime(Instant expireTime) {
      this.expireTime = expireTime;
      return this;
    }

    public Builder neverExpires(boolean neverExpires) {
      this.neverExpires = neverExpires;
      return this;
    }

    public Builder location(String location) {
      this.location = location;
      return this;
    }

    public Builder vaulted(boolean vaulted) {
      this.vaulted = vaulted;
      return this;
    }

    public Builder sharingEnabled(boolean sharingEnabled) {
      this.sharingEnabled = sharingEnabled;
      return this;
    }

    /** The owner's principal id; empty for the caller. */
    public Builder owner(String owner) {
      this.owner = owner;
      return this;
    }

    public Builder preapproveOwner(boolean preapproveOwner) {
      this.preapproveOwner = preapproveOwner;
      return this;
    }

    public SecretRequest build() {
      return new SecretRequest(displayName, description, expireTime, neverExpires, location,
          vaulted, sharingEnabled, owner, preapproveOwner);
    }
  }
}
