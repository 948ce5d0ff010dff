package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.FailureKind;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.fleet.AccessEntry;
import dev.guise.pool.fleet.Ban;
import dev.guise.pool.fleet.BanKey;
import dev.guise.pool.fleet.FleetStore;
import dev.guise.pool.fleet.FleetStores;
import dev.guise.pool.fleet.RateLimit;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.retry.LinearRetryPolicy;
import dev.guise.testkit.TestServer;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Allow and deny lists, bans made, lifted, exported and imported, and the per-host rate limit,
 * through real pools against the testkit's HTTPS server on four loopback IPs.
 */
class AccessControlTest {
  private static final String HOST = "www.access.test";
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private TestServer server() throws Exception {
    TestServer s = TestServer.builder().loopbackAddresses(4).hostNames(HOST).build().start();
    toClose.add(s);
    return s;
  }

  private HotConnectionPool pool(TestServer server, PoolConfig.Builder b) {
    HotConnectionPool p =
        HotConnectionPool.create(
            b.engine("jdk")
                .trust(server.certificateAuthority().trustPolicy())
                .retryPolicy(new LinearRetryPolicy(Duration.ZERO, 3))
                .build());
    toClose.add(p);
    p.addIps(HOST, server.port(), server.addresses());
    return p;
  }

  private GuiseClient client(HotConnectionPool pool) {
    GuiseClient c = new GuiseClient(pool);
    toClose.add(c);
    return c;
  }

  private static String url(TestServer s) {
    return "https://" + HOST + ":" + s.port() + "/";
  }

  /** Sends {@code n} requests at IPs the pool chooses; returns how many each IP received. */
  private static long[] spread(TestServer s, GuiseClient client, int n) throws Exception {
    long[] before = received(s);
    for (int i = 0; i < n; i++) {
      assertEquals(200, client.send(HttpRequest.get(url(s))).status());
    }
    long[] after = received(s);
    for (int i = 0; i < after.length; i++) {
      after[i] -= before[i];
    }
    return after;
  }

  private static long[] received(TestServer s) {
    long[] out = new long[s.addresses().size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.requestsReceived(s.addresses().get(i));
    }
    return out;
  }

  private static int connectionsTo(HotConnectionPool pool, InetAddress ip) {
    int n = 0;
    for (var st : pool.stats().ips()) {
      if (st.ip().equals(ip)) {
        n += st.open();
      }
    }
    return n;
  }

  @Test
  void aDeniedIpIsNeverUsedAndItsConnectionsClose() throws Exception {
    TestServer s = server();
    HotConnectionPool pool = pool(s, PoolConfig.builder());
    GuiseClient client = client(pool);
    List<InetAddress> ips = s.addresses();
    long[] all = spread(s, client, 8);
    assertTrue(all[0] > 0, "every IP serves before the deny: " + Arrays.toString(all));
    assertTrue(connectionsTo(pool, ips.get(0)) > 0);

    assertTrue(pool.access().deny(HOST, ips.get(0)));
    assertEquals(0, connectionsTo(pool, ips.get(0)), "the idle connection to it was closed");
    long[] after = spread(s, client, 12);
    assertEquals(0, after[0], "a denied IP is never used");
    assertEquals(12, after[1] + after[2] + after[3]);
    RequestFailedException pinned =
        assertThrows(
            RequestFailedException.class, () -> client.send(HttpRequest.get(url(s)), ips.get(0)));
    assertEquals(FailureKind.IP_BLOCKED, pinned.failure().kind());

    assertTrue(pool.access().remove(AccessEntry.deny(HOST, ips.get(0))));
    assertTrue(spread(s, client, 8)[0] > 0, "used again once the entry is removed");

    pool.access().deny(null, ips.get(1)); // global: every host
    assertEquals(0, spread(s, client, 8)[1], "a globally denied IP is never used");
  }

  @Test
  void anAllowListLimitsThePoolToItsIpsAndDenyWins() throws Exception {
    TestServer s = server();
    List<InetAddress> ips = s.addresses();
    HotConnectionPool pool =
        pool(
            s,
            PoolConfig.builder()
                .access(AccessEntry.allow(HOST, ips.get(1)))
                .access(AccessEntry.allow(HOST, ips.get(2))));
    GuiseClient client = client(pool);
    long[] got = spread(s, client, 12);
    assertEquals(0, got[0]);
    assertEquals(0, got[3]);
    assertEquals(12, got[1] + got[2], "only the allowed IPs serve");

    pool.access().deny(HOST, ips.get(2));
    long[] later = spread(s, client, 6);
    assertEquals(6, later[1], "deny wins over allow");
    assertEquals(
        List.of(
            AccessEntry.allow(HOST, ips.get(1)),
            AccessEntry.allow(HOST, ips.get(2)),
            AccessEntry.deny(HOST, ips.get(2))),
        pool.access().entries());
  }

  @Test
  void bansAreListedLiftedExportedAndImported() throws Exception {
    TestServer s = server();
    List<InetAddress> ips = s.addresses();
    HotConnectionPool pool = pool(s, PoolConfig.builder());
    GuiseClient client = client(pool);
    BanKey k0 = BanKey.ofIp(HOST, s.port(), ips.get(0));
    BanKey k1 = BanKey.ofIp(HOST, s.port(), ips.get(1));
    BanKey exit = BanKey.ofProxyExit(HOST, s.port(), "http://127.0.0.1:3128");
    pool.access().ban(k0, Duration.ofMinutes(10), "block page");
    pool.access().ban(k1, Duration.ofMinutes(10), "too many refusals");
    pool.access().ban(exit, Duration.ofMinutes(5), "via proxy");
    assertEquals(3, pool.access().bans().size());
    assertEquals(3, pool.stats().activeBans().size(), "the stats list them too");
    long[] got = spread(s, client, 8);
    assertEquals(0, got[0] + got[1], "banned IPs are not used");

    String json = pool.access().exportBans();
    assertTrue(json.contains("\"proxy_exit\" : \"http://127.0.0.1:3128\""), json);

    assertTrue(pool.access().lift(k0));
    assertFalse(pool.access().lift(k0), "lifted already");
    assertTrue(spread(s, client, 8)[0] > 0, "a lifted ban frees the IP at once");
    assertEquals(2, pool.access().liftAll());
    assertEquals(List.of(), pool.access().bans());

    // Another pool, its own store: the export brings the bans over.
    HotConnectionPool other = pool(s, PoolConfig.builder());
    assertEquals(3, other.access().importBans(json));
    Map<BanKey, Ban> byKey = new HashMap<>();
    other.access().bans().forEach(b -> byKey.put(b.key(), b));
    assertEquals("block page", byKey.get(k0).reason());
    assertEquals("via proxy", byKey.get(exit).reason());
    long[] viaOther = spread(s, client(other), 8);
    assertEquals(0, viaOther[0] + viaOther[1], "imported bans hold");

    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                other
                    .access()
                    .importBans(
                        "{\"bans\":[{\"host\":\"a.test\",\"ip\":\"127.0.0.9\","
                            + "\"until\":\"2999-01-01T00:00:00Z\"},{\"host\":\"a.test\","
                            + "\"until\":\"2999-01-01T00:00:00Z\"}]}"));
    assertTrue(bad.getMessage().startsWith("ban 2: "), bad.getMessage());
    assertEquals(3, other.access().bans().size(), "nothing of a bad import is put");
    assertThrows(IllegalArgumentException.class, () -> other.access().importBans("[1,2"));
    assertEquals(
        0,
        other
            .access()
            .importBans(
                "{\"bans\":[{\"host\":\"a.test\",\"ip\":\"127.0.0.9\","
                    + "\"until\":\"2000-01-01T00:00:00Z\"}]}"),
        "a ban already over is skipped");
  }

  @Test
  void twoPoolsOnOneStoreShareBansAndTheOtherRetiresItsConnections() throws Exception {
    TestServer s = server();
    List<InetAddress> ips = s.addresses();
    FleetStore store = FleetStores.inMemory(Clock.systemUTC());
    toClose.add(store);
    HotConnectionPool a = pool(s, PoolConfig.builder().fleetStore(store));
    HotConnectionPool b = pool(s, PoolConfig.builder().fleetStore(store));
    GuiseClient cb = client(b);
    spread(s, cb, 8);
    assertTrue(connectionsTo(b, ips.get(2)) > 0);
    a.access().ban(BanKey.ofIp(HOST, s.port(), ips.get(2)), Duration.ofMinutes(1), "seen by a");
    assertEquals(0, connectionsTo(b, ips.get(2)), "b closed its idle connection to the IP");
    assertEquals(0, spread(s, cb, 8)[2], "b never uses the IP a banned");
    assertEquals(1, b.access().bans().size());
  }

  @Test
  void theRateLimitSpacesRequestsAndADeadlineItCannotMeetFailsAtOnce() throws Exception {
    TestServer s = server();
    HotConnectionPool pool =
        pool(s, PoolConfig.builder().rateLimit(HOST.toUpperCase(), new RateLimit(20, 1)));
    GuiseClient client = client(pool);
    client.send(HttpRequest.get(url(s))); // the one token of the burst
    long started = System.nanoTime();
    spread(s, client, 20);
    long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
    assertTrue(tookMs >= 950, "20 requests at 20/s after the burst take a second: " + tookMs);
    assertTrue(tookMs < 5_000, "and not much more: " + tookMs);

    HotConnectionPool slow = pool(s, PoolConfig.builder().rateLimit(HOST, new RateLimit(0.5, 1)));
    GuiseClient sc = client(slow);
    sc.send(HttpRequest.get(url(s)));
    long t0 = System.nanoTime();
    RequestFailedException e =
        assertThrows(
            RequestFailedException.class,
            () ->
                sc.send(
                    HttpRequest.newBuilder(URI.create(url(s)))
                        .timeout(Duration.ofMillis(300))
                        .build()));
    assertEquals(FailureKind.DEADLINE_EXCEEDED, e.failure().kind());
    assertTrue(e.failure().message().contains("rate limit"), e.failure().message());
    assertTrue(
        Duration.ofNanos(System.nanoTime() - t0).toMillis() < 250,
        "a wait past the deadline is not even started");
  }
}
