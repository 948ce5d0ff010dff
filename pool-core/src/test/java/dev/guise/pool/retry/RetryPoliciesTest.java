package dev.guise.pool.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.api.RetryContext;
import dev.guise.api.RetryDecision;
import dev.guise.api.spi.InvalidOptionException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPoliciesTest {
  private static final ClassifiedFailure RESET =
      ClassifiedFailure.of(
          FailureKind.CONNECTION_RESET, true, PoolAction.DISCARD_CONNECTION, "reset", null);

  private static RetryContext ctx(int attempt, ClassifiedFailure f, Duration left) {
    return new RetryContext(attempt, f, left, true);
  }

  @Test
  void exponentialCeilingsDoubleUpToTheCap() {
    var p = new ExponentialBackoffRetryPolicy();
    assertEquals(Duration.ofSeconds(1), p.ceiling(1));
    assertEquals(Duration.ofSeconds(2), p.ceiling(2));
    assertEquals(Duration.ofSeconds(16), p.ceiling(5));
    assertEquals(Duration.ofSeconds(30), p.ceiling(6));
    assertEquals(Duration.ofSeconds(30), p.ceiling(60));
  }

  @Test
  void exponentialJitterStaysUnderTheCeilingAndSpreads() {
    var rng = new SplittableRandom(7);
    var p =
        new ExponentialBackoffRetryPolicy(
            Duration.ofSeconds(1), 2, Duration.ofSeconds(30), 3, () -> rng);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 1000; i++) {
      var d = (RetryDecision.Retry) p.decide(ctx(3, RESET, Duration.ofMinutes(1)));
      long ms = d.delay().toMillis();
      assertTrue(ms >= 0 && ms <= 4000, "delay " + ms);
      min = Math.min(min, ms);
      max = Math.max(max, ms);
    }
    assertTrue(min < 400 && max > 3600, "full jitter spreads over [0, 4s]: " + min + ".." + max);
  }

  @Test
  void exponentialGivesUpAfterMaxRetries() {
    var p = new ExponentialBackoffRetryPolicy();
    assertInstanceOf(RetryDecision.Retry.class, p.decide(ctx(3, RESET, Duration.ofMinutes(5))));
    assertInstanceOf(RetryDecision.GiveUp.class, p.decide(ctx(4, RESET, Duration.ofMinutes(5))));
  }

  @Test
  void retryAfterIsAFloorAndTheDeadlineACeiling() {
    var limited =
        ClassifiedFailure.ofStatus(
            FailureKind.RATE_LIMITED,
            true,
            PoolAction.PENALISE_IP,
            429,
            Optional.of(Duration.ofSeconds(5)),
            "slow down");
    var linear = new LinearRetryPolicy();
    var d = (RetryDecision.Retry) linear.decide(ctx(1, limited, Duration.ofSeconds(60)));
    assertEquals(Duration.ofSeconds(5), d.delay());
    assertInstanceOf(
        RetryDecision.GiveUp.class, linear.decide(ctx(1, limited, Duration.ofSeconds(4))));
  }

  @Test
  void linearStepsFromZero() {
    var p = new LinearRetryPolicy().withOptions(Map.of("step", "250ms", "max-retries", "4"));
    for (int attempt = 1; attempt <= 4; attempt++) {
      var d = (RetryDecision.Retry) p.decide(ctx(attempt, RESET, Duration.ofMinutes(1)));
      assertEquals(Duration.ofMillis(250L * (attempt - 1)), d.delay());
    }
    assertInstanceOf(RetryDecision.GiveUp.class, p.decide(ctx(5, RESET, Duration.ofMinutes(1))));
  }

  @Test
  void neverNeverRetries() {
    assertInstanceOf(
        RetryDecision.GiveUp.class,
        new NeverRetryPolicy().decide(ctx(1, RESET, Duration.ofMinutes(1))));
  }

  @Test
  void exponentialOptionsSpeakTheOneDurationSyntax() {
    var p =
        (ExponentialBackoffRetryPolicy)
            new ExponentialBackoffRetryPolicy()
                .withOptions(Map.of("base", "250", "cap", "PT2S", "factor", "4"));
    assertEquals(Duration.ofMillis(250), p.ceiling(1));
    assertEquals(Duration.ofSeconds(1), p.ceiling(2));
    assertEquals(Duration.ofSeconds(2), p.ceiling(3));
    var capBelowBase =
        assertThrows(
            InvalidOptionException.class,
            () ->
                new ExponentialBackoffRetryPolicy().withOptions(Map.of("base", "2s", "cap", "1s")));
    assertEquals("cap", capBelowBase.option());
    assertTrue(capBelowBase.getMessage().contains("'exponential'"), capBelowBase.getMessage());
    var zero =
        assertThrows(
            InvalidOptionException.class,
            () -> new ExponentialBackoffRetryPolicy().withOptions(Map.of("base", "0ms")));
    assertEquals("base", zero.option());
  }
}
