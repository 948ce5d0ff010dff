package dev.guise.flink.internal;

import dev.guise.flink.HostRateLimiter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One token bucket per host with a burst of one: each reservation takes the host's next free
 * instant and moves it one interval on. Only hosts that still have a reservation ahead are kept: a
 * host whose next free instant has passed behaves exactly like a host never seen, so it is dropped
 * when the map grows, which bounds memory by the hosts in flight rather than the hosts ever seen.
 */
public final class HostTokenBuckets implements HostRateLimiter {
  private static final int SWEEP_AT = 4096;

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Long> nextFree = new HashMap<>();
  private int sweepAt = SWEEP_AT;

  public HostTokenBuckets(double perSecond, LongSupplier nanoTime) {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive: " + perSecond);
    }
    this.intervalNanos = Math.max(1, (long) (1_000_000_000L / perSecond));
    this.nanoTime = nanoTime;
  }

  // Synchronized though the task calls it from one thread: a factory may hand it elsewhere.
  @Override
  public synchronized Duration reserve(String hostKey) {
    long now = nanoTime.getAsLong();
    Long free = nextFree.get(hostKey);
    long start = free == null || free - now < 0 ? now : free;
    nextFree.put(hostKey, start + intervalNanos);
    if (nextFree.size() >= sweepAt) {
      nextFree.values().removeIf(t -> t - now <= 0);
      sweepAt = Math.max(SWEEP_AT, nextFree.size() * 2);
    }
    return Duration.ofNanos(start - now);
  }

  /** Hosts with a reservation still ahead (or not yet swept); for tests. */
  synchronized int trackedHosts() {
    return nextFree.size();
  }
}
