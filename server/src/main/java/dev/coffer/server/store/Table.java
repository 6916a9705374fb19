package dev.coffer.server.store;

/** The column families of the vault's RocksDB. */
public enum Table {
  /** Encrypted keysets and vault-level facts. */
  META("meta"),
  TENANTS("tenants"),
  PRINCIPALS("principals"),
  TOKENS("tokens"),
  LOCATIONS("locations"),
  APPLICATIONS("applications"),
  SECRETS("secrets"),
  /**
   * Each vaulted value's data key, wrapped by the KEK, apart from its ciphertext (in
   * SECRETS): deleting it shreds the value, and KEK rotation re-wraps only this table.
   */
  DATA_KEYS("data_keys"),
  GRANTS("grants"),
  ACCESS_REQUESTS("access_requests"),
  /** Secondary indexes: empty values, all information in the key. */
  INDEX("index"),
  AUDIT("audit"),
  SCOPES("scopes");

  private final String columnFamily;

  Table(String columnFamily) {
    this.columnFamily = columnFamily;
  }

  public String columnFamily() {
    return columnFamily;
  }
}
