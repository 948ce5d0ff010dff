package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.TlsEndpoint;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyRouting;
import dev.guise.pool.stats.PoolEventListener;
import dev.guise.testing.ScriptedProxy;
import dev.guise.testing.SquidProxy;
import dev.guise.testkit.TestServer;
import dev.guise.testkit.tls.IssuedCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Round two of the hostile proxies (docs/reliability.md): a proxy that closes mid-CONNECT, answers
 * 407 forever, answers 200 and then speaks garbage, stalls in the SOCKS greeting, sends a SOCKS
 * reply with a bogus address type, or serves TLS with a certificate for another name. Each ends
 * within the connect timeout in its documented kind, the request then goes through the next proxy
 * where that is allowed, and the proxy's password (every proxy here has one) shows in no exception,
 * event, stat or toString of anything the test could see.
 */
class ProxyHostilePeersTest {
  private static final String HOST = "www.proxy.test";
  private static final String USER = "ann";
  private static final String SECRET = "Hostile-Pa55word-3c9a";
  private static final Duration CONNECT = Duration.ofSeconds(2);
  private static TestServer server;
  private static ScriptedProxy good;

  /** Everything a leak could show in, appended by each case and scanned after it. */
  private final StringBuilder seen = new StringBuilder();

  private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.builder().loopbackAddresses(1).hostNames(HOST).build().start();
    good = new ScriptedProxy(new ScriptedProxy.Tunnel());
    // Class loading and the engine's first handshake take a second on a loaded machine: done here,
    // so that the cases' bounds measure the timeouts, not the JVM warming up.
    try (HotConnectionPool pool =
            HotConnectionPool.create(
                PoolConfig.builder()
                    .engine("jdk")
                    .trust(server.certificateAuthority().trustPolicy())
                    .proxies(List.of(Proxy.parse("http://127.0.0.1:" + good.port())))
                    .build());
        GuiseClient client = new GuiseClient(pool)) {
      assertEquals(200, client.send(HttpRequest.get(url().toString()), ip()).status());
    }
  }

  @AfterAll
  static void stop() throws IOException {
    good.close();
    server.close();
  }

  @AfterEach
  void noSecretShowed() {
    events.forEach(e -> seen.append(e).append('\n'));
    String all = seen.toString();
    assertTrue(all.contains(USER + ":***@"), "proxies are named, redacted: " + all);
    String basic =
        Base64.getEncoder().encodeToString((USER + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
    for (String form : List.of(SECRET, basic)) {
      assertFalse(all.contains(form), "the password showed: " + form + " in\n" + all);
    }
  }

  private static Proxy proxy(String scheme, String host, int port) {
    return Proxy.parse(scheme + "://" + USER + ":" + SECRET + "@" + host + ":" + port);
  }

  private PoolConfig config(Proxy first) {
    return PoolConfig.builder()
        .engine("jdk")
        .trust(server.certificateAuthority().trustPolicy())
        .timeouts(t -> t.withConnect(CONNECT))
        .eventListener(new Recorder(events))
        .proxies(
            ProxyRouting.of(List.of(first, proxy("http", "127.0.0.1", good.port())))
                .withChoice((target, usable) -> usable.get(0)))
        .build();
  }

  private static URI url() {
    return URI.create("https://" + HOST + ":" + server.port() + "/");
  }

  private static InetAddress ip() {
    return server.addresses().get(0);
  }

  /** The failure of leasing through {@code bad}, checked to come within the connect timeout. */
  private ClassifiedFailure failureThrough(HotConnectionPool pool, Proxy bad) {
    long started = System.nanoTime();
    ClassifiedIOException e =
        assertThrows(ClassifiedIOException.class, () -> pool.connectionVia(url(), ip(), bad));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    seen.append(stackTrace(e)).append(e.failure()).append('\n');
    assertTrue(took.compareTo(CONNECT.plusMillis(500)) < 0, "took " + took + ": " + e);
    return e.failure();
  }

  /** A request through the routing: through the good proxy after the bad one, or not at all. */
  private void thenThroughTheRouting(HotConnectionPool pool, boolean nextServes, FailureKind kind)
      throws IOException {
    try (GuiseClient client = new GuiseClient(pool)) {
      int before = good.heads().size();
      if (nextServes) {
        HttpResponse r = client.send(HttpRequest.get(url().toString()), ip());
        assertEquals(200, r.status());
        assertEquals(before + 1, good.heads().size(), "the retry went through the good proxy");
      } else {
        RequestFailedException e =
            assertThrows(
                RequestFailedException.class,
                () -> client.send(HttpRequest.get(url().toString()), ip()));
        seen.append(stackTrace(e));
        assertEquals(1, e.attemptFailures().size(), "not retried: " + e.attemptFailures());
        assertEquals(kind, e.attemptFailures().get(0).kind());
        assertEquals(before, good.heads().size(), "nothing went on through another proxy");
      }
    }
    assertTrue(pool.proxyStats().get(0).failures() >= 1, pool.proxyStats().toString());
    seen.append(pool.stats()).append('\n').append(pool.proxyStats()).append('\n');
    seen.append(pool.config()).append('\n').append(pool.config().proxies().orElseThrow());
  }

  private void expect(
      ScriptedProxy.Behaviour behaviour, String scheme, FailureKind kind, boolean nextServes)
      throws IOException {
    try (ScriptedProxy hostile = new ScriptedProxy(behaviour)) {
      Proxy bad = proxy(scheme, "127.0.0.1", hostile.port());
      try (HotConnectionPool pool = HotConnectionPool.create(config(bad))) {
        ClassifiedFailure f = failureThrough(pool, bad);
        assertEquals(kind, f.kind(), f.toString());
        assertEquals(nextServes, f.retryable(), f.toString());
        thenThroughTheRouting(pool, nextServes, kind);
      }
    }
  }

  @Test
  void aProxyClosingMidConnectIsAProtocolErrorAndTheNextServes() throws IOException {
    expect(
        new ScriptedProxy.CloseMidConnect(12, false),
        "http",
        FailureKind.PROXY_PROTOCOL_ERROR,
        true);
  }

  @Test
  void aProxyResettingMidConnectIsAProtocolErrorAndTheNextServes() throws IOException {
    expect(
        new ScriptedProxy.CloseMidConnect(12, true),
        "http",
        FailureKind.PROXY_PROTOCOL_ERROR,
        true);
  }

  @Test
  void aProxyAnswering407ForeverFailsAuthenticationAfterOneTryWithCredentials() throws IOException {
    try (ScriptedProxy never =
        new ScriptedProxy(new ScriptedProxy.RequireBasic("somebody-else", "never-sent"))) {
      Proxy bad = proxy("http", "127.0.0.1", never.port());
      try (HotConnectionPool pool = HotConnectionPool.create(config(bad))) {
        ClassifiedFailure f = failureThrough(pool, bad);
        assertEquals(FailureKind.PROXY_AUTH_FAILED, f.kind(), f.toString());
        assertFalse(f.retryable());
        // The browser's try without credentials, then one with them: never a loop.
        List<String> heads = never.headTexts();
        assertEquals(2, heads.size(), heads.toString());
        assertFalse(heads.get(0).contains("Proxy-Authorization"));
        assertTrue(heads.get(1).contains("Proxy-Authorization: Basic "));
        thenThroughTheRouting(pool, false, FailureKind.PROXY_AUTH_FAILED);
        assertEquals(4, never.heads().size(), "the request, too, tried twice and stopped");
      }
    }
  }

  @Test
  void aProxyAnswering200ThenGarbageFailsTheHandshakeAndTheNextServes() throws IOException {
    byte[] garbage =
        "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.UTF_8);
    expect(new ScriptedProxy.TunnelThenGarbage(garbage), "http", FailureKind.TLS_HANDSHAKE, true);
  }

  @Test
  void aProxyStallingInTheSocksGreetingTimesOutAndTheNextServes() throws IOException {
    expect(new ScriptedProxy.Silent(), "socks5", FailureKind.PROXY_TIMEOUT, true);
  }

  @Test
  void aSocksReplyWithABogusAddressTypeIsAProtocolErrorAndTheNextServes() throws IOException {
    byte[] reply = {5, 0, 0, 9, 127, 0, 0, 1, 0, 80};
    expect(
        new ScriptedProxy.SocksRawReply(reply), "socks5", FailureKind.PROXY_PROTOCOL_ERROR, true);
  }

  @Test
  void aSocksReplyCutShortTimesOutAndTheNextServes() throws IOException {
    byte[] reply = {5, 0, 0, 4, 0, 0, 0, 0};
    expect(new ScriptedProxy.SocksRawReply(reply), "socks5h", FailureKind.PROXY_TIMEOUT, true);
  }

  @Test
  void aTlsProxyWithACertificateForAnotherNameIsRefused() throws Exception {
    IssuedCertificate wrong = server.certificateAuthority().issue("not-the-proxy.test");
    Path dir = Files.createTempDirectory("guise-wrong-proxy-cert");
    IssuedCertificate.PemFiles pem = wrong.writePem(dir);
    try (SquidProxy squid =
        SquidProxy.start(USER, SECRET, pem.certificateChain(), pem.privateKey())) {
      Proxy bad = proxy("https", "localhost", squid.port());
      try (HotConnectionPool pool = HotConnectionPool.create(config(bad))) {
        ClassifiedFailure f = failureThrough(pool, bad);
        assertEquals(FailureKind.CERTIFICATE, f.kind(), f.toString());
        assertTrue(
            f.message().startsWith("proxy https://" + USER + ":***@localhost:"),
            "the proxy is named: " + f.message());
        assertFalse(f.retryable(), "a proxy with a wrong certificate may be intercepting");
        thenThroughTheRouting(pool, f.retryable(), FailureKind.CERTIFICATE);
      }
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  /** Every event the listener interface has, each argument as the event gives it. */
  private record Recorder(ConcurrentLinkedQueue<String> events) implements PoolEventListener {
    @Override
    public void connectionOpened(TlsEndpoint endpoint, String profile, Duration handshake) {
      events.add("opened " + endpoint + " " + profile);
    }

    @Override
    public void connectionFailed(TlsEndpoint endpoint, ClassifiedFailure failure, Duration took) {
      events.add("failed " + endpoint + " " + failure + " " + failure.cause());
    }

    @Override
    public void connectionClosed(TlsEndpoint endpoint, String reason) {
      events.add("closed " + endpoint + " " + reason);
    }

    @Override
    public void requestFailed(String host, ClassifiedFailure failure, int attempts, Duration took) {
      events.add("request failed " + host + " " + failure + " " + failure.cause());
    }

    @Override
    public void retrying(String host, int attempt, ClassifiedFailure failure, Duration delay) {
      events.add("retrying " + host + " " + failure + " " + failure.cause());
    }

    @Override
    public void ipBanned(String host, InetAddress ip, Instant until, String reason) {
      events.add("banned " + host + " " + ip + " " + reason);
    }
  }
}
