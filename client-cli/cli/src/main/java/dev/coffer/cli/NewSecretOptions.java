package dev.coffer.cli;

import picocli.CommandLine.Option;

/**
 * The settings every new secret takes, shared as a picocli mixin by {@code secret create} and
 * {@code credential store}: description, expiration, location, sharing, owner and the owner's
 * pre-approval. Defaults are the server's (empty owner: the caller; no expiration: the
 * tenant's default lifetime). Security: holds no value.
 */
final class NewSecretOptions {

  @Option(names = "--description", paramLabel = "TEXT", description = "Up to 1024 characters.")
  String description = "";

  @Option(
      names = "--expires",
      paramLabel = "WHEN",
      converter = Expiration.Converter.class,
      description = "2027-11-22 (midnight UTC), 2027-11-22T10:00:00Z or never (default: 1 year).")
  Expiration expires;

  @Option(names = "--location", paramLabel = "PATH", description = "Location, e.g. /Finance (default: /).")
  String location = "/";

  @Option(names = "--share", description = "Allow access requests and grants (vaulted secrets only).")
  boolean share;

  @Option(names = "--owner", paramLabel = "PRINCIPAL", description = "Owner (default: you).")
  String owner = "";

  @Option(
      names = "--preapprove-owner",
      description = "The owner may reveal it without a grant (vaulted secrets only).")
  boolean preapproveOwner;
}
