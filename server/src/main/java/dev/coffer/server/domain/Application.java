package dev.coffer.server.domain;

import java.time.Instant;

/**
 * An OAuth client of one tenant. Its client id is generated and not sensitive. It holds
 * client secrets, or key pairs when its security type is signed JWT.
 */
public record Application(
    String tenantId,
    String clientId,
    String clientName,
    String environment,
    SecurityType securityType,
    OAuthFlow flow,
    String owner,
    Instant createTime,
    long revision) implements SecretHolder {}
