package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.Fidelity;
import dev.guise.api.spi.Providers;
import dev.guise.api.spi.UnknownProviderException;
import dev.guise.pool.failure.DefaultFailureClassifier;
import dev.guise.pool.retry.ExponentialBackoffRetryPolicy;
import dev.guise.pool.retry.LinearRetryPolicy;
import dev.guise.pool.retry.NeverRetryPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The built-in plugins are found by name through ServiceLoader. Surefire runs this class twice: on
 * the module path (found through {@code provides} in module-info) and on the class path (found
 * through META-INF/services); each run checks it is on the path it claims.
 */
class PoolCoreDiscoveryTest {
  private static final boolean MODULE_PATH =
      "module".equals(System.getProperty("guise.expected.path"));

  @Test
  void runsOnTheExpectedPath() {
    assertEquals(
        MODULE_PATH,
        Providers.class.getModule().isNamed(),
        "dev.guise.api named module? " + Providers.class.getModule());
  }

  @Test
  void findsTheJdkEngineByName() {
    var jdk = Providers.tlsEngine("jdk");
    assertEquals("jdk", jdk.name());
    assertEquals(MODULE_PATH, jdk.getClass().getModule().isNamed());
    assertEquals(Fidelity.NONE, jdk.offer("jdk-default").orElseThrow().fidelity());
    assertTrue(jdk.offer("chrome").isEmpty(), "the JDK engine must not claim a browser profile");
  }

  @Test
  void findsTheBuiltInRetryPoliciesAndClassifier() {
    assertInstanceOf(ExponentialBackoffRetryPolicy.class, Providers.retryPolicy("exponential"));
    assertInstanceOf(LinearRetryPolicy.class, Providers.retryPolicy("linear:step=250ms"));
    assertInstanceOf(NeverRetryPolicy.class, Providers.retryPolicy("never"));
    assertInstanceOf(DefaultFailureClassifier.class, Providers.failureClassifier("default"));
  }

  @Test
  void unknownNamesListWhatIsAvailable() {
    var e = assertThrows(UnknownProviderException.class, () -> Providers.retryPolicy("fibonacci"));
    assertTrue(
        e.available().containsAll(List.of("exponential", "linear", "never")), e.getMessage());
    assertTrue(
        e.getMessage().contains("fibonacci") && e.getMessage().contains("exponential"),
        e.getMessage());
  }

  @Test
  void badOptionsNameTheOption() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> Providers.retryPolicy("exponential:base=soon"));
    assertTrue(e.getMessage().contains("base") && e.getMessage().contains("soon"), e.getMessage());
    var unknown =
        assertThrows(
            IllegalArgumentException.class, () -> Providers.retryPolicy("linear:stepp=1s"));
    assertTrue(
        unknown.getMessage().contains("stepp") && unknown.getMessage().contains("step"),
        unknown.getMessage());
  }
}
