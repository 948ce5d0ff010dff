package dev.guise.pool.retry;

import dev.guise.api.RetryContext;
import dev.guise.api.RetryDecision;
import dev.guise.api.spi.ProviderOptions;
import dev.guise.api.spi.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the n-th retry waits a uniformly random time between zero
 * and {@code min(cap, base * factor^(n-1))}, so that many clients failing together do not retry
 * together. The default, named {@code exponential}: base 1 s, factor 2, cap 30 s, 3 retries.
 *
 * <p>Tie-breaks: a server's {@code Retry-After} is a floor (the delay is the larger of the two); a
 * delay that would end past the request's deadline is not taken, the policy gives up instead.
 *
 * <p>Options: {@code base}, {@code cap} (durations, such as {@code 500ms}, in the syntax of {@link
 * ProviderOptions}), {@code factor} (a number from 1 to 100), {@code max-retries} (0 to 100).
 * Immutable and thread-safe.
 */
public final class ExponentialBackoffRetryPolicy implements RetryPolicy {
  public static final String NAME = "exponential";

  private final Duration base;
  private final double factor;
  private final Duration cap;
  private final int maxRetries;
  private final Supplier<RandomGenerator> random;

  /** The defaults: base 1 s, factor 2, cap 30 s, 3 retries. */
  public ExponentialBackoffRetryPolicy() {
    this(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 3, ThreadLocalRandom::current);
  }

  /**
   * @param random where jitter comes from (pass a seeded generator in tests)
   */
  public ExponentialBackoffRetryPolicy(
      Duration base,
      double factor,
      Duration cap,
      int maxRetries,
      Supplier<RandomGenerator> random) {
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("base must be positive: " + base);
    }
    if (!(factor >= 1.0)) {
      throw new IllegalArgumentException("factor must be at least 1: " + factor);
    }
    if (cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("cap " + cap + " must not be below base " + base);
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
    }
    this.base = base;
    this.factor = factor;
    this.cap = cap;
    this.maxRetries = maxRetries;
    this.random = random;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The most the n-th retry (counting from 1) may wait, before jitter. */
  public Duration ceiling(int retry) {
    double nanos = base.toNanos() * Math.pow(factor, retry - 1);
    return nanos >= cap.toNanos() ? cap : Duration.ofNanos((long) nanos);
  }

  @Override
  public RetryDecision decide(RetryContext context) {
    int retry = context.attempt();
    if (retry > maxRetries) {
      return RetryDecision.giveUp("no retries left after " + context.attempt() + " attempts");
    }
    long ceiling = ceiling(retry).toNanos();
    Duration delay = Duration.ofNanos(ceiling == 0 ? 0 : random.get().nextLong(ceiling + 1));
    return RetryDelays.withinDeadline(delay, context);
  }

  /** How many times a request is tried again at most. */
  public int maxRetries() {
    return maxRetries;
  }

  @Override
  public RetryPolicy withOptions(Map<String, String> options) {
    ProviderOptions o = ProviderOptions.read(NAME, options, "base", "factor", "cap", "max-retries");
    Duration newBase = o.getDuration("base", base);
    if (newBase.isZero()) {
      throw o.invalid("base", "a duration above zero, such as 500ms");
    }
    Duration newCap = o.getDuration("cap", cap);
    // Checked here as well as in the constructor, so that the error names the option at fault.
    if (newCap.compareTo(newBase) < 0) {
      throw o.has("cap")
          ? o.invalid("cap", "a duration not below base (" + newBase + ")")
          : o.invalid("base", "a duration not above cap (" + newCap + ")");
    }
    return new ExponentialBackoffRetryPolicy(
        newBase,
        o.getDouble("factor", factor, 1.0, 100.0),
        newCap,
        o.getInt("max-retries", maxRetries, 0, 100),
        random);
  }

  @Override
  public String toString() {
    return NAME
        + "(base="
        + base
        + ", factor="
        + factor
        + ", cap="
        + cap
        + ", maxRetries="
        + maxRetries
        + ")";
  }
}
