package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.pool.config.AdaptiveTimeouts;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.fleet.AccessEntry;
import dev.guise.pool.fleet.RateLimit;
import dev.guise.pool.retry.ExponentialBackoffRetryPolicy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The seed's presets by name, and the fleet settings a configuration keeps. */
class PoolPresetsTest {
  @ParameterizedTest
  @CsvSource({
    "development, 15, 8, 90, 45, 300, 4",
    "test, 20, 10, 60, 30, 300, 3",
    "production, 30, 10, 60, 30, 300, 3",
    "high-load, 45, 15, 30, 15, 180, 2",
    "High-Load, 45, 15, 30, 15, 180, 2"
  })
  void aPresetHasTheSeedsValues(
      String name, int connect, int test, int idle, int health, int lifetime, int retries) {
    PoolConfig c = PoolConfig.preset(name).build();
    assertEquals(Duration.ofSeconds(connect), c.timeouts().connect());
    assertEquals(Duration.ofSeconds(test), c.timeouts().validation());
    assertEquals(Duration.ofSeconds(idle), c.timeouts().idle());
    assertEquals(Duration.ofSeconds(health), c.healthChecks().interval());
    assertEquals(Duration.ofSeconds(lifetime), c.timeouts().maxLifetime());
    assertEquals(retries, ((ExponentialBackoffRetryPolicy) c.retryPolicy()).maxRetries());
  }

  @Test
  void aPresetIsAStartingPointAndAnUnknownOneIsNamed() {
    PoolConfig c =
        PoolConfig.preset("production").timeouts(t -> t.withConnect(Duration.ofSeconds(3))).build();
    assertEquals(Duration.ofSeconds(3), c.timeouts().connect());
    assertEquals(Duration.ofSeconds(60), c.timeouts().idle(), "the rest stays the preset's");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PoolConfig.preset("turbo"));
    assertTrue(e.getMessage().contains("development, test, production, high-load"), e.getMessage());
  }

  @Test
  void fleetSettingsSurviveToBuilder() throws Exception {
    InetAddress ip = InetAddress.getByName("127.0.1.1");
    PoolConfig c =
        PoolConfig.builder()
            .access(AccessEntry.deny(null, ip))
            .rateLimit("Example.com", new RateLimit(5, 2))
            .adaptiveTimeouts(AdaptiveTimeouts.defaults())
            .build();
    PoolConfig again = c.toBuilder().build();
    assertEquals(List.of(AccessEntry.deny(null, ip)), again.accessEntries());
    assertEquals(Map.of("example.com", new RateLimit(5, 2)), again.rateLimits());
    assertEquals(AdaptiveTimeouts.defaults(), again.adaptiveTimeouts().orElseThrow());
    assertTrue(again.fleetStore().isEmpty());
  }
}
