package dev.coffer.server.domain;

import java.time.Instant;

/**
 * Everything about a secret except its value: safe to list and describe (in the manner
 * of Keywhiz's {@code SanitizedSecret}), since it holds neither the value, nor its
 * verifier, nor its ciphertext.
 *
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
    String clientId,
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

  /** Metadata of a secret that is not quarantined and holds no public key. */
  public SecretMetadata(String tenantId, String secretId, String clientId, String displayName,
      String description, String location, boolean vaulted, boolean sharingEnabled,
      String owner, boolean preapproveOwner, SecretKind kind, String hint, Instant createTime,
      Instant expireTime, Instant revokeTime, String creator, int version, long revision,
      String rotatedFrom, String rotatedTo, String externalClientId) {
    this(tenantId, secretId, clientId, displayName, description, location, vaulted,
        sharingEnabled, owner, preapproveOwner, kind, hint, createTime, expireTime, revokeTime,
        creator, version, revision, rotatedFrom, rotatedTo, externalClientId, null, null);
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

  /** Whether it belongs to a {@link Scope} (then {@link #clientId} holds the scope id). */
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
    return new SecretMetadata(tenantId, secretId, clientId, displayName, description, location,
        vaulted, sharingEnabled, owner, preapproveOwner, kind, hint, createTime, expireTime,
        time, creator, version, revision + 1, rotatedFrom, rotatedTo, externalClientId,
        quarantineTime, publicKey);
  }

  /** This secret after rotation: replaced by {@code successor}, valid until {@code expiry}. */
  public SecretMetadata rotatedTo(String successor, Instant expiry) {
    return new SecretMetadata(tenantId, secretId, clientId, displayName, description, location,
        vaulted, sharingEnabled, owner, preapproveOwner, kind, hint, createTime, expiry,
        revokeTime, creator, version, revision + 1, rotatedFrom, successor, externalClientId,
        quarantineTime, publicKey);
  }

  /** This secret quarantined at {@code time}, or released from quarantine when null. */
  public SecretMetadata quarantinedAt(Instant time) {
    return new SecretMetadata(tenantId, secretId, clientId, displayName, description, location,
        vaulted, sharingEnabled, owner, preapproveOwner, kind, hint, createTime, expireTime,
        revokeTime, creator, version, revision + 1, rotatedFrom, rotatedTo, externalClientId,
        time, publicKey);
  }
}
