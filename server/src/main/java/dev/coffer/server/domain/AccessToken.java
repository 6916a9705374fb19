package dev.coffer.server.domain;

import java.time.Instant;

/**
 * Metadata of a bearer token. The token value itself is never stored: only a keyed
 * lookup key derived from it ({@code lookupKey}), which is useless without the keyset.
 */
public record AccessToken(
    String tokenId,
    String tenantId,
    String principalId,
    Instant createTime,
    Instant expireTime,
    Instant revokeTime,
    String description,
    byte[] lookupKey) {

  public boolean isRevoked() {
    return revokeTime != null;
  }

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expireTime);
  }

  public AccessToken revokedAt(Instant time) {
    return new AccessToken(
        tokenId, tenantId, principalId, createTime, expireTime, time, description, lookupKey);
  }

  @Override
  public String toString() {
    return "AccessToken[" + tokenId + " of " + tenantId + "/" + principalId + "]";
  }
}
