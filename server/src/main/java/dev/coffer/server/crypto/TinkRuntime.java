package dev.coffer.server.crypto;

import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.config.TinkConfig2026;

/**
 * The one Tink {@link Configuration} this package uses for key generation, keyset
 * (de)serialisation and primitives: {@link TinkConfig2026}, a fixed set of algorithms that
 * does not depend on the global registry or on whatever else the binary registers.
 */
final class TinkRuntime {
  private TinkRuntime() {}

  static Configuration configuration() {
    return TinkConfig2026.get();
  }
}
