package dev.guise.pool.internal;

import dev.guise.pool.stats.ConnectionState;
import java.net.InetAddress;
import java.util.Map;

/** One route's books and its connections' states, for statistics. */
public record RouteBooks(
    Route route, long opened, long closed, long failedOpens, Map<ConnectionState, Integer> states) {

  public HostKey host() {
    return route.host();
  }

  /** The route's IP; the unspecified address for a route its proxy resolves. */
  public InetAddress ip() {
    return route.endpoint().ip();
  }

  /** Connections in the books (open, and being opened). */
  public int open() {
    return states.values().stream().mapToInt(Integer::intValue).sum();
  }
}
