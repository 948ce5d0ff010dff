package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.FailureKind;
import dev.guise.api.HttpProtocol;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.retry.LinearRetryPolicy;
import dev.guise.pool.stats.PoolStats;
import dev.guise.testkit.Fault;
import dev.guise.testkit.FaultScope;
import dev.guise.testkit.TestServer;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool and the retrying client against the testkit's HTTPS server on many loopback IPs, with
 * the JDK engine and certificate verification on (the server's test CA is the only anchor).
 */
class PoolIntegrationTest {
  private static final String HOST = "www.pool.test";
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private TestServer server(int ips, String... alpn) throws Exception {
    var b = TestServer.builder().loopbackAddresses(ips).hostNames(HOST);
    if (alpn.length > 0) {
      b.alpn(alpn);
    }
    TestServer s = b.build().start();
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
    return p;
  }

  private static URI url(TestServer s, String path) {
    return URI.create("https://" + HOST + ":" + s.port() + path);
  }

  private GuiseClient client(HotConnectionPool pool) {
    GuiseClient c = new GuiseClient(pool);
    toClose.add(c);
    return c;
  }

  @Test
  void warmUpThenRoundsReuseTheWarmConnections() throws Exception {
    TestServer s = server(50);
    HotConnectionPool pool = pool(s, PoolConfig.builder());
    AtomicInteger progress = new AtomicInteger();
    WarmUpSummary w =
        pool.warmUp(
            HOST, s.port(), s.addresses(), (ip, f, done, total) -> progress.incrementAndGet());
    assertEquals(50, w.ready(), "" + w);
    assertEquals(0, w.failed());
    assertEquals(50, progress.get());
    GuiseClient client = client(pool);
    Set<InetAddress> answeredFrom = ConcurrentHashMap.newKeySet();
    for (int round = 0; round < 4; round++) {
      for (InetAddress ip : s.addresses()) {
        HttpResponse r = client.send(HttpRequest.get(url(s, "/hello").toString()), ip);
        assertEquals(200, r.status());
        assertEquals(ip, r.endpoint().ip());
        assertTrue(r.reusedConnection(), "served over the warm connection");
        answeredFrom.add(r.endpoint().ip());
      }
    }
    assertEquals(50, answeredFrom.size());
    PoolStats stats = pool.stats();
    assertEquals(1.0, stats.reuseRate(), 1e-9);
    assertEquals(50, stats.handshakes(), "no connection opened after the warm-up");
    assertEquals(50, s.connectionsAccepted());
  }

  @Test
  void unpinnedRequestsSpreadOverTheHostsIps() throws Exception {
    TestServer s = server(5);
    HotConnectionPool pool = pool(s, PoolConfig.builder());
    pool.addIps(HOST, s.port(), s.addresses());
    GuiseClient client = client(pool);
    for (int i = 0; i < 10; i++) {
      assertEquals(200, client.send(HttpRequest.get(url(s, "/").toString())).status());
    }
    for (InetAddress ip : s.addresses()) {
      assertEquals(2, s.requestsReceived(ip), "round robin gives each IP its share: " + ip);
    }
  }

  @Test
  void hundredsOfVirtualThreadsThroughASmallHttp1Pool() throws Exception {
    TestServer s = server(4, "http/1.1");
    HotConnectionPool pool =
        pool(s, PoolConfig.builder().limits(l -> l.withMaxConnectionsPerIp(3)));
    pool.addIps(HOST, s.port(), s.addresses());
    GuiseClient client = client(pool);
    AtomicInteger ok = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 300; t++) {
        futures.add(
            exec.submit(
                () -> {
                  for (int i = 0; i < 5; i++) {
                    HttpResponse r =
                        client.send(
                            HttpRequest.newBuilder(url(s, "/bytes/2000"))
                                .timeout(Duration.ofSeconds(30))
                                .build());
                    assertEquals(HttpProtocol.HTTP_1_1, r.protocol());
                    assertEquals(2000, r.body().length);
                    ok.incrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    }
    assertEquals(1500, ok.get());
    assertTrue(s.connectionsAccepted() <= 12, "limits hold: " + s.connectionsAccepted());
    for (var ipStats : pool.stats().ips()) {
      assertEquals(
          ipStats.opened(), ipStats.closed() + ipStats.open(), "books balance for " + ipStats.ip());
    }
  }

  @Test
  void http2ConnectionsAreSharedByConcurrentCallers() throws Exception {
    TestServer s = server(1);
    HotConnectionPool pool = pool(s, PoolConfig.builder());
    InetAddress ip = s.addresses().get(0);
    GuiseClient client = client(pool);
    client.send(HttpRequest.get(url(s, "/").toString()), ip); // the first connection, learnt as h2
    try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HttpResponse>> fs = new ArrayList<>();
      for (int t = 0; t < 64; t++) {
        fs.add(exec.submit(() -> client.send(HttpRequest.get(url(s, "/slow/50").toString()), ip)));
      }
      for (var f : fs) {
        assertEquals(HttpProtocol.HTTP_2, f.get(30, TimeUnit.SECONDS).protocol());
      }
    }
    assertEquals(1, s.connectionsAccepted(), "one HTTP/2 connection carried all 65 requests");
  }

  @Test
  void aBlockedIpIsBannedAndTheRequestRetriedOnAnother() throws Exception {
    TestServer s = server(3);
    InetAddress blocked = s.addresses().get(0);
    s.faults().add(FaultScope.address(blocked), Fault.status(403));
    HotConnectionPool pool = pool(s, PoolConfig.builder());
    pool.addIps(HOST, s.port(), s.addresses());
    GuiseClient client = client(pool);
    for (int i = 0; i < 6; i++) {
      HttpResponse r = client.send(HttpRequest.get(url(s, "/").toString()));
      assertEquals(200, r.status());
      assertNotEquals(blocked, r.endpoint().ip());
    }
    PoolStats stats = pool.stats();
    assertEquals(1, stats.bansStarted());
    assertEquals(blocked, stats.activeBans().get(0).ip());
    assertEquals(1, s.requestsReceived(blocked), "a banned IP gets no more traffic");
    var pinned =
        assertThrows(
            RequestFailedException.class,
            () -> client.send(HttpRequest.get(url(s, "/").toString()), blocked));
    assertEquals(FailureKind.IP_BLOCKED, pinned.kind());
  }

  @Test
  void rateLimitsHonourRetryAfter() throws Exception {
    TestServer s = server(1);
    s.faults().add(FaultScope.everywhere(), Fault.tooManyRequests(1).times(1));
    HotConnectionPool pool = pool(s, PoolConfig.builder().healthChecks(h -> h.withStrikesToBan(5)));
    GuiseClient client = client(pool);
    long start = System.nanoTime();
    HttpResponse r = client.send(HttpRequest.get(url(s, "/").toString()), s.addresses().get(0));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(200, r.status());
    assertTrue(tookMs >= 1000, "waited the server's Retry-After of 1 s, took " + tookMs + " ms");
    assertEquals(1L, pool.stats().failuresByKind().get(FailureKind.RATE_LIMITED));
    assertEquals(1, pool.stats().retries());
  }

  @Test
  void serverErrorsAreRetriedThenReported() throws Exception {
    TestServer s = server(1);
    s.faults().add(FaultScope.path("/flaky"), Fault.status(503).times(2));
    s.faults().add(FaultScope.path("/broken"), Fault.status(502));
    HotConnectionPool pool = pool(s, PoolConfig.builder());
    GuiseClient client = client(pool);
    InetAddress ip = s.addresses().get(0);
    assertEquals(200, client.send(HttpRequest.get(url(s, "/flaky").toString()), ip).status());
    var e =
        assertThrows(
            RequestFailedException.class,
            () -> client.send(HttpRequest.get(url(s, "/broken").toString()), ip));
    assertEquals(FailureKind.SERVER_ERROR, e.kind());
    assertEquals(4, e.attempts(), "the first attempt and 3 retries");
  }

  @Test
  void aResetMidResponseIsRetriedForAGet() throws Exception {
    TestServer s = server(1, "http/1.1");
    s.faults().add(FaultScope.path("/bytes"), Fault.reset(100).times(1));
    HotConnectionPool pool = pool(s, PoolConfig.builder());
    GuiseClient client = client(pool);
    HttpResponse r =
        client.send(HttpRequest.get(url(s, "/bytes/5000").toString()), s.addresses().get(0));
    assertEquals(200, r.status());
    assertEquals(1, pool.stats().retries());
    assertTrue(
        pool.stats().failuresByKind().keySet().stream()
            .anyMatch(k -> k == FailureKind.CONNECTION_RESET || k == FailureKind.CONNECTION_CLOSED),
        "" + pool.stats().failuresByKind());
  }

  @Test
  void aResetPostIsNotRetried() throws Exception {
    TestServer s = server(1, "http/1.1");
    s.faults().add(FaultScope.path("/bytes"), Fault.reset(10));
    HotConnectionPool pool = pool(s, PoolConfig.builder());
    GuiseClient client = client(pool);
    var e =
        assertThrows(
            RequestFailedException.class,
            () ->
                client.send(
                    HttpRequest.newBuilder(url(s, "/bytes/5000"))
                        .POST("x".getBytes(StandardCharsets.UTF_8))
                        .build(),
                    s.addresses().get(0)));
    assertEquals(1, e.attempts());
    assertTrue(e.reason().contains("not idempotent"), e.reason());
  }

  @Test
  void aGoAwayedPostIsRetriedBecauseItWasNotProcessed() throws Exception {
    TestServer s = server(1);
    s.faults().add(FaultScope.path("/order"), Fault.goAway().times(1));
    HotConnectionPool pool = pool(s, PoolConfig.builder());
    GuiseClient client = client(pool);
    HttpResponse r =
        client.send(
            HttpRequest.newBuilder(url(s, "/order"))
                .POST("x".getBytes(StandardCharsets.UTF_8))
                .build(),
            s.addresses().get(0));
    assertEquals(200, r.status());
    assertEquals(1L, pool.stats().failuresByKind().get(FailureKind.NOT_PROCESSED));
  }

  @Test
  void aStallEndsAtTheDeadlineWithAReadTimeout() throws Exception {
    TestServer s = server(1);
    s.faults().add(FaultScope.path("/stuck"), Fault.stall());
    HotConnectionPool pool = pool(s, PoolConfig.builder());
    GuiseClient client = client(pool);
    long start = System.nanoTime();
    var e =
        assertThrows(
            RequestFailedException.class,
            () ->
                client.send(
                    HttpRequest.newBuilder(url(s, "/stuck"))
                        .timeout(Duration.ofMillis(800))
                        .build(),
                    s.addresses().get(0)));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(
        Set.of(FailureKind.READ_TIMEOUT, FailureKind.DEADLINE_EXCEEDED).contains(e.kind()),
        e.getMessage());
    assertTrue(tookMs < 5000, "ended near its deadline: " + tookMs + " ms");
  }

  @Test
  void requestsSurviveAServerRestart() throws Exception {
    TestServer s = server(2);
    HotConnectionPool pool = pool(s, PoolConfig.builder());
    pool.warmUp(HOST, s.port(), s.addresses(), WarmUpProgress.NONE);
    GuiseClient client = client(pool);
    s.restart();
    for (InetAddress ip : s.addresses()) {
      assertEquals(200, client.send(HttpRequest.get(url(s, "/").toString()), ip).status());
    }
  }

  @Test
  void aRefusingIpIsPenalisedAndWarmUpReportsIt() throws Exception {
    TestServer s = server(4);
    InetAddress down = s.addresses().get(3);
    s.faults().add(FaultScope.address(down), Fault.refuse());
    HotConnectionPool pool = pool(s, PoolConfig.builder());
    WarmUpSummary w = pool.warmUp(HOST, s.port(), s.addresses(), WarmUpProgress.NONE);
    assertEquals(3, w.ready());
    assertEquals(Integer.valueOf(1), w.failuresByKind().get(FailureKind.CONNECTION_REFUSED));
  }

  @Test
  void wrongCertificatesAreRejectedAndNotRetried() throws Exception {
    TestServer s = server(1);
    HotConnectionPool pool =
        HotConnectionPool.create(
            PoolConfig.builder()
                .engine("jdk")
                .trust(TestCertificateAuthority.create("someone else").trustPolicy())
                .retryPolicy(new LinearRetryPolicy(Duration.ZERO, 3))
                .build());
    toClose.add(pool);
    var e =
        assertThrows(
            RequestFailedException.class,
            () -> client(pool).send(HttpRequest.get(url(s, "/").toString()), s.addresses().get(0)));
    assertEquals(FailureKind.CERTIFICATE, e.kind());
    assertEquals(1, e.attempts());
  }

  @Test
  void closeLeavesNoThreadOrConnectionBehind() throws Exception {
    TestServer s = server(8);
    HotConnectionPool pool =
        HotConnectionPool.create(
            PoolConfig.builder()
                .engine("jdk")
                .trust(s.certificateAuthority().trustPolicy())
                .build());
    pool.warmUp(HOST, s.port(), s.addresses(), WarmUpProgress.NONE);
    GuiseClient client = new GuiseClient(pool);
    client.sendAsync(HttpRequest.get(url(s, "/").toString())).get(10, TimeUnit.SECONDS);
    client.close();
    pool.close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline && (guiseThreads() > 0 || s.openConnections() > 0)) {
      Thread.sleep(20);
    }
    assertEquals(0, guiseThreads(), "threads left: " + Thread.getAllStackTraces().keySet());
    // Thread listings omit virtual threads: the pool's workers and the client's async threads are
    // checked through their executors.
    assertTrue(pool.isTerminated(), "the pool's worker or health-check threads are still running");
    assertTrue(client.isTerminated(), "the client's async threads are still running");
    assertEquals(0, s.openConnections(), "the server still sees open connections");
    assertEquals(0, pool.stats().ips().stream().mapToInt(PoolStats.IpStats::open).sum());
    assertFalse(pool.stats().ips().isEmpty());
  }

  private static long guiseThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("guise-") && t.isAlive())
        .count();
  }
}
