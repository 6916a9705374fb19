package dev.coffer.server.store.records;

import dev.coffer.server.domain.TrustedIssuer;
import dev.coffer.server.store.Changes;
import dev.coffer.server.store.Keys;
import dev.coffer.server.store.KvStore;
import dev.coffer.server.store.Table;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A tenant's trusted JWT issuers, by (tenant, issuer id), in the {@link Table#META} table under
 * the {@value #RECORDS} prefix (issuers are configuration, like the keysets kept there), with
 * a unique index on (tenant, issuer URL) in {@link Table#INDEX} kept in the same batch; the
 * index entry's value is the issuer id, so a token's {@code iss} finds its issuer with two
 * point reads. Every key starts with the tenant after its prefix: a listing or a lookup of
 * one tenant never reaches another's issuers, and a page token of another listing (whose
 * cursor lies outside this prefix) is refused by {@link PageScanner}.
 */
public final class TrustedIssuerRepository {

  static final String RECORDS = "trusted-issuer";
  private static final String URL_INDEX = "issuer-url";

  private final KvStore store;

  public TrustedIssuerRepository(KvStore store) {
    this.store = store;
  }

  public Optional<TrustedIssuer> get(String tenantId, String issuerId) {
    return store.get(Table.META, key(tenantId, issuerId)).map(TrustedIssuerCodec::decode);
  }

  /** The tenant's issuer whose {@code iss} is exactly {@code issuerUrl}. */
  public Optional<TrustedIssuer> byIssuerUrl(String tenantId, String issuerUrl) {
    return store.get(Table.INDEX, urlKey(tenantId, issuerUrl))
        .flatMap(id -> get(tenantId, new String(id, StandardCharsets.UTF_8)));
  }

  /** Stages the issuer and its URL index entry. */
  public void stage(Changes changes, TrustedIssuer issuer) {
    changes.put(Table.META, key(issuer.tenantId(), issuer.issuerId()),
        TrustedIssuerCodec.encode(issuer));
    changes.put(Table.INDEX, urlKey(issuer.tenantId(), issuer.issuer()),
        issuer.issuerId().getBytes(StandardCharsets.UTF_8));
  }

  /** Stages the removal of the issuer and its URL index entry. */
  public void stageDelete(Changes changes, TrustedIssuer issuer) {
    changes.delete(Table.META, key(issuer.tenantId(), issuer.issuerId()));
    changes.delete(Table.INDEX, urlKey(issuer.tenantId(), issuer.issuer()));
  }

  /** A page of the tenant's issuers, by issuer id. */
  public Page<TrustedIssuer> list(String tenantId, String pageToken, int pageSize) {
    return PageScanner.page(store, Table.META, Keys.builder().str(RECORDS).str(tenantId).build(),
        pageToken, pageSize, kv -> Optional.of(TrustedIssuerCodec.decode(kv.value())));
  }

  private static byte[] key(String tenantId, String issuerId) {
    return Keys.builder().str(RECORDS).str(tenantId).str(issuerId).build();
  }

  private static byte[] urlKey(String tenantId, String issuerUrl) {
    return Keys.builder().str(URL_INDEX).str(tenantId).str(issuerUrl).build();
  }
}
