package dev.coffer.server.domain;

import java.time.Instant;

/** A node of a tenant's location tree, by absolute path ("/", "/Finance/Payments"). */
public record Location(String tenantId, String path, Instant createTime) {}
