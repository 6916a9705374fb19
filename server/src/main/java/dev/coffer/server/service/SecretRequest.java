package dev.coffer.server.service;

import java.time.Instant;

/**
 * What a creator asks for, before validation. Carries no value: values are generated.
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
    boolean preapproveOwner) {}
