package dev.coffer.cli;

import dev.coffer.api.v1.AccessRequest;
import dev.coffer.api.v1.Grant;
import java.util.List;

/**
 * Text views of access requests and grants for the {@link Printer}: {@code key, value} pairs for
 * one resource, tables for listings. Ids in tables are bare ({@code abc}, not {@code secrets/abc}).
 *
 * <p>Security: both resources are metadata; neither carries a secret value.
 */
final class SharingViews {

  private SharingViews() {}

  static String[] view(AccessRequest r) {
    return new String[] {
      "access request", r.getName(),
      "secret", r.getSecret(),
      "requester", r.getRequester(),
      "reason", r.getJustification(),
      "duration", Printer.duration(r.getDuration()),
      "state", r.getState().name(),
      "created", Printer.time(r.getCreateTime()),
      "decide by", Printer.time(r.getDecideDeadline()),
      "decided by", r.getDecidedBy(),
      "decided", Printer.time(r.getDecideTime()),
      "denial reason", r.getDenyReason(),
      "grant", r.getGrant(),
      "etag", r.getEtag()
    };
  }

  static String[] view(Grant g) {
    return new String[] {
      "grant", g.getName(),
      "secret", g.getSecret(),
      "grantee", g.getGrantee(),
      "grantor", g.getGrantor(),
      "state", state(g),
      "created", Printer.time(g.getCreateTime()),
      "expires", Printer.time(g.getExpireTime()),
      "revoked", Printer.time(g.getRevokeTime()),
      "access request", g.getAccessRequest(),
      "etag", g.getEtag()
    };
  }

  static TextTable accessRequests(List<AccessRequest> requests) {
    TextTable t = new TextTable("ID", "SECRET", "REQUESTER", "STATE", "DURATION", "DEADLINE");
    for (AccessRequest r : requests) {
      t.row(
          r.getRequestId(),
          bare(r.getSecret()),
          r.getRequester(),
          r.getState().name(),
          Printer.duration(r.getDuration()),
          Printer.time(r.getDecideDeadline()));
    }
    return t;
  }

  static TextTable grants(List<Grant> grants) {
    TextTable t = new TextTable("ID", "SECRET", "GRANTEE", "GRANTOR", "STATE", "EXPIRES");
    for (Grant g : grants) {
      t.row(
          g.getGrantId(),
          bare(g.getSecret()),
          g.getGrantee(),
          g.getGrantor(),
          state(g),
          Printer.time(g.getExpireTime()));
    }
    return t;
  }

  /** {@code ACTIVE}, {@code EXPIRED}, {@code REVOKED}: the enum name without its prefix. */
  private static String state(Grant g) {
    return g.getState().name().replace("GRANT_", "");
  }

  /** The id after the last {@code /} of a resource name. */
  private static String bare(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }
}
