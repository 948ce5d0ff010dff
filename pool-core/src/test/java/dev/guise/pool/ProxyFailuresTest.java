package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyKind;
import dev.guise.pool.proxy.ProxyRouting;
import dev.guise.pool.proxy.ProxyStats;
import dev.guise.testing.ScriptedProxy;
import dev.guise.testing.SquidProxy;
import dev.guise.testkit.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each way a proxy fails ends in its documented kind within a bound, and a request through the
 * routing then goes through the next proxy where that is allowed (not after an authentication
 * failure). The first usable proxy is always chosen first here, so the failing one is tried first.
 */
class ProxyFailuresTest {
  private static final String HOST = "www.proxy.test";
  private static final Duration CONNECT = Duration.ofSeconds(2);
  private static TestServer server;
  private static ScriptedProxy good;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.builder().loopbackAddresses(1).hostNames(HOST).build().start();
    good = new ScriptedProxy(new ScriptedProxy.Tunnel());
  }

  @AfterAll
  static void stop() throws IOException {
    good.close();
    server.close();
  }

  private static Proxy http(int port) {
    return Proxy.of(ProxyKind.HTTP, "127.0.0.1", port);
  }

  private static HotConnectionPool pool(Proxy first) {
    return HotConnectionPool.create(
        PoolConfig.builder()
            .engine("jdk")
            .trust(server.certificateAuthority().trustPolicy())
            .timeouts(t -> t.withConnect(CONNECT))
            .proxies(
                ProxyRouting.of(List.of(first, http(good.port())))
                    .withChoice((target, usable) -> usable.get(0)))
            .build());
  }

  private URI url() {
    return URI.create("https://" + HOST + ":" + server.port() + "/");
  }

  private InetAddress ip() {
    return server.addresses().get(0);
  }

  /** The kind of leasing through {@code bad}, checked to come within the connect timeout. */
  private ClassifiedFailure failureThrough(HotConnectionPool pool, Proxy bad) {
    long started = System.nanoTime();
    ClassifiedIOException e =
        assertThrows(ClassifiedIOException.class, () -> pool.connectionVia(url(), ip(), bad));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertTrue(took.compareTo(CONNECT.plusMillis(500)) < 0, "took " + took);
    return e.failure();
  }

  /** A request through the routing succeeds, through the good proxy after the bad one. */
  private void nextProxyServes(HotConnectionPool pool) throws IOException {
    try (GuiseClient client = new GuiseClient(pool)) {
      int before = good.heads().size();
      HttpResponse r = client.send(HttpRequest.get(url().toString()), ip());
      assertEquals(200, r.status());
      assertEquals(before + 1, good.heads().size(), "the retry went through the good proxy");
    }
    ProxyStats bad = pool.proxyStats().get(0);
    assertTrue(bad.failures() >= 1, bad.toString());
  }

  @Test
  void aDeadProxyIsUnreachableAndTheNextServes() throws IOException {
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      dead = s.getLocalPort();
    }
    try (HotConnectionPool pool = pool(http(dead))) {
      ClassifiedFailure f = failureThrough(pool, http(dead));
      assertEquals(FailureKind.PROXY_UNREACHABLE, f.kind());
      assertTrue(f.retryable());
      nextProxyServes(pool);
    }
  }

  @Test
  void aStallingProxyTimesOutAndTheNextServes() throws IOException {
    try (ScriptedProxy stall = new ScriptedProxy(new ScriptedProxy.Silent());
        HotConnectionPool pool = pool(http(stall.port()))) {
      ClassifiedFailure f = failureThrough(pool, http(stall.port()));
      assertEquals(FailureKind.PROXY_TIMEOUT, f.kind());
      nextProxyServes(pool);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "socks5"})
  void aProxyAnsweringGarbageIsAProtocolErrorAndTheNextServes(String kind) throws IOException {
    byte[] garbage = "SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII);
    try (ScriptedProxy liar = new ScriptedProxy(new ScriptedProxy.Garbage(garbage))) {
      Proxy bad =
          Proxy.of(ProxyKind.valueOf(kind.toUpperCase(Locale.ROOT)), "127.0.0.1", liar.port());
      try (HotConnectionPool pool = pool(bad)) {
        ClassifiedFailure f = failureThrough(pool, bad);
        assertEquals(FailureKind.PROXY_PROTOCOL_ERROR, f.kind(), f.toString());
        nextProxyServes(pool);
      }
    }
  }

  @Test
  void aRejectedConnectCarriesItsStatusAndTheNextServes() throws IOException {
    try (ScriptedProxy refuser = new ScriptedProxy(new ScriptedProxy.Status(403));
        HotConnectionPool pool = pool(http(refuser.port()))) {
      ClassifiedFailure f = failureThrough(pool, http(refuser.port()));
      assertEquals(FailureKind.PROXY_REJECTED, f.kind());
      assertEquals(403, f.status().orElseThrow());
      nextProxyServes(pool);
    }
  }

  /** 502, 503 and 504 to CONNECT: the proxy could not reach the target, the site's failure. */
  @ParameterizedTest
  @ValueSource(ints = {502, 503, 504})
  void aGatewayAnswerToConnectIsTheTargetsFailureAndTheNextServes(int status) throws IOException {
    try (ScriptedProxy gateway = new ScriptedProxy(new ScriptedProxy.Status(status));
        HotConnectionPool pool = pool(http(gateway.port()))) {
      ClassifiedFailure f = failureThrough(pool, http(gateway.port()));
      assertEquals(
          status == 504 ? FailureKind.CONNECT_TIMEOUT : FailureKind.CONNECTION_REFUSED, f.kind());
      assertEquals(status, f.status().orElseThrow());
      assertTrue(f.retryable());
      assertTrue(f.message().contains("could not reach the target"), f.message());
      nextProxyServes(pool);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9})
  void eachSocksReplyCodeHasItsKindAndTheNextServes(int code) throws IOException {
    FailureKind expected =
        switch (code) {
          case 3, 4, 5 -> FailureKind.CONNECTION_REFUSED; // the target's: as a direct connect's
          case 6 -> FailureKind.CONNECT_TIMEOUT;
          default -> FailureKind.PROXY_REJECTED;
        };
    try (ScriptedProxy socks = new ScriptedProxy(new ScriptedProxy.SocksReply(code))) {
      Proxy bad = Proxy.of(ProxyKind.SOCKS5, "127.0.0.1", socks.port());
      try (HotConnectionPool pool = pool(bad)) {
        ClassifiedFailure f = failureThrough(pool, bad);
        assertEquals(expected, f.kind(), f.toString());
        assertEquals(code, f.status().orElseThrow());
        assertTrue(f.retryable());
        nextProxyServes(pool);
      }
    }
  }

  @Test
  void wrongCredentialsFailAuthenticationOnceAndAreNotRetried() throws Exception {
    try (SquidProxy squid = SquidProxy.start("guise-user", "right-password", null, null)) {
      Proxy bad = Proxy.parse("http://guise-user:wrong-password@127.0.0.1:" + squid.port());
      try (HotConnectionPool pool = pool(bad);
          GuiseClient client = new GuiseClient(pool)) {
        ClassifiedFailure f = failureThrough(pool, bad);
        assertEquals(FailureKind.PROXY_AUTH_FAILED, f.kind());
        assertTrue(!f.retryable());
        int before = good.heads().size();
        RequestFailedException e =
            assertThrows(
                RequestFailedException.class,
                () -> client.send(HttpRequest.get(url().toString()), ip()));
        assertEquals(1, e.attemptFailures().size(), "not retried: " + e.attemptFailures());
        assertEquals(FailureKind.PROXY_AUTH_FAILED, e.attemptFailures().get(0).kind());
        assertEquals(before, good.heads().size());
        // squid saw two CONNECTs per tunnel at most: the browser's try, and one with credentials.
        String log = squid.awaitAccessLog(l -> connects(l) >= 4, Duration.ofSeconds(10));
        assertEquals(4, connects(log), log);
      }
    }
  }

  private static long connects(String accessLog) {
    return accessLog.lines().filter(l -> l.contains("CONNECT")).count();
  }

  @Test
  void aRestingProxyIsPassedOverUntilItsRestEnds() throws IOException {
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      dead = s.getLocalPort();
    }
    try (HotConnectionPool pool =
        HotConnectionPool.create(
            PoolConfig.builder()
                .engine("jdk")
                .trust(server.certificateAuthority().trustPolicy())
                .proxies(
                    ProxyRouting.of(List.of(http(dead), http(good.port())))
                        .withChoice((target, usable) -> usable.get(0))
                        .withRest(1, Duration.ofMinutes(5)))
                .build())) {
      assertThrows(ClassifiedIOException.class, () -> pool.connectionVia(url(), ip(), http(dead)));
      assertTrue(pool.proxyStats().get(0).restingUntil().isPresent());
      try (ConnectionLease lease = pool.connectionToIp(url(), ip())) {
        assertEquals(http(good.port()), lease.proxy().orElseThrow(), "the rested one is skipped");
      }
    }
  }
}
