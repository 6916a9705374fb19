package dev.coffer.cli;

import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.client.ResourceNames;

/**
 * The fields of a secret being created, filled from flags and/or the wizard, and the one place
 * that turns them into a {@link CreateSecretRequest}. Unset optional fields are left to the
 * server's defaults: expiration one year, owner the caller.
 *
 * <p>Security: holds settings only; a secret value never passes through it.
 */
final class SecretDraft {
  String app;
  /** Set instead of {@link #app} for a scope's secret. */
  String scope;
  /** For a signed-JWT application: the key pair's algorithm; null for the server default. */
  dev.coffer.api.v1.KeyAlgorithm algorithm;
  String name;
  String description = "";
  /** {@code null}: the server's default (one year from now). */
  Expiration expiration;
  String location = "/";
  boolean vaulted;
  boolean sharing;
  /** {@code null} or empty: the caller. */
  String owner;
  boolean preapproveOwner;

  /**
   * The request, a relative expiration fixed against {@code clock}; {@link
   * IllegalArgumentException} if the application id is malformed.
   */
  CreateSecretRequest toRequest(java.time.Clock clock) {
    CreateSecretRequest.Builder b =
        CreateSecretRequest.newBuilder()
            .setParent(scope != null ? ResourceNames.scope(scope) : ResourceNames.application(app))
            .setDisplayName(name == null ? "" : name)
            .setDescription(description == null ? "" : description)
            .setLocation(location)
            .setVaulted(vaulted)
            .setSharingEnabled(sharing)
            .setPreapproveOwner(preapproveOwner);
    if (owner != null && !owner.isBlank()) {
      b.setOwner(owner.strip());
    }
    if (expiration != null) {
      expiration.resolve(clock).applyTo(b);
    }
    if (algorithm != null) {
      b.setKeyAlgorithm(algorithm);
    }
    return b.build();
  }

  /**
   * The warning to show when these settings leave nobody able to read a vaulted value
   * without a further decision: not shared and the owner not pre-approved. The value is
   * not lost — the owner may request access and a tenant admin other than the owner
   * decides — but nothing reads it until then.
   */
  static String readersWarning(boolean vaulted, boolean sharing, boolean preapproveOwner) {
    if (!vaulted || sharing || preapproveOwner) {
      return "";
    }
    return "warning: vaulted, not shared, owner not pre-approved: nobody can read this value "
        + "until its owner requests access and a tenant admin (not the owner) approves.";
  }

  /** {@link #readersWarning} for this draft. */
  String readersWarning() {
    return readersWarning(vaulted, sharing, preapproveOwner);
  }

  /** Key/value lines for the wizard's summary. */
  String[] summary() {
    return new String[] {
      "application", scope == null ? app : "",
      "scope", scope,
      "key algorithm", algorithm == null ? "" : algorithm.name(),
      "name", name,
      "description", description.isEmpty() ? "(none)" : description,
      "expiration", expiration == null ? "1 year from now" : expiration.toString(),
      "location", location,
      "vaulted", Printer.yesNo(vaulted),
      "sharing", vaulted ? Printer.yesNo(sharing) : "",
      "owner", owner == null || owner.isBlank() ? "you" : owner,
      "pre-approve owner", vaulted ? Printer.yesNo(preapproveOwner) : ""
    };
  }
}
