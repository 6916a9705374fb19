package dev.coffer.server.service.assertions;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.coffer.server.domain.Application;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Reason;
import dev.coffer.server.domain.SecretMetadata;
import dev.coffer.server.domain.SecretState;
import dev.coffer.server.domain.SecurityType;
import dev.coffer.server.service.kernel.CallContext;
import dev.coffer.server.service.kernel.FieldRules;
import dev.coffer.server.store.records.ApplicationRepository;
import dev.coffer.server.store.records.SecretRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The JWK Set (RFC 7517) of a signed-JWT application: its active public keys (not expired,
 * revoked or quarantined), oldest first, each as the JWK Tink's {@code JwkSetConverter} made
 * when the key was generated, with its kid. Public material only; any principal of the
 * application's tenant may read it, others get NOT_FOUND.
 */
public final class JwksService {

  /** An application's JWK Set and the keys (secret ids) in it, in order. */
  public record Jwks(String json, List<String> keyIds) {}

  private final ApplicationRepository apps;
  private final SecretRepository secrets;
  private final Clock clock;

  public JwksService(ApplicationRepository apps, SecretRepository secrets, Clock clock) {
    this.apps = apps;
    this.secrets = secrets;
    this.clock = clock;
  }

  public Jwks jwks(CallContext ctx, String clientId) {
    FieldRules.opaqueId("parent", clientId);
    Application app = apps.get(ctx.tenantId(), clientId).orElseThrow(() ->
        new CofferException(Reason.APPLICATION_NOT_FOUND, "application " + clientId
            + " not found"));
    if (app.securityType() != SecurityType.SIGNED_JWT) {
      throw new CofferException(Reason.UNSUPPORTED_SECURITY_TYPE, "application " + clientId
          + " uses client secrets: it has no public keys");
    }
    Instant now = clock.instant();
    JsonArray keys = new JsonArray();
    List<String> ids = new ArrayList<>();
    for (SecretMetadata m : ClientAssertions.signingKeys(secrets, ctx.tenantId(),
        clientId)) {
      if (m.stateAt(now) == SecretState.ACTIVE) {
        keys.add(JsonParser.parseString(m.publicKey().jwkSet()).getAsJsonObject()
            .getAsJsonArray("keys").get(0).getAsJsonObject());
        ids.add(m.secretId());
      }
    }
    JsonObject set = new JsonObject();
    set.add("keys", keys);
    return new Jwks(set.toString(), ids);
  }
}
