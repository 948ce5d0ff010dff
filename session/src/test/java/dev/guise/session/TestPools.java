package dev.guise.session;

import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.config.PoolConfig;
import dev.guise.testkit.TestServer;

/**
 * The pool the session tests send through: the browser-exact engine, so that what the testkit
 * server records is what the profile's browser sends, trusting only the server's own test CA.
 */
final class TestPools {
  private TestPools() {}

  /** A pool presenting {@code profile} (a name or alias) to {@code server}. */
  static HotConnectionPool toServer(TestServer server, String profile) {
    return HotConnectionPool.create(
        PoolConfig.builder()
            .engine("bouncycastle")
            .profile(profile)
            .trust(server.certificateAuthority().trustPolicy())
            .build());
  }
}
