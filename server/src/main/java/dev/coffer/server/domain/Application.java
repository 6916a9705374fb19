package dev.coffer.server.domain;

import java.time.Instant;

/** An OAuth client of one tenant. Its client id is generated and not sensitive. */
public record Application(
    String tenantId,
    String clientId,
    String clientName,
    String environment,
    SecurityType securityType,
    OAuthFlow flow,
    String owner,
    Instant createTime,
    long revision) {}
