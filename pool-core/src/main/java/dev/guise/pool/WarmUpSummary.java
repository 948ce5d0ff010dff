package dev.guise.pool;

import dev.guise.api.FailureKind;
import java.time.Duration;
import java.util.Map;

/**
 * How a {@link HotConnectionPool#warmUp warm-up} went.
 *
 * @param host the host warmed up
 * @param ips how many IPs were asked for
 * @param ready IPs with a validated connection at the end (opened now or already open)
 * @param failuresByKind IPs that failed, by the kind of their failure
 * @param took wall time from start to the last IP done
 */
public record WarmUpSummary(
    String host, int ips, int ready, Map<FailureKind, Integer> failuresByKind, Duration took) {
  public WarmUpSummary {
    failuresByKind = Map.copyOf(failuresByKind);
  }

  /** IPs that failed. */
  public int failed() {
    return failuresByKind.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Failed IPs as a share of all. */
  public double failureRate() {
    return ips == 0 ? 0 : (double) failed() / ips;
  }
}
