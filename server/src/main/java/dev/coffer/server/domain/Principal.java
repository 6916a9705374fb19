package dev.coffer.server.domain;

import java.time.Instant;

/**
 * An authenticated identity of one tenant. {@code admin} makes it a tenant admin;
 * {@code systemAdmin} (only the bootstrap admin) may also create tenants and manage
 * principals and tokens of other tenants, but never read their secrets.
 */
public record Principal(
    String tenantId,
    String principalId,
    PrincipalKind kind,
    boolean admin,
    boolean systemAdmin,
    Instant createTime) {}
