package dev.guise.pool.retry;

import dev.guise.api.RetryContext;
import dev.guise.api.RetryDecision;
import dev.guise.api.spi.ProviderOptions;
import dev.guise.api.spi.RetryPolicy;
import java.time.Duration;
import java.util.Map;

/**
 * Waits {@code step * (n - 1)} before the n-th retry: 0 s, 1 s, 2 s, ... by default, 3 retries.
 * Named {@code linear}. Retry-After and the deadline apply as for every built-in policy.
 *
 * <p>Options: {@code step} (a duration, such as {@code 250ms}, in the syntax of {@link
 * ProviderOptions}), {@code max-retries} (0 to 100). Immutable and thread-safe.
 */
public final class LinearRetryPolicy implements RetryPolicy {
  public static final String NAME = "linear";

  private final Duration step;
  private final int maxRetries;

  public LinearRetryPolicy() {
    this(Duration.ofSeconds(1), 3);
  }

  public LinearRetryPolicy(Duration step, int maxRetries) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("step must not be negative: " + step);
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
    }
    this.step = step;
    this.maxRetries = maxRetries;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RetryDecision decide(RetryContext context) {
    if (context.attempt() > maxRetries) {
      return RetryDecision.giveUp("no retries left after " + context.attempt() + " attempts");
    }
    return RetryDelays.withinDeadline(step.multipliedBy(context.attempt() - 1L), context);
  }

  @Override
  public RetryPolicy withOptions(Map<String, String> options) {
    ProviderOptions o = ProviderOptions.read(NAME, options, "step", "max-retries");
    return new LinearRetryPolicy(
        o.getDuration("step", step), o.getInt("max-retries", maxRetries, 0, 100));
  }

  @Override
  public String toString() {
    return NAME + "(step=" + step + ", maxRetries=" + maxRetries + ")";
  }
}
