package dev.guise.pool.internal;

import dev.guise.pool.config.AdaptiveTimeouts;
import dev.guise.pool.config.Timeouts;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connect and request timeouts of each host: the configured ones, or with {@link
 * AdaptiveTimeouts} those times a factor that follows the host's error rate (a time-decayed
 * average: each outcome's weight halves every half-life, by the pool's clock). Thread-safe; a
 * host's average is guarded by its own monitor.
 */
public final class HostTimeouts {
  private final Timeouts timeouts;
  private final AdaptiveTimeouts adaptive;
  private final Clock clock;
  private final Map<String, ErrorRate> rates = new ConcurrentHashMap<>();

  /**
   * @param adaptive null for fixed timeouts
   */
  public HostTimeouts(Timeouts timeouts, AdaptiveTimeouts adaptive, Clock clock) {
    this.timeouts = timeouts;
    this.adaptive = adaptive;
    this.clock = clock;
  }

  /** Fixed timeouts, as configured. */
  public static HostTimeouts fixed(Timeouts timeouts) {
    return new HostTimeouts(timeouts, null, Clock.systemUTC());
  }

  /** Records an attempt's outcome for {@code host}. */
  public void record(String host, boolean failed) {
    if (adaptive == null) {
      return;
    }
    long now = clock.millis();
    long halfLife = adaptive.halfLife().toMillis();
    // Inside the map's computation, so forgetFaded cannot drop the rate between a lookup and an
    // add.
    rates.compute(
        host,
        (h, r) -> {
          ErrorRate rate = r != null ? r : new ErrorRate();
          rate.add(failed ? 1 : 0, now, halfLife);
          return rate;
        });
  }

  /**
   * A rate whose outcomes weigh less than this together has faded: ten half-lives without an
   * outcome after a single one. Below {@link AdaptiveTimeouts#minSamples()} (at least 1), it no
   * longer changes a timeout.
   */
  static final double FADED_WEIGHT = 1.0 / 1024;

  /**
   * Forgets the hosts whose rates have faded ({@link #FADED_WEIGHT}), so a pool that meets ever new
   * hosts does not keep a rate for each; a host heard from again starts over, as it would have
   * almost exactly with its faded rate.
   */
  public void forgetFaded() {
    if (adaptive == null) {
      return;
    }
    long now = clock.millis();
    long halfLife = adaptive.halfLife().toMillis();
    for (String host : rates.keySet()) {
      rates.computeIfPresent(host, (h, r) -> r.read(now, halfLife)[1] < FADED_WEIGHT ? null : r);
    }
  }

  /** How many hosts have a rate kept (tests). */
  int hostsKept() {
    return rates.size();
  }

  /** The host's factor now: 1 without adaptive timeouts or enough outcomes. */
  public double factor(String host) {
    if (adaptive == null) {
      return 1;
    }
    ErrorRate r = rates.get(host);
    if (r == null) {
      return 1;
    }
    double[] rw = r.read(clock.millis(), adaptive.halfLife().toMillis());
    return rw[1] < adaptive.minSamples() ? 1 : adaptive.factor(rw[0]);
  }

  /** The host's error rate now (0 when it has none). */
  public double errorRate(String host) {
    ErrorRate r = rates.get(host);
    return r == null || adaptive == null
        ? 0
        : r.read(clock.millis(), adaptive.halfLife().toMillis())[0];
  }

  public Duration connect(String host) {
    return scale(timeouts.connect(), host);
  }

  public Duration request(String host) {
    return scale(timeouts.request(), host);
  }

  private Duration scale(Duration d, String host) {
    double f = factor(host);
    return f == 1 ? d : Duration.ofNanos((long) (d.toNanos() * f));
  }

  /** Decayed sums of outcomes and of weights. */
  private static final class ErrorRate {
    private double errors;
    private double weight;
    private long lastMillis;

    synchronized void add(double outcome, long nowMillis, long halfLifeMillis) {
      decay(nowMillis, halfLifeMillis);
      errors += outcome;
      weight += 1;
    }

    /** {rate, weight} at {@code nowMillis}. */
    synchronized double[] read(long nowMillis, long halfLifeMillis) {
      decay(nowMillis, halfLifeMillis);
      return new double[] {weight == 0 ? 0 : errors / weight, weight};
    }

    private void decay(long nowMillis, long halfLifeMillis) {
      if (nowMillis > lastMillis) {
        double d = Math.pow(0.5, (nowMillis - lastMillis) / (double) halfLifeMillis);
        errors *= d;
        weight *= d;
        lastMillis = nowMillis;
      }
    }
  }
}
