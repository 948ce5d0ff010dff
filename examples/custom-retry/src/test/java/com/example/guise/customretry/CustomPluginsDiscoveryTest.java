package com.example.guise.customretry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.api.RetryContext;
import dev.guise.api.RetryDecision;
import dev.guise.api.spi.ConnectionValidator;
import dev.guise.api.spi.InvalidOptionException;
import dev.guise.api.spi.Providers;
import dev.guise.api.spi.RetryPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guise finds this module's plugins by name, next to its own. Surefire runs this class on the
 * module path, where only module-info's {@code provides} can make them visible, and again on the
 * class path, where only META-INF/services can.
 */
class CustomPluginsDiscoveryTest {
  private static final boolean MODULE_PATH =
      "module".equals(System.getProperty("guise.expected.path"));

  @Test
  void theRetryPolicyIsFoundByNameWithItsOptions() {
    RetryPolicy p = Providers.retryPolicy("fixed-delay:delay=200,max-retries=1");
    var fixed = assertInstanceOf(FixedDelayRetryPolicy.class, p);
    assertEquals(Duration.ofMillis(200), fixed.delay());
    assertEquals(MODULE_PATH, p.getClass().getModule().isNamed());
    if (MODULE_PATH) {
      assertEquals("com.example.guise.customretry", p.getClass().getModule().getName());
    }
    var reset =
        ClassifiedFailure.of(
            FailureKind.CONNECTION_RESET, true, PoolAction.DISCARD_CONNECTION, "reset", null);
    assertEquals(
        new RetryDecision.Retry(Duration.ofMillis(200)),
        p.decide(new RetryContext(1, reset, Duration.ofSeconds(10), true)));
    assertInstanceOf(
        RetryDecision.GiveUp.class,
        p.decide(new RetryContext(2, reset, Duration.ofSeconds(10), true)));
  }

  @Test
  void theValidatorIsFoundByName() {
    ConnectionValidator v = Providers.connectionValidator("header-present:header=x-cache");
    assertInstanceOf(HeaderPresentValidator.class, v);
    assertEquals(MODULE_PATH, v.getClass().getModule().isNamed());
  }

  @Test
  void theyStandBesideTheBuiltInPlugins() {
    var names = Providers.retryPolicies().stream().map(RetryPolicy::name).toList();
    assertTrue(
        names.containsAll(List.of("fixed-delay", "exponential", "linear", "never")),
        names.toString());
  }

  @Test
  void itsOptionsSpeakGuisesOneSyntax() {
    var withUnit = (FixedDelayRetryPolicy) Providers.retryPolicy("fixed-delay:delay=1s");
    assertEquals(Duration.ofSeconds(1), withUnit.delay());
    var iso = (FixedDelayRetryPolicy) Providers.retryPolicy("fixed-delay:delay=PT0.25S");
    assertEquals(Duration.ofMillis(250), iso.delay());
    var bad =
        assertThrows(
            InvalidOptionException.class, () -> Providers.retryPolicy("fixed-delay:delay=soon"));
    assertTrue(
        bad.getMessage().contains("'fixed-delay' option 'delay' = 'soon'"), bad.getMessage());
    var unknown =
        assertThrows(
            InvalidOptionException.class,
            () -> Providers.connectionValidator("header-present:name=x-cache"));
    assertTrue(unknown.getMessage().contains("known options: [header]"), unknown.getMessage());
  }
}
