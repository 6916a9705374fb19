package dev.coffer.server.domain;

import java.time.Instant;

/** An isolation boundary: nothing of one tenant is visible to another's principals. */
public record Tenant(String tenantId, TenantPolicy policy, Instant createTime) {}
