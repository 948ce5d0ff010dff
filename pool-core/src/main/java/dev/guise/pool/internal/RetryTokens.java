package dev.guise.pool.internal;

/**
 * Bounds retries across a pool, so that an outage cannot become a retry storm: a token bucket
 * refilled by successes ({@code ratio} tokens each) and by time ({@code minPerSecond} tokens a
 * second), from which each retry takes one token. The bucket holds at most ten seconds' worth of
 * the time refill plus that, so a long quiet period cannot bank an unbounded burst.
 *
 * <p>Thread-safe. Time is passed in as {@link System#nanoTime()} values so tests can drive it.
 */
public final class RetryTokens {
  private final double ratio;
  private final double perNano;
  private final double capacity;
  private double tokens;
  private long lastNanos;

  public RetryTokens(double ratio, int minPerSecond, long nowNanos) {
    this.ratio = ratio;
    this.perNano = minPerSecond / 1e9;
    this.capacity = Math.max(1, minPerSecond * 10.0 + 100 * ratio);
    this.tokens = capacity;
    this.lastNanos = nowNanos;
  }

  /** A request succeeded without retries being needed. */
  public synchronized void recordSuccess() {
    tokens = Math.min(capacity, tokens + ratio);
  }

  /** Takes a token for a retry; false when the budget is spent. */
  public synchronized boolean tryRetry(long nowNanos) {
    long elapsed = Math.max(0, nowNanos - lastNanos);
    lastNanos = nowNanos;
    tokens = Math.min(capacity, tokens + elapsed * perNano);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
