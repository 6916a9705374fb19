package dev.coffer.server.domain;

/**
 * What a trusted issuer's JWTs sign in: workloads (bound to SERVICE principals by claim
 * bindings) or people (ID tokens mapped to USER principals by a claim). Stored by an explicit
 * code ({@code EnumCodes.ISSUER_PURPOSE}), never its ordinal.
 */
public enum IssuerPurpose {
  WORKLOADS,
  PEOPLE
}
