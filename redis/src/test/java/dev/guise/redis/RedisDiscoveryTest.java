package dev.guise.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.pool.fleet.FleetStore;
import dev.guise.pool.fleet.FleetStoreProvider;
import dev.guise.pool.fleet.FleetStores;
import org.junit.jupiter.api.Test;

/**
 * The {@code redis} fleet store is found by name: on the module path through {@code provides}, on
 * the class path through META-INF/services (surefire runs this class on both). Opening one does not
 * wait for Redis: nothing listens on port 1, and open still returns at once.
 */
class RedisDiscoveryTest {
  private static final boolean MODULE_PATH =
      "module".equals(System.getProperty("guise.expected.path"));

  @Test
  void runsOnTheExpectedPath() {
    assertEquals(MODULE_PATH, RedisFleetStore.class.getModule().isNamed());
  }

  @Test
  void redisIsFoundByNameAndOpensWithoutWaiting() {
    assertTrue(
        FleetStores.providers().stream()
            .map(FleetStoreProvider::name)
            .anyMatch(RedisFleetStoreProvider.NAME::equals));
    try (FleetStore s = FleetStores.open("redis:url=redis://:pw-secret@127.0.0.1:1,prefix=d:")) {
      assertFalse(((RedisFleetStore) s).connected(), "nothing listens on port 1");
      assertEquals("redis redis://:***@127.0.0.1:1 prefix=d:", s.describe());
      assertFalse(s.toString().contains("pw-secret"));
    }
  }

  @Test
  void unknownOptionsAndMissingUrlAreClearErrors() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FleetStores.open("redis:host=x"));
    assertTrue(e.getMessage().contains("url"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> FleetStores.open("redis:prefix=x"));
    assertTrue(e.getMessage().contains("url"), e.getMessage());
  }
}
