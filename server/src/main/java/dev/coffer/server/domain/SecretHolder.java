package dev.coffer.server.domain;

/**
 * What holds generated secrets: an {@link Application} (client secrets, signing keys) or a
 * {@link Scope} (scope secrets). Its owner manages those secrets; nothing crosses its
 * tenant.
 */
public interface SecretHolder {

  String tenantId();

  /** principal_id of the owner. */
  String owner();
}
