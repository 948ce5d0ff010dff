package dev.guise.micrometer.internal;

import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.stats.ConnectionState;
import dev.guise.pool.stats.PoolStats;
import io.micrometer.core.instrument.Tags;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gauges: {@code guise.connections} (by host, IP within the limit, and state) and {@code
 * guise.bans.active} (by host), read from the pool's {@link PoolStats}.
 *
 * <p>A pool learns hosts and IPs as it works, so gauges are registered as the events name new ones
 * (and, at binding, for those the pool knows already). Every gauge of one scrape reads the same
 * snapshot: {@code pool.stats()} is taken at most once per {@code maxAge}, so a scrape of hundreds
 * of series costs one snapshot, not one per series.
 */
public final class ConnectionGauges {
  public static final String CONNECTIONS = "guise.connections";
  public static final String ACTIVE_BANS = "guise.bans.active";

  /** The states an open connection can be in (PoolStats does not count closed ones). */
  private static final List<ConnectionState> OPEN =
      List.of(
          ConnectionState.CONNECTING,
          ConnectionState.IDLE,
          ConnectionState.IN_USE,
          ConnectionState.UNHEALTHY);

  private record Snapshot(
      long takenNanos, Map<Tags, Integer> connections, Map<Tags, Integer> bans) {
    static final Snapshot EMPTY = new Snapshot(0, Map.of(), Map.of());
  }

  private final Tagging tagging;
  private final long maxAgeNanos;
  private final List<RegistryMeters> registries;
  private final Set<Tags> routes = ConcurrentHashMap.newKeySet();
  private final Set<Tags> hosts = ConcurrentHashMap.newKeySet();
  private volatile HotConnectionPool pool;
  private volatile Snapshot snapshot;

  /**
   * @param registries the bound registries; the caller adds to it and then calls {@link #bindTo}
   */
  public ConnectionGauges(Tagging tagging, Duration maxAge, List<RegistryMeters> registries) {
    this.tagging = tagging;
    this.maxAgeNanos = maxAge.toNanos();
    this.registries = registries;
  }

  /** The pool the gauges read; the routes it knows already get their gauges. */
  public void watch(HotConnectionPool pool) {
    this.pool = pool;
    this.snapshot = null;
    learnFrom(pool.stats());
  }

  /** An event named {@code host} at {@code ip}: registers its gauges the first time. */
  public void seen(String host, InetAddress ip) {
    Tags route = tagging.route(host, ip);
    if (routes.add(route)) {
      registries.forEach(m -> registerRoute(m, route));
    }
    Tags hostTags = tagging.host(host);
    if (hosts.add(hostTags)) {
      registries.forEach(m -> registerHost(m, hostTags));
    }
  }

  /** Registers every gauge known so far in a newly bound registry. */
  public void bindTo(RegistryMeters meters) {
    HotConnectionPool p = pool;
    if (p != null) {
      learnFrom(p.stats());
    }
    routes.forEach(route -> registerRoute(meters, route));
    hosts.forEach(host -> registerHost(meters, host));
  }

  private void learnFrom(PoolStats stats) {
    for (PoolStats.IpStats s : stats.ips()) {
      seen(Tagging.hostName(s.host()), s.ip());
    }
  }

  private void registerRoute(RegistryMeters meters, Tags route) {
    for (ConnectionState state : OPEN) {
      Tags tags = route.and("state", state.name());
      meters.gauge(
          CONNECTIONS,
          "Open pooled connections by state",
          "connections",
          tags,
          () -> snapshot().connections().getOrDefault(tags, 0));
    }
  }

  private void registerHost(RegistryMeters meters, Tags host) {
    meters.gauge(
        ACTIVE_BANS,
        "IPs banned for the host now",
        null,
        host,
        () -> snapshot().bans().getOrDefault(host, 0));
  }

  private Snapshot snapshot() {
    HotConnectionPool p = pool;
    if (p == null) {
      return Snapshot.EMPTY;
    }
    Snapshot s = snapshot;
    long now = System.nanoTime();
    if (s == null || now - s.takenNanos() > maxAgeNanos) {
      // Two scrapes at once may both take one; either is a true picture, and the last one stays.
      s = take(p.stats(), now);
      snapshot = s;
    }
    return s;
  }

  private Snapshot take(PoolStats stats, long now) {
    Map<Tags, Integer> connections = new HashMap<>();
    for (PoolStats.IpStats s : stats.ips()) {
      Tags route = tagging.route(Tagging.hostName(s.host()), s.ip());
      s.connections()
          .forEach(
              (state, n) -> connections.merge(route.and("state", state.name()), n, Integer::sum));
    }
    Map<Tags, Integer> bans = new HashMap<>();
    for (PoolStats.ActiveBan b : stats.activeBans()) {
      bans.merge(tagging.host(Tagging.hostName(b.host())), 1, Integer::sum);
    }
    return new Snapshot(now, connections, bans);
  }
}
