package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.pool.config.PoolConfig;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PoolConfigTest {
  @Test
  void theDefaultsAreTheDocumentedOnes() {
    PoolConfig c = PoolConfig.builder().build();
    assertEquals(Duration.ofSeconds(30), c.connectTimeout());
    assertEquals(Duration.ofSeconds(10), c.validationTimeout());
    assertEquals(Duration.ofSeconds(60), c.idleTimeout());
    assertEquals(Duration.ofSeconds(30), c.healthCheckInterval());
    assertEquals(Duration.ofSeconds(300), c.maxLifetime());
    assertEquals(10, c.errorThreshold());
    assertEquals("exponential", c.retryPolicy().name());
    assertTrue(c.retryPolicy().toString().contains("maxRetries=3"), c.retryPolicy().toString());
    assertEquals("default", c.classifier().name(), "Guise's classifier is the chain's last member");
    assertEquals(java.util.Map.of("jdk-default", 1), c.profiles());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("connectTimeout", (UnaryOperator<PoolConfig.Builder>) b -> b.connectTimeout(Duration.ZERO)),
        Arguments.of("validationTimeout", (UnaryOperator<PoolConfig.Builder>) b -> b.validationTimeout(Duration.ofSeconds(-1))),
        Arguments.of("idleTimeout", (UnaryOperator<PoolConfig.Builder>) b -> b.idleTimeout(null)),
        Arguments.of("healthCheckInterval", (UnaryOperator<PoolConfig.Builder>) b -> b.healthCheckInterval(Duration.ZERO)),
        Arguments.of("maxLifetime", (UnaryOperator<PoolConfig.Builder>) b -> b.maxLifetime(Duration.ofSeconds(10))),
        Arguments.of("errorThreshold", (UnaryOperator<PoolConfig.Builder>) b -> b.errorThreshold(0)),
        Arguments.of("maxConnectionsPerIp", (UnaryOperator<PoolConfig.Builder>) b -> b.maxConnectionsPerIp(0)),
        Arguments.of("strikesToBan", (UnaryOperator<PoolConfig.Builder>) b -> b.strikesToBan(0)),
        Arguments.of("profile weight", (UnaryOperator<PoolConfig.Builder>) b -> b.profile("chrome", 0)),
        Arguments.of("retryBudget", (UnaryOperator<PoolConfig.Builder>) b -> b.retryBudget(-1, 10)));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void invalidValuesAreRejectedNamingTheSetting(String setting, UnaryOperator<PoolConfig.Builder> change) {
    var e = assertThrows(IllegalArgumentException.class, () -> change.apply(PoolConfig.builder()).build());
    assertTrue(e.getMessage().contains(setting), e.getMessage());
  }

  @Test
  void anEngineWithoutTheProfileIsAClearErrorNamingTheEnginesThatHaveIt() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> HotConnectionPool.create(PoolConfig.builder().engine("jdk").profile("firefox-153").build()));
    assertTrue(e.getMessage().contains("'jdk' does not offer profile 'firefox-153'"), e.getMessage());
    assertTrue(e.getMessage().contains("bouncycastle (exact)"), e.getMessage());
    var unknown = assertThrows(IllegalArgumentException.class,
        () -> HotConnectionPool.create(PoolConfig.builder().engine("openssl").build()));
    assertTrue(unknown.getMessage().contains("available:") && unknown.getMessage().contains("jdk"),
        unknown.getMessage());
  }
}
