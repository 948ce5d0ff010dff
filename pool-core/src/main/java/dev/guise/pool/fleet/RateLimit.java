package dev.guise.pool.fleet;

/**
 * A request rate for one host, as a token bucket: {@code perSecond} tokens are added each second,
 * up to {@code burst}; each request takes one. Every process of a fleet draws from one bucket per
 * host, so the limit holds for the fleet, not per process.
 *
 * @param perSecond tokens added per second, more than 0
 * @param burst the most tokens the bucket holds (requests that may go at once after a quiet spell),
 *     at least 1
 */
public record RateLimit(double perSecond, int burst) {
  /** Checks the figures. */
  public RateLimit {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("rate limit perSecond must be > 0: " + perSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("rate limit burst must be at least 1: " + burst);
    }
  }

  /** {@code perSecond} requests a second, with a burst of one second's worth (at least 1). */
  public static RateLimit perSecond(double perSecond) {
    return new RateLimit(perSecond, (int) Math.max(1, Math.ceil(perSecond)));
  }
}
