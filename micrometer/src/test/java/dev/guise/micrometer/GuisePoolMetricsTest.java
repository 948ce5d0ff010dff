package dev.guise.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.FailureKind;
import dev.guise.api.TlsEndpoint;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.RequestFailedException;
import dev.guise.pool.WarmUpProgress;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.retry.LinearRetryPolicy;
import dev.guise.pool.stats.ConnectionState;
import dev.guise.pool.stats.PoolEventListener;
import dev.guise.pool.stats.PoolStats;
import dev.guise.testkit.Fault;
import dev.guise.testkit.FaultScope;
import dev.guise.testkit.TestServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The meters of a real pool sending real requests to the testkit server, with real faults. */
class GuisePoolMetricsTest {
  private static final String HOST = "www.metrics.test";

  /**
   * Three IPs: one answers 503 once (a retry that succeeds), one answers 403 (a ban), one refuses
   * connections (failed handshakes, and after three of them a second ban). The IP tag limit is 2,
   * so the third IP is tagged "other".
   */
  @Test
  void aRealPoolsMetersCountItsRequestsHandshakesRetriesBansAndConnections() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Map<String, AtomicInteger> heard = new ConcurrentHashMap<>();
    AtomicInteger listenersMade = new AtomicInteger();
    PoolEventListener.Factory users =
        () -> {
          listenersMade.incrementAndGet();
          return new CountingListener(heard);
        };
    try (TestServer server =
        TestServer.builder().loopbackAddresses(3).hostNames(HOST).build().start()) {
      List<InetAddress> ips = server.addresses();
      InetAddress retried = ips.get(0);
      InetAddress blocked = ips.get(1);
      InetAddress refusing = ips.get(2);
      server.faults().add(FaultScope.address(retried), Fault.status(503).times(1));
      server.faults().add(FaultScope.address(blocked), Fault.status(403));
      server.faults().add(FaultScope.address(refusing), Fault.refuse());
      GuisePoolMetrics metrics =
          GuisePoolMetrics.builder()
              .tag("pool", "test")
              .ipTagLimit(2)
              .statsMaxAge(Duration.ZERO)
              .build();
      metrics.bindTo(registry);
      PoolConfig config =
          PoolConfig.builder()
              .engine("jdk")
              .trust(server.certificateAuthority().trustPolicy())
              .retryPolicy(new LinearRetryPolicy(Duration.ZERO, 2))
              .eventListenerFactory(users)
              .build();
      String url = "https://" + HOST + ":" + server.port() + "/";
      try (HotConnectionPool pool = metrics.createPool(config);
          GuiseClient client = new GuiseClient(pool)) {
        assertThrows(IllegalStateException.class, () -> metrics.createPool(config));
        pool.addIps(HOST, server.port(), ips);

        assertEquals(200, client.send(HttpRequest.get(url), retried).status());
        RequestFailedException ban =
            assertThrows(
                RequestFailedException.class, () -> client.send(HttpRequest.get(url), blocked));
        assertEquals(FailureKind.IP_BLOCKED, ban.attemptFailures().getLast().kind(), "" + ban);
        RequestFailedException refused =
            assertThrows(
                RequestFailedException.class, () -> client.send(HttpRequest.get(url), refusing));
        assertEquals(
            FailureKind.CONNECTION_REFUSED,
            refused.attemptFailures().getLast().kind(),
            "" + refused);

        PoolStats stats = pool.stats();
        String ipRetried = retried.getHostAddress();
        String ipBlocked = blocked.getHostAddress();

        // Requests: one success (after one retry), two failures by their last kind.
        Timer ok = timer(registry, "guise.requests", "outcome", "SUCCESS", "failure", "NONE");
        assertEquals(1, ok.count());
        assertTrue(ok.totalTime(TimeUnit.NANOSECONDS) > 0);
        assertEquals(
            1,
            timer(registry, "guise.requests", "outcome", "FAILURE", "failure", "IP_BLOCKED")
                .count());
        assertEquals(1, timer(registry, "guise.requests", "failure", "CONNECTION_REFUSED").count());
        assertEquals(3, sumCounts(registry.find("guise.requests").tag("host", HOST).timers()));

        // Retries: the 503 once, the refusals twice (the policy's two retries), all as counted.
        assertEquals(1.0, counter(registry, "guise.retries", "failure", "SERVER_ERROR").count());
        assertEquals(
            2.0, counter(registry, "guise.retries", "failure", "CONNECTION_REFUSED").count());
        assertEquals(
            stats.retries(),
            (long)
                registry.find("guise.retries").counters().stream()
                    .mapToDouble(Counter::count)
                    .sum());

        // Handshakes: per IP, as the pool's own books count them; the refused IP is "other".
        assertEquals(
            ipStats(stats, retried).opened(),
            timer(registry, "guise.handshakes", "ip", ipRetried, "outcome", "SUCCESS").count());
        Timer refusedOpens =
            timer(registry, "guise.handshakes", "ip", "other", "failure", "CONNECTION_REFUSED");
        assertEquals(3, refusedOpens.count(), "the first attempt and two retries");
        assertEquals(ipStats(stats, refusing).failedOpens(), refusedOpens.count());
        assertEquals(
            stats.handshakes() + stats.failedHandshakes(),
            sumCounts(registry.find("guise.handshakes").timers()));
        assertEquals(heard.get("connectionFailed").get(), refusedOpens.count());

        // Bans: the 403 banned its IP, and the ban is in force.
        assertEquals(1.0, counter(registry, "guise.bans.started", "ip", ipBlocked).count());
        assertEquals(
            stats.bansStarted(),
            (long)
                registry.find("guise.bans.started").counters().stream()
                    .mapToDouble(Counter::count)
                    .sum());
        assertEquals(
            stats.activeBans().size(), gauge(registry, "guise.bans.active", "host", HOST).value());
        assertTrue(stats.activeBans().size() >= 1, "" + stats.activeBans());

        // Connections: the gauges show what the pool holds, by IP and state.
        assertEquals(
            ipStats(stats, retried).connections().getOrDefault(ConnectionState.IDLE, 0),
            (int) gauge(registry, "guise.connections", "ip", ipRetried, "state", "IDLE").value());
        assertTrue(
            gauge(registry, "guise.connections", "ip", ipRetried, "state", "IDLE").value() >= 1);
        assertEquals(
            stats.connectionsByState().values().stream().mapToInt(Integer::intValue).sum(),
            (int)
                registry.find("guise.connections").gauges().stream()
                    .mapToDouble(Gauge::value)
                    .sum());

        // The cardinality guard: two IPs by name, the third folded into "other".
        Set<String> ipTags = new TreeSet<>();
        for (Meter m : registry.getMeters()) {
          String ip = m.getId().getTag("ip");
          if (ip != null) {
            ipTags.add(ip);
          }
        }
        assertEquals(new TreeSet<>(Set.of(ipRetried, ipBlocked, "other")), ipTags);
        // Every meter carries the common tag.
        assertTrue(
            registry.getMeters().stream().allMatch(m -> "test".equals(m.getId().getTag("pool"))));

        // The configuration's own listener heard everything, once.
        assertEquals(1, listenersMade.get(), "one listener, made as the pool was created");
        assertEquals(1, heard.get("requestSucceeded").get(), "" + heard);
        assertEquals(2, heard.get("requestFailed").get(), "" + heard);
        assertEquals(stats.bansStarted(), heard.get("ipBanned").get(), "" + heard);
      }
      assertEquals(
          0.0,
          registry.find("guise.connections").gauges().stream().mapToDouble(Gauge::value).sum(),
          "a closed pool holds no connection");
      metrics.close();
      assertEquals(List.of(), registry.getMeters(), "close() removes every meter it registered");
    }
  }

  /** Binding after the pool worked: the gauges show its state; timers count from then on. */
  @Test
  void aRegistryBoundLateSeesTheConnectionsAlreadyOpen() throws Exception {
    try (TestServer server =
        TestServer.builder().loopbackAddresses(2).hostNames(HOST).build().start()) {
      GuisePoolMetrics metrics =
          GuisePoolMetrics.builder().ipTagLimit(0).statsMaxAge(Duration.ZERO).build();
      PoolConfig config =
          PoolConfig.builder()
              .engine("jdk")
              .trust(server.certificateAuthority().trustPolicy())
              .build();
      try (HotConnectionPool pool = metrics.createPool(config)) {
        var warm = pool.warmUp(HOST, server.port(), server.addresses(), WarmUpProgress.NONE);
        assertEquals(2, warm.ready(), "" + warm);
        SimpleMeterRegistry late = new SimpleMeterRegistry();
        metrics.bindTo(late);
        assertEquals(2.0, gauge(late, "guise.connections", "host", HOST, "state", "IDLE").value());
        assertEquals(
            List.of(),
            late.find("guise.connections").tagKeys("ip").gauges(),
            "ipTagLimit 0 leaves the ip tag out");
        assertEquals(null, late.find("guise.handshakes").timer(), "opened before the binding");
      }
      metrics.close();
    }
  }

  private static Search search(SimpleMeterRegistry registry, String name, String... tags) {
    return registry.find(name).tag("host", HOST).tags(tags);
  }

  private static Timer timer(SimpleMeterRegistry registry, String name, String... tags) {
    Timer t = search(registry, name, tags).timer();
    assertTrue(t != null, name + " " + List.of(tags) + " in " + describe(registry));
    return t;
  }

  private static Counter counter(SimpleMeterRegistry registry, String name, String... tags) {
    Counter c = search(registry, name, tags).counter();
    assertTrue(c != null, name + " " + List.of(tags) + " in " + describe(registry));
    return c;
  }

  private static Gauge gauge(SimpleMeterRegistry registry, String name, String... tags) {
    Gauge g = search(registry, name, tags).gauge();
    assertTrue(g != null, name + " " + List.of(tags) + " in " + describe(registry));
    return g;
  }

  private static long sumCounts(Collection<Timer> timers) {
    return timers.stream().mapToLong(Timer::count).sum();
  }

  private static String describe(SimpleMeterRegistry registry) {
    return registry.getMetersAsString();
  }

  private static PoolStats.IpStats ipStats(PoolStats stats, InetAddress ip) {
    return stats.ips().stream().filter(s -> s.ip().equals(ip)).findFirst().orElseThrow();
  }

  /** Counts each event it hears by its method's name. */
  private record CountingListener(Map<String, AtomicInteger> heard) implements PoolEventListener {
    private void hear(String what) {
      heard.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void connectionFailed(TlsEndpoint endpoint, ClassifiedFailure failure, Duration took) {
      hear("connectionFailed");
    }

    @Override
    public void requestSucceeded(String host, int attempts, Duration took) {
      hear("requestSucceeded");
    }

    @Override
    public void requestFailed(String host, ClassifiedFailure failure, int attempts, Duration took) {
      hear("requestFailed");
    }

    @Override
    public void ipBanned(String host, InetAddress ip, Instant until, String reason) {
      hear("ipBanned");
    }
  }
}
