package dev.guise.pool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.pool.config.AdaptiveTimeouts;
import dev.guise.pool.config.Timeouts;
import dev.guise.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Adaptive timeouts follow a host's error rate, smoothly and within bounds; time moves by hand. */
class HostTimeoutsTest {
  private final MutableClock clock = new MutableClock();
  private final Timeouts base =
      Timeouts.defaults().withConnect(Duration.ofSeconds(10)).withRequest(Duration.ofSeconds(30));
  private final HostTimeouts timeouts = new HostTimeouts(base, AdaptiveTimeouts.defaults(), clock);

  @Test
  void theFactorIsBoundedAndContinuousBetweenItsEnds() {
    AdaptiveTimeouts a = AdaptiveTimeouts.defaults();
    assertEquals(0.5, a.factor(0.0));
    assertEquals(0.5, a.factor(0.2), "halved at 20 % errors and below, as the seed");
    assertEquals(1.0, a.factor(0.5), 1e-9, "unchanged half way");
    assertEquals(2.0, a.factor(0.8), 1e-9, "doubled at 80 % and above, as the seed");
    assertEquals(2.0, a.factor(1.0));
    double previous = 0;
    for (int i = 0; i <= 1000; i++) { // monotone, and no step larger than a small one
      double f = a.factor(i / 1000.0);
      assertTrue(f >= 0.5 && f <= 2.0, "bounded: " + f);
      assertTrue(f >= previous, "never shorter for more errors");
      if (i > 0) {
        assertTrue(f - previous < 0.01, "no jump at " + i / 1000.0 + ": " + previous + " -> " + f);
      }
      previous = f;
    }
    assertThrows(IllegalArgumentException.class, () -> a.withFactors(2, 4));
    assertThrows(IllegalArgumentException.class, () -> a.withErrorRates(0.8, 0.2));
  }

  @Test
  void aFailingHostGetsLongerTimeoutsAndAHealthyOneShorter() {
    assertEquals(Duration.ofSeconds(10), timeouts.connect("bad.test"), "no outcomes yet");
    for (int i = 0; i < 4; i++) {
      timeouts.record("bad.test", true);
    }
    assertEquals(1.0, timeouts.factor("bad.test"), "fewer than minSamples: unchanged");
    timeouts.record("bad.test", true);
    assertEquals(Duration.ofSeconds(20), timeouts.connect("bad.test"));
    assertEquals(Duration.ofSeconds(60), timeouts.request("bad.test"));

    for (int i = 0; i < 10; i++) {
      timeouts.record("good.test", false);
    }
    assertEquals(Duration.ofSeconds(5), timeouts.connect("good.test"));
    assertEquals(Duration.ofSeconds(10), timeouts.connect("other.test"), "per host");
  }

  @Test
  void oldOutcomesFadeWithTheHalfLife() {
    for (int i = 0; i < 10; i++) {
      timeouts.record("h.test", true);
    }
    assertEquals(1.0, timeouts.errorRate("h.test"), 1e-9);
    clock.advance(Duration.ofSeconds(60)); // one half-life: the ten failures weigh five
    for (int i = 0; i < 5; i++) {
      timeouts.record("h.test", false);
    }
    assertEquals(0.5, timeouts.errorRate("h.test"), 1e-9);
    assertEquals(1.0, timeouts.factor("h.test"), 1e-9);
    clock.advance(Duration.ofMinutes(10)); // ten half-lives: the old weigh about nothing
    for (int i = 0; i < 5; i++) {
      timeouts.record("h.test", false);
    }
    assertTrue(timeouts.errorRate("h.test") < 0.01, "" + timeouts.errorRate("h.test"));
    assertEquals(0.5, timeouts.factor("h.test"));
  }

  @Test
  void fixedTimeoutsIgnoreOutcomes() {
    HostTimeouts fixed = HostTimeouts.fixed(base);
    for (int i = 0; i < 20; i++) {
      fixed.record("h.test", true);
    }
    assertEquals(Duration.ofSeconds(10), fixed.connect("h.test"));
  }

  @Test
  void aRateThatHasFadedIsForgottenAndALiveOneKept() {
    Duration halfLife = AdaptiveTimeouts.defaults().halfLife();
    for (int i = 0; i < 1_000; i++) {
      timeouts.record("h" + i + ".test", i % 2 == 0);
    }
    for (int i = 0; i < 10; i++) {
      timeouts.record("bad.test", true);
    }
    clock.advance(halfLife.multipliedBy(9));
    timeouts.record("fresh.test", true);
    timeouts.forgetFaded();
    assertEquals(1_002, timeouts.hostsKept(), "nine half-lives: one outcome weighs 1/512, kept");

    clock.advance(halfLife.multipliedBy(2));
    timeouts.forgetFaded();
    assertEquals(2, timeouts.hostsKept(), "eleven: the single outcomes have faded");
    assertEquals(0, timeouts.errorRate("h0.test"));
    assertTrue(timeouts.errorRate("bad.test") > 0.99, "ten outcomes weigh 10/2048: still kept");
    assertEquals(1.0, timeouts.errorRate("fresh.test"));

    clock.advance(halfLife.multipliedBy(20));
    timeouts.forgetFaded();
    assertEquals(0, timeouts.hostsKept());
    assertEquals(Duration.ofSeconds(10), timeouts.connect("bad.test"), "as a host never heard of");
  }
}
