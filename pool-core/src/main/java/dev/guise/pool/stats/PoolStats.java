package dev.guise.pool.stats;

import dev.guise.api.FailureKind;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of a pool's state and counters. Connection counts are consistent per host (each host
 * is read under its lock); counters are read without stopping the pool, so they may be a few events
 * apart from each other.
 *
 * @param connectionsByState open connections per state, over all hosts
 * @param ips per (host, IP): connections per state and the books (opened, closed, failed opens); a
 *     host the pool has forgotten (no connection for an idle timeout) is no longer listed, its
 *     books with it
 * @param handshakes connections opened
 * @param failedHandshakes connection attempts that failed
 * @param requests requests that got a response (each attempt counts)
 * @param reusedRequests of those, the ones served over a connection that had been used before
 * @param retries attempts retried
 * @param retriedRequestsSucceeded requests that succeeded after at least one retry
 * @param retriedRequests requests that needed at least one retry
 * @param failuresByKind failures of attempts (responses and exceptions) by kind
 * @param bansStarted bans started since the pool was built
 * @param activeBans bans in force now
 */
public record PoolStats(
    Map<ConnectionState, Integer> connectionsByState,
    List<IpStats> ips,
    long handshakes,
    long failedHandshakes,
    long requests,
    long reusedRequests,
    long retries,
    long retriedRequestsSucceeded,
    long retriedRequests,
    Map<FailureKind, Long> failuresByKind,
    long bansStarted,
    List<ActiveBan> activeBans) {

  /**
   * One IP of one host.
   *
   * @param host the host name in lower case, followed by {@code :port} unless the port is 443
   */
  public record IpStats(
      String host,
      InetAddress ip,
      Map<ConnectionState, Integer> connections,
      long opened,
      long closed,
      long failedOpens) {
    /** Open connections (all states but CLOSED). */
    public int open() {
      return connections.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /**
   * A ban in force.
   *
   * @param host the host name in lower case, followed by {@code :port} unless the port is 443
   */
  public record ActiveBan(String host, InetAddress ip, Instant until, String reason) {}

  /** Share of requests served over an already-open, previously used connection; 0 with none. */
  public double reuseRate() {
    return requests == 0 ? 0 : (double) reusedRequests / requests;
  }

  /** Share of retried requests that finally succeeded; 0 with none. */
  public double retrySuccessRate() {
    return retriedRequests == 0 ? 0 : (double) retriedRequestsSucceeded / retriedRequests;
  }

  /** Open connections per host. */
  public Map<String, Integer> connectionsByHost() {
    Map<String, Integer> out = new TreeMap<>();
    for (IpStats s : ips) {
      out.merge(s.host(), s.open(), Integer::sum);
    }
    return out;
  }
}
