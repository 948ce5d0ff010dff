package dev.guise.flink.internal;

import dev.guise.pool.stats.ConnectionState;
import dev.guise.pool.stats.PoolStats;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * A pool's {@link PoolStats} as gauges of a Flink metric group. A reporter reads every gauge of a
 * group one after another, and a snapshot walks every host of the pool, so one snapshot serves all
 * gauges for a second instead of one snapshot per gauge.
 */
public final class PoolGauges {
  private static final long MAX_AGE_NANOS = 1_000_000_000L;

  private final Supplier<PoolStats> source;
  private final LongSupplier nanoTime;
  private PoolStats last;
  private long takenAt;

  private PoolGauges(Supplier<PoolStats> source, LongSupplier nanoTime) {
    this.source = source;
    this.nanoTime = nanoTime;
  }

  /**
   * Registers in {@code group}: {@code handshakes}, {@code failedHandshakes}, {@code requests},
   * {@code reusedRequests}, {@code reuseRate}, {@code retries}, {@code bansStarted}, {@code
   * activeBans}, {@code hosts} and {@code connections.<state>} for each connection state.
   */
  public static void register(MetricGroup group, Supplier<PoolStats> source) {
    PoolGauges g = new PoolGauges(source, System::nanoTime);
    g.gauge(group, "handshakes", PoolStats::handshakes);
    g.gauge(group, "failedHandshakes", PoolStats::failedHandshakes);
    g.gauge(group, "requests", PoolStats::requests);
    g.gauge(group, "reusedRequests", PoolStats::reusedRequests);
    g.gauge(group, "retries", PoolStats::retries);
    g.gauge(group, "bansStarted", PoolStats::bansStarted);
    g.gauge(group, "activeBans", s -> s.activeBans().size());
    g.gauge(group, "hosts", s -> s.connectionsByHost().size());
    group.gauge("reuseRate", (Gauge<Double>) () -> g.stats().reuseRate());
    MetricGroup connections = group.addGroup("connections");
    for (ConnectionState state : ConnectionState.values()) {
      if (state != ConnectionState.CLOSED) {
        g.gauge(
            connections,
            state.name().toLowerCase(Locale.ROOT),
            s -> s.connectionsByState().getOrDefault(state, 0));
      }
    }
  }

  private void gauge(MetricGroup group, String name, ToLongFunction<PoolStats> read) {
    group.gauge(name, (Gauge<Long>) () -> read.applyAsLong(stats()));
  }

  // Reporters may read from their own thread while another reads; one lock keeps the cache whole.
  private synchronized PoolStats stats() {
    long now = nanoTime.getAsLong();
    if (last == null || now - takenAt > MAX_AGE_NANOS) {
      last = source.get();
      takenAt = now;
    }
    return last;
  }
}
