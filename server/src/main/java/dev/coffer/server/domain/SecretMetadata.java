package dev.coffer.server.domain;

import java.time.Instant;

/**
 * Everything about a secret except its value: safe to list and describe (in the manner
 * of Keywhiz's {@code SanitizedSecret}), since it holds neither the value, nor its
 * verifier, nor its ciphertext. Built with {@link #builder()}; changed copies with
 * {@link #toBuilder()}.
 *
 * @param holderId what holds the secret: the application's client id, or for a
 *     {@link SecretKind#SCOPE_SECRET} the scope id (see {@link #ofScope()})
 * @param expireTime null when the secret never expires
 * @param revokeTime null unless revoked
 * @param version the value's version, bound into the ciphertext's associated data
 * @param revision bumped on every change; the source of the etag
 * @param rotatedFrom the secret this one replaced, or empty
 * @param rotatedTo the secret that replaced this one, or empty
 * @param externalClientId for a stored credential, its client id at the other identity
 *     provider; empty otherwise
 * @param quarantineTime when a leak report quarantined it; null otherwise
 * @param publicKey for a {@link SecretKind#SIGNING_KEY}, its public half; null otherwise
 * @param hint the first characters of a generated value (after its prefix); always empty
 *     for a {@link SecretKind#STORED_CREDENTIAL}, whose first characters are the imported
 *     value's own (the constructor enforces it, so records stored with a hint read as empty)
 */
public record SecretMetadata(
    String tenantId,
    String secretId,
    String holderId,
    String displayName,
    String description,
    String location,
    boolean vaulted,
    boolean sharingEnabled,
    String owner,
    boolean preapproveOwner,
    SecretKind kind,
    String hint,
    Instant createTime,
    Instant expireTime,
    Instant revokeTime,
    String creator,
    int version,
    long revision,
    String rotatedFrom,
    String rotatedTo,
    String externalClientId,
    Instant quarantineTime,
    PublicKeyInfo publicKey) {

  public SecretMetadata {
    if (kind == SecretKind.STORED_CREDENTIAL) {
      hint = "";
    }
  }

  /** A builder with empty strings, false, zero and null (never, none) as defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every component of this metadata, for a changed copy. */
  public Builder toBuilder() {
    return new Builder()
        .tenantId(tenantId).secretId(secretId).holderId(holderId).displayName(displayName)
        .description(description).location(location).vaulted(vaulted)
        .sharingEnabled(sharingEnabled).owner(owner).preapproveOwner(preapproveOwner)
        .kind(kind).hint(hint).createTime(createTime).expireTime(expireTime)
        .revokeTime(revokeTime).creator(creator).version(version).revision(revision)
        .rotatedFrom(rotatedFrom).rotatedTo(rotatedTo).externalClientId(externalClientId)
        .quarantineTime(quarantineTime).publicKey(publicKey);
  }

  /**
   * The state at {@code now}: revoked wins, then expired (to the second), then quarantined,
   * else active.
   */
  public SecretState stateAt(Instant now) {
    if (revokeTime != null) {
      return SecretState.REVOKED;
    }
    if (expireTime != null && !now.isBefore(expireTime)) {
      return SecretState.EXPIRED;
    }
    if (quarantineTime != null) {
      return SecretState.QUARANTINED;
    }
    return SecretState.ACTIVE;
  }

  /** Whether it belongs to a {@link Scope} (then {@link #holderId} is the scope id). */
  public boolean ofScope() {
    return kind == SecretKind.SCOPE_SECRET;
  }

  public String etag() {
    return "r" + revision;
  }

  /** Whether others may request access to it: vaulted with sharing enabled. */
  public boolean shared() {
    return vaulted && sharingEnabled;
  }

  public SecretMetadata revokedAt(Instant time) {
    return toBuilder().revokeTime(time).revision(revision + 1).build();
  }

  /** This secret after rotation: replaced by {@code successor}, valid until {@code expiry}. */
  public SecretMetadata rotatedTo(String successor, Instant expiry) {
    return toBuilder().expireTime(expiry).rotatedTo(successor).revision(revision + 1).build();
  }

  /** This secret quarantined at {@code time}, or released from quarantine when null. */
  public SecretMetadata quarantinedAt(Instant time) {
    return toBuilder().quarantineTime(time).revision(revision + 1).build();
  }

  /** Builds a {@link SecretMetadata}; each setter names the component it sets. */
  public static final class Builder {
    private String tenantId = "";
    private String secretId = "";
    private String holderId = "";
    private String displayName = "";
    private String description = "";
    private String location = "";
    private boolean vaulted;
    private boolean sharingEnabled;
    private String owner = "";
    private boolean preapproveOwner;
    private SecretKind kind;
    private String hint = "";
    private Instant createTime;
    private Instant expireTime;
    private Instant revokeTime;
    private String creator = "";
    private int version;
    private long revision;
    private String rotatedFrom = "";
    private String rotatedTo = "";
    private String externalClientId = "";
    private Instant quarantineTime;
    private PublicKeyInfo publicKey;

    private Builder() {}

    public Builder tenantId(String tenantId) {
      this.tenantId = tenantId;
      return this;
    }

    public Builder secretId(String secretId) {
      this.secretId = secretId;
      return this;
    }

    public Builder holderId(String holderId) {
      this.holderId = holderId;
      return this;
    }

    public Builder displayName(String displayName) {
      this.displayName = displayName;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
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

    public Builder owner(String owner) {
      this.owner = owner;
      return this;
    }

    public Builder preapproveOwner(boolean preapproveOwner) {
      this.preapproveOwner = preapproveOwner;
      return this;
    }

    public Builder kind(SecretKind kind) {
      this.kind = kind;
      return this;
    }

    public Builder hint(String hint) {
      this.hint = hint;
      return this;
    }

    public Builder createTime(Instant createTime) {
      this.createTime = createTime;
      return this;
    }

    public Builder expireTime(Instant expireTime) {
      this.expireTime = expireTime;
      return this;
    }

    public Builder revokeTime(Instant revokeTime) {
      this.revokeTime = revokeTime;
      return this;
    }

    public Builder creator(String creator) {
      this.creator = creator;
      return this;
    }

    public Builder version(int version) {
      this.version = version;
      return this;
    }

    public Builder revision(long revision) {
      this.revision = revision;
      return this;
    }

    public Builder rotatedFrom(String rotatedFrom) {
      this.rotatedFrom = rotatedFrom;
      return this;
    }

    public Builder rotatedTo(String rotatedTo) {
      this.rotatedTo = rotatedTo;
      return this;
    }

    public Builder externalClientId(String externalClientId) {
      this.externalClientId = externalClientId;
      return this;
    }

    public Builder quarantineTime(Instant quarantineTime) {
      this.quarantineTime = quarantineTime;
      return this;
    }

    public Builder publicKey(PublicKeyInfo publicKey) {
      this.publicKey = publicKey;
      return this;
    }

    public SecretMetadata build() {
      return new SecretMetadata(tenantId, secretId, holderId, displayName, description,
          location, vaulted, sharingEnabled, owner, preapproveOwner, kind, hint, createTime,
          expireTime, revokeTime, creator, version, revision, rotatedFrom, rotatedTo,
          externalClientId, quarantineTime, publicKey);
    }
  }
}
