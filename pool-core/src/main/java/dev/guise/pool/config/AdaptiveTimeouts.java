package dev.guise.pool.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts that follow a host's recent error rate: a host that fails often gets longer connect and
 * request timeouts, one that answers well shorter ones.
 *
 * <p>The error rate is an exponentially weighted moving average over time: each attempt's outcome
 * (1 for a failure, 0 for a success) counts with a weight that halves every {@link #halfLife()}, so
 * a host's rate follows its last minutes, not its whole history. Until the weights of a host add up
 * to {@link #minSamples()} the factor is 1.
 *
 * <p>The factor applied to the configured connect timeout and request timeout is {@link
 * #minFactor()} at an error rate of {@link #lowErrorRate()} or below, {@link #maxFactor()} at
 * {@link #highErrorRate()} or above, and in between moves geometrically from one to the other (with
 * the defaults, 0.5 at 20 %, 1 at 50 %, 2 at 80 %): continuous, so a host never jumps between a
 * halved and a doubled timeout, and never outside {@code [minFactor, maxFactor]}. The seed doubles
 * above 80 % and halves below 20 %; these defaults reach the same ends smoothly.
 *
 * <p>A request's own timeout ({@code HttpRequest} with a timeout) is never changed.
 */
public final class AdaptiveTimeouts {
  private static final AdaptiveTimeouts DEFAULTS =
      new AdaptiveTimeouts(0.5, 2.0, 0.2, 0.8, Duration.ofSeconds(60), 5);

  private final double minFactor;
  private final double maxFactor;
  private final double lowErrorRate;
  private final double highErrorRate;
  private final Duration halfLife;
  private final int minSamples;

  private AdaptiveTimeouts(
      double minFactor,
      double maxFactor,
      double lowErrorRate,
      double highErrorRate,
      Duration halfLife,
      int minSamples) {
    if (!(minFactor > 0) || !(minFactor <= 1) || !(maxFactor >= 1) || maxFactor > 100) {
      throw new IllegalArgumentException(
          "adaptiveTimeouts: need 0 < minFactor <= 1 <= maxFactor <= 100, got "
              + minFactor
              + " and "
              + maxFactor);
    }
    if (!(lowErrorRate >= 0) || !(highErrorRate <= 1) || !(lowErrorRate < highErrorRate)) {
      throw new IllegalArgumentException(
          "adaptiveTimeouts: need 0 <= lowErrorRate < highErrorRate <= 1, got "
              + lowErrorRate
              + " and "
              + highErrorRate);
    }
    if (halfLife.isNegative() || halfLife.isZero()) {
      throw new IllegalArgumentException("adaptiveTimeouts.halfLife must be positive: " + halfLife);
    }
    if (minSamples < 1) {
      throw new IllegalArgumentException("adaptiveTimeouts.minSamples must be at least 1");
    }
    this.minFactor = minFactor;
    this.maxFactor = maxFactor;
    this.lowErrorRate = lowErrorRate;
    this.highErrorRate = highErrorRate;
    this.halfLife = halfLife;
    this.minSamples = minSamples;
  }

  /** Factors 0.5 to 2, error rates 20 % to 80 %, half-life 60 s, 5 samples before adapting. */
  public static AdaptiveTimeouts defaults() {
    return DEFAULTS;
  }

  /** The smallest factor (0.5): for error rates at or below {@link #lowErrorRate()}. */
  public double minFactor() {
    return minFactor;
  }

  /** The largest factor (2): for error rates at or above {@link #highErrorRate()}. */
  public double maxFactor() {
    return maxFactor;
  }

  /** At or below this error rate (0.2) the factor is {@link #minFactor()}. */
  public double lowErrorRate() {
    return lowErrorRate;
  }

  /** At or above this error rate (0.8) the factor is {@link #maxFactor()}. */
  public double highErrorRate() {
    return highErrorRate;
  }

  /** How long until an outcome counts half (60 s). */
  public Duration halfLife() {
    return halfLife;
  }

  /** How many (weighted) outcomes a host needs before its factor moves from 1 (5). */
  public int minSamples() {
    return minSamples;
  }

  /** These settings with factors between {@code min} and {@code max}. */
  public AdaptiveTimeouts withFactors(double min, double max) {
    return new AdaptiveTimeouts(min, max, lowErrorRate, highErrorRate, halfLife, minSamples);
  }

  /** These settings with the error rates at which the factor reaches its ends. */
  public AdaptiveTimeouts withErrorRates(double low, double high) {
    return new AdaptiveTimeouts(minFactor, maxFactor, low, high, halfLife, minSamples);
  }

  /** These settings with another half-life. */
  public AdaptiveTimeouts withHalfLife(Duration d) {
    return new AdaptiveTimeouts(
        minFactor, maxFactor, lowErrorRate, highErrorRate, Objects.requireNonNull(d), minSamples);
  }

  /** These settings with another sample threshold. */
  public AdaptiveTimeouts withMinSamples(int n) {
    return new AdaptiveTimeouts(minFactor, maxFactor, lowErrorRate, highErrorRate, halfLife, n);
  }

  /**
   * The factor for an error rate: {@code minFactor} up to {@code lowErrorRate}, {@code maxFactor}
   * from {@code highErrorRate}, geometric in between.
   */
  public double factor(double errorRate) {
    if (errorRate <= lowErrorRate) {
      return minFactor;
    }
    if (errorRate >= highErrorRate) {
      return maxFactor;
    }
    double t = (errorRate - lowErrorRate) / (highErrorRate - lowErrorRate);
    return minFactor * Math.pow(maxFactor / minFactor, t);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AdaptiveTimeouts a
        && minFactor == a.minFactor
        && maxFactor == a.maxFactor
        && lowErrorRate == a.lowErrorRate
        && highErrorRate == a.highErrorRate
        && halfLife.equals(a.halfLife)
        && minSamples == a.minSamples;
  }

  @Override
  public int hashCode() {
    return Objects.hash(minFactor, maxFactor, lowErrorRate, highErrorRate, halfLife, minSamples);
  }

  @Override
  public String toString() {
    return "AdaptiveTimeouts[factors "
        + minFactor
        + ".."
        + maxFactor
        + " for error rates "
        + lowErrorRate
        + ".."
        + highErrorRate
        + ", halfLife "
        + halfLife
        + ", minSamples "
        + minSamples
        + "]";
  }
}
