package dev.coffer.server.domain;

/**
 * The public half of a JWT signing key, which the vault keeps (the private half is shown
 * once, or vaulted). Not sensitive: it is what the application's JWK Set publishes.
 *
 * @param kid the key id (RFC 7638 JWK thumbprint), as in the JWK and in assertion headers
 * @param jwkSet a JWK Set (RFC 7517) holding this one public key, with its kid
 */
public record PublicKeyInfo(KeyAlgorithm algorithm, String kid, String jwkSet) {}
