package dev.guise.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.guise.testing.RedisServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real redis-server for a test class: started before its first test (the class is skipped where
 * redis-server is not installed) and stopped after its last. Register it as a static field with
 * {@code @RegisterExtension}.
 */
final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {
  private RedisServer server;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    assumeTrue(RedisServer.installed(), RedisServer.MISSING);
    server = RedisServer.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }

  /** The running server. */
  RedisServer server() {
    return server;
  }
}
