package dev.guise.pool.config;

import java.util.Objects;

/**
 * The pool-wide retry budget's settings, which keep an outage from becoming a retry storm: retries
 * may be {@code ratio} of the successful requests, and at least {@code minPerSecond} retries a
 * second are always allowed. Immutable.
 *
 * <p>Defaults: ratio 0.2, 10 a second.
 */
public final class RetryBudget {
  private static final RetryBudget DEFAULTS = new RetryBudget(0.2, 10);

  private final double ratio;
  private final int minPerSecond;

  private RetryBudget(double ratio, int minPerSecond) {
    if (!(ratio >= 0 && ratio <= 10)) {
      throw new IllegalArgumentException("retryBudget.ratio must be between 0 and 10: " + ratio);
    }
    this.ratio = ratio;
    this.minPerSecond = Limits.atLeast("retryBudget.minPerSecond", minPerSecond, 0);
  }

  /** The documented defaults. */
  public static RetryBudget defaults() {
    return DEFAULTS;
  }

  /**
   * A budget of {@code ratio} retries per successful request, and at least {@code minPerSecond}.
   *
   * @throws IllegalArgumentException when ratio is outside 0..10 or minPerSecond is negative
   */
  public static RetryBudget of(double ratio, int minPerSecond) {
    return new RetryBudget(ratio, minPerSecond);
  }

  /** Retries allowed as a share of successful requests (the budget's refill). */
  public double ratio() {
    return ratio;
  }

  /** Retries always allowed per second, whatever the ratio says. */
  public int minPerSecond() {
    return minPerSecond;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryBudget b
        && Double.compare(ratio, b.ratio) == 0
        && minPerSecond == b.minPerSecond;
  }

  @Override
  public int hashCode() {
    return Objects.hash(ratio, minPerSecond);
  }

  @Override
  public String toString() {
    return "RetryBudget[ratio=" + ratio + ", minPerSecond=" + minPerSecond + "]";
  }
}
