package dev.guise.pool.internal.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.TlsConnection;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.internal.HttpConnections;
import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import dev.guise.pool.internal.http2.Http2Connection;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Interop with Jetty 12 over the JDK TLS engine, certificate and host name verification on. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JettyInteropTest {
  private static final List<String> H2 = List.of("h2");
  private static final List<String> H1 = List.of("http/1.1");
  private static final RequestTemplate CHROME =
      RequestTemplate.of(BrowserProfiles.get("chrome-156"));
  private static final RequestTemplate FIREFOX =
      RequestTemplate.of(BrowserProfiles.get("firefox-153"));

  private Server server;
  private int port;
  private final CountDownLatch slowEntered = new CountDownLatch(20);

  @BeforeEach
  void start() throws Exception {
    server = new Server();
    HttpConfiguration config = new HttpConfiguration();
    config.addCustomizer(new SecureRequestCustomizer());
    HttpConnectionFactory h1 = new HttpConnectionFactory(config);
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
    h2.setMaxConcurrentStreams(32);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
    alpn.setDefaultProtocol(h1.getProtocol());
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(TlsPeers.SERVER.serverSslContext());
    ServerConnector connector =
        new ServerConnector(
            server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, h1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setStopTimeout(5000);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            return JettyInteropTest.this.handle(request, response, callback);
          }
        });
    server.start();
    port = connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  private boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    String query = request.getHttpURI().getQuery();
    switch (path) {
      case "/echo" -> {
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
          body = in.readAllBytes();
        }
        response.getHeaders().put("x-method", request.getMethod());
        response.getHeaders().put("content-length", body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
      }
      case "/slow-upload" -> {
        // Reads slowly, so the client's sends stall on the flow-control window.
        long total = 0;
        try (InputStream in = Content.Source.asInputStream(request)) {
          byte[] buf = new byte[8192];
          int n;
          while ((n = in.read(buf)) > 0) {
            total += n;
            if (total % (256 * 1024) < 8192) {
              Thread.sleep(20);
            }
          }
        }
        response.write(
            true,
            ByteBuffer.wrap(Long.toString(total).getBytes(StandardCharsets.US_ASCII)),
            callback);
      }
      case "/push" -> {
        // Jetty 12 core still pushes (Request.push), but only to a client whose SETTINGS allow it.
        request.push(
            new MetaData.Request(
                "GET",
                HttpURI.build(request.getHttpURI()).path("/big").query("10"),
                HttpVersion.HTTP_2,
                HttpFields.EMPTY));
        response.write(
            true, ByteBuffer.wrap("after push".getBytes(StandardCharsets.US_ASCII)), callback);
      }
      case "/big" -> {
        int n = Integer.parseInt(query);
        response.getHeaders().put("content-length", n);
        response.write(true, ByteBuffer.wrap(pattern(n)), callback);
      }
      case "/headers" -> {
        StringBuilder sb = new StringBuilder();
        for (HttpField f : request.getHeaders()) {
          sb.append(f.getName()).append(": ").append(f.getValue()).append('\n');
        }
        response.write(
            true, ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)), callback);
      }
      case "/gzip" -> {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
          gz.write(pattern(300_000));
        }
        response.getHeaders().put("content-encoding", "gzip");
        response.write(true, ByteBuffer.wrap(bytes.toByteArray()), callback);
      }
      case "/trailers" -> {
        response.setTrailersSupplier(() -> HttpFields.build().add("x-checksum", "c0ffee"));
        response.write(
            true, ByteBuffer.wrap("with trailers".getBytes(StandardCharsets.US_ASCII)), callback);
      }
      case "/slow" -> {
        slowEntered.countDown();
        Thread.sleep(Long.parseLong(query));
        response.write(true, ByteBuffer.wrap("slow".getBytes(StandardCharsets.US_ASCII)), callback);
      }
      case "/reset" -> {
        // Commit the response and some body, then fail: Jetty resets the stream.
        response.write(
            false,
            ByteBuffer.wrap(new byte[100]),
            Callback.from(
                () -> callback.failed(new IOException("handler failed on purpose")),
                callback::failed));
      }
      default -> {
        response.setStatus(404);
        callback.succeeded();
      }
    }
    return true;
  }

  static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + (i >> 8));
    }
    return b;
  }

  private HttpRequest get(String pathAndQuery) {
    return HttpRequest.get("https://localhost:" + port + pathAndQuery);
  }

  private HttpRequest post(String path, byte[] body) {
    return HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
        .POST(body)
        .build();
  }

  private static long in(Duration d) {
    return TlsPeers.deadline(d);
  }

  @Test
  void h2ConcurrentMultiplexedRequestsFromManyVirtualThreads() throws Exception {
    try (HttpConnection c = TlsPeers.connect(port, H2, CHROME);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      assertEquals(HttpProtocol.HTTP_2, c.protocol());
      List<Future<?>> results = new ArrayList<>();
      for (int t = 0; t < 64; t++) {
        int seed = t;
        results.add(
            threads.submit(
                () -> {
                  Random random = new Random(seed);
                  for (int i = 0; i < 8; i++) {
                    byte[] body = new byte[random.nextInt(40_000)];
                    random.nextBytes(body);
                    HttpResponse r =
                        c.exchange(
                            post("/echo", body),
                            ExchangeLimits.DEFAULT,
                            in(Duration.ofSeconds(20)));
                    assertEquals(200, r.status());
                    assertArrayEquals(body, r.body());
                  }
                  return null;
                }));
      }
      for (Future<?> f : results) {
        f.get(25, TimeUnit.SECONDS);
      }
      assertEquals(64 * 8, c.exchangeCount());
      assertEquals(0, c.activeStreams());
      assertTrue(c.isUsable());
      assertEquals(32, c.maxConcurrentStreams(), "Jetty's SETTINGS_MAX_CONCURRENT_STREAMS");
    }
  }

  /**
   * 64 callers sending GETs at once over one connection: the requests that find others in flight
   * leave their HEADERS for one write that carries many, and every answer still reaches its caller.
   */
  @Test
  void h2ConcurrentGetsShareTlsWritesAndEachGetsItsOwnAnswer() throws Exception {
    AtomicInteger writes = new AtomicInteger();
    TlsConnection tls = TlsPeers.tls(port, H2);
    TlsConnection counting =
        new TlsConnection() {
          private final OutputStream out =
              new FilterOutputStream(tls.output()) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                  writes.incrementAndGet();
                  out.write(b, off, len);
                }
              };

          @Override
          public InputStream input() throws IOException {
            return tls.input();
          }

          @Override
          public OutputStream output() {
            return out;
          }

          @Override
          public NegotiatedTls negotiated() {
            return tls.negotiated();
          }

          @Override
          public InetSocketAddress remoteAddress() {
            return tls.remoteAddress();
          }

          @Override
          public void setReadTimeout(Duration timeout) throws IOException {
            tls.setReadTimeout(timeout);
          }

          @Override
          public boolean isOpen() {
            return tls.isOpen();
          }

          @Override
          public void close() throws IOException {
            tls.close();
          }
        };
    int callers = 64;
    int each = 40;
    try (HttpConnection c = HttpConnections.open(counting, TlsPeers.endpoint(port), CHROME);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      int afterPreface = writes.get();
      List<Future<?>> results = new ArrayList<>();
      for (int t = 0; t < callers; t++) {
        int seed = t;
        results.add(
            threads.submit(
                () -> {
                  Random random = new Random(seed);
                  for (int i = 0; i < each; i++) {
                    int n = random.nextInt(3000);
                    HttpResponse r =
                        c.exchange(
                            get("/big?" + n), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(20)));
                    assertEquals(200, r.status());
                    assertArrayEquals(pattern(n), r.body());
                  }
                  return null;
                }));
      }
      for (Future<?> f : results) {
        f.get(30, TimeUnit.SECONDS);
      }
      assertEquals(callers * each, c.exchangeCount());
      assertEquals(0, c.activeStreams());
      assertTrue(c.isUsable());
      int requestWrites =
          writes.get() - afterPreface; // control frames (SETTINGS ACK, WINDOW_UPDATE) included
      assertTrue(
          requestWrites < callers * each,
          requestWrites + " writes for " + callers * each + " requests: no write carried two");
    }
  }

  @Test
  void h2LargeBodiesBothWaysThroughFlowControl() throws Exception {
    try (HttpConnection c = TlsPeers.connect(port, H2, FIREFOX)) {
      HttpResponse down =
          c.exchange(get("/big?" + 20_000_000), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(20)));
      assertArrayEquals(pattern(20_000_000), down.body());
      byte[] up = pattern(6_000_000);
      HttpResponse echoed =
          c.exchange(post("/echo", up), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(20)));
      assertArrayEquals(up, echoed.body());
      HttpResponse slow =
          c.exchange(
              post("/slow-upload", pattern(3_000_000)),
              ExchangeLimits.DEFAULT,
              in(Duration.ofSeconds(20)));
      assertEquals("3000000", slow.bodyText());
      assertTrue(echoed.reusedConnection());
    }
  }

  @Test
  void h2GzipBodyIsDecodedAndTrailersArrive() throws Exception {
    try (HttpConnection c = TlsPeers.connect(port, H2, CHROME)) {
      HttpResponse gz =
          c.exchange(get("/gzip"), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(10)));
      assertEquals("gzip", gz.header("content-encoding").orElseThrow());
      assertArrayEquals(pattern(300_000), gz.body());
      HttpResponse t =
          c.exchange(get("/trailers"), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(10)));
      assertEquals("with trailers", t.bodyText());
      assertEquals(List.of(new Header("x-checksum", "c0ffee")), t.trailers());
    }
  }

  @Test
  void h2BodyOverTheLimitFailsThatRequestOnlyAndTruncationKeepsThePrefix() throws Exception {
    try (HttpConnection c = TlsPeers.connect(port, H2, CHROME)) {
      ClassifiedIOException e =
          assertThrows(
              ClassifiedIOException.class,
              () ->
                  c.exchange(
                      get("/big?" + 2_000_000),
                      new ExchangeLimits(65_536, 100_000, false),
                      in(Duration.ofSeconds(10))));
      assertEquals(FailureKind.RESPONSE_TOO_LARGE, e.kind());
      HttpResponse cut =
          c.exchange(
              get("/big?" + 2_000_000),
              new ExchangeLimits(65_536, 1000, true),
              in(Duration.ofSeconds(10)));
      assertArrayEquals(pattern(1000), cut.body());
      assertEquals(
          200,
          c.exchange(get("/big?10"), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(10))).status());
    }
  }

  @Test
  void h2ServerResetEndsOnlyThatStream() throws Exception {
    try (HttpConnection c = TlsPeers.connect(port, H2, CHROME)) {
      ClassifiedIOException e =
          assertThrows(
              ClassifiedIOException.class,
              () -> c.exchange(get("/reset"), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(10))));
      assertTrue(
          e.kind() == FailureKind.CONNECTION_RESET || e.kind() == FailureKind.PROTOCOL_ERROR,
          e.toString());
      assertTrue(c.isUsable());
      assertEquals(
          "hi",
          new String(
              c.exchange(
                      post("/echo", "hi".getBytes(StandardCharsets.US_ASCII)),
                      ExchangeLimits.DEFAULT,
                      in(Duration.ofSeconds(10)))
                  .body(),
              StandardCharsets.US_ASCII));
    }
  }

  @Test
  void h2GoAwayDuringLoadLetsStartedStreamsFinishAndRefusesNewOnes() throws Exception {
    HttpConnection c = TlsPeers.connect(port, H2, CHROME);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HttpResponse>> inFlight = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        inFlight.add(
            threads.submit(
                () ->
                    c.exchange(
                        get("/slow?300"), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(10)))));
      }
      assertTrue(slowEntered.await(10, TimeUnit.SECONDS));
      var shutdown = Graceful.shutdown(server);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (c.isUsable() && System.nanoTime() < until) {
        Thread.sleep(5);
      }
      assertFalse(c.isUsable(), "GOAWAY makes the connection take no new streams");
      ClassifiedIOException refused =
          assertThrows(
              ClassifiedIOException.class,
              () -> c.exchange(get("/echo"), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(5))));
      assertEquals(FailureKind.NOT_PROCESSED, refused.kind());
      assertTrue(refused.failure().retryable());
      for (Future<HttpResponse> f : inFlight) {
        assertEquals("slow", f.get(10, TimeUnit.SECONDS).bodyText());
      }
      shutdown.get(10, TimeUnit.SECONDS);
    } finally {
      c.close();
    }
  }

  /**
   * The handler asks Jetty to push; both profiles send SETTINGS_ENABLE_PUSH=0, so Jetty must not
   * send PUSH_PROMISE (if it did, the client would fail the connection with PROTOCOL_ERROR, as
   * Http2HostileServerTest proves with a scripted PUSH_PROMISE): the response arrives and the
   * connection stays usable.
   */
  @Test
  void h2PushFromJettyIsNeverSentToOurProfiles() throws Exception {
    for (RequestTemplate profile : List.of(CHROME, FIREFOX)) {
      try (HttpConnection c = TlsPeers.connect(port, H2, profile)) {
        assertEquals(
            "after push",
            c.exchange(get("/push"), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(10)))
                .bodyText());
        assertEquals(
            200,
            c.exchange(get("/big?10"), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(10)))
                .status());
        assertTrue(c.isUsable(), profile.name());
      }
    }
  }

  @Test
  void h2PingIsAnswered() throws Exception {
    try (HttpConnection c = TlsPeers.connect(port, H2, FIREFOX)) {
      Duration rtt = c.ping(Duration.ofSeconds(5));
      assertFalse(rtt.isNegative());
    }
  }

  @Test
  void h2CloseFailsInFlightExchangesAndStopsTheReader() throws Exception {
    HttpConnection c = TlsPeers.connect(port, H2, CHROME);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<HttpResponse> slow =
          threads.submit(
              () ->
                  c.exchange(
                      get("/slow?3000"), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(10))));
      assertTrue(awaitOne());
      c.close();
      var e = assertThrows(ExecutionException.class, () -> slow.get(5, TimeUnit.SECONDS));
      assertEquals(FailureKind.CONNECTION_CLOSED, ((ClassifiedIOException) e.getCause()).kind());
      assertTrue(((Http2Connection) c).toString().startsWith("h2"));
      assertFalse(c.isUsable());
    }
  }

  private boolean awaitOne() throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (slowEntered.getCount() == 20 && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    return slowEntered.getCount() < 20;
  }

  @Test
  void h2ServerSeesTheProfilesHeaderOrderWithCallerHeadersMerged() throws Exception {
    try (HttpConnection c = TlsPeers.connect(port, H2, CHROME)) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/headers"))
              .header("Accept-Language", "de-DE,de;q=0.9")
              .header("Cookie", "a=b")
              .header("x-custom", "1")
              .build();
      String seen =
          c.exchange(request, ExchangeLimits.DEFAULT, in(Duration.ofSeconds(10))).bodyText();
      List<String> names = new ArrayList<>();
      for (String line : seen.split("\n")) {
        names.add(line.substring(0, line.indexOf(':')).toLowerCase(Locale.ROOT));
      }
      // Jetty lists the regular fields as they arrived (pseudo-headers are not fields).
      assertEquals(
          List.of(
              "sec-ch-ua",
              "sec-ch-ua-mobile",
              "sec-ch-ua-platform",
              "upgrade-insecure-requests",
              "user-agent",
              "accept",
              "sec-fetch-site",
              "sec-fetch-mode",
              "sec-fetch-user",
              "sec-fetch-dest",
              "accept-encoding",
              "accept-language",
              "cookie",
              "priority",
              "x-custom"),
          names);
      assertTrue(seen.contains("accept-language: de-DE,de;q=0.9"));
    }
  }

  @Test
  void h1KeepAliveLengthChunkedAndHeaderOrder() throws Exception {
    try (HttpConnection c = TlsPeers.connect(port, H1, CHROME)) {
      assertEquals(HttpProtocol.HTTP_1_1, c.protocol());
      byte[] up = pattern(500_000);
      assertArrayEquals(
          up,
          c.exchange(post("/echo", up), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(10))).body());
      // Jetty streams a large body without Content-Length over HTTP/1.1 as chunked.
      HttpResponse chunked =
          c.exchange(get("/gzip"), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(10)));
      assertArrayEquals(pattern(300_000), chunked.body());
      HttpResponse trailers =
          c.exchange(get("/trailers"), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(10)));
      assertEquals("with trailers", trailers.bodyText());
      HttpResponse headers =
          c.exchange(get("/headers"), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(10)));
      assertTrue(headers.reusedConnection());
      List<String> names = new ArrayList<>();
      for (String line : headers.bodyText().split("\n")) {
        names.add(line.substring(0, line.indexOf(':')));
      }
      assertEquals(
          List.of(
              "Host",
              "Connection",
              "sec-ch-ua",
              "sec-ch-ua-mobile",
              "sec-ch-ua-platform",
              "Upgrade-Insecure-Requests",
              "User-Agent",
              "Accept",
              "Sec-Fetch-Site",
              "Sec-Fetch-Mode",
              "Sec-Fetch-User",
              "Sec-Fetch-Dest",
              "Accept-Encoding",
              "Accept-Language"),
          names);
      assertEquals(4, c.exchangeCount());
      assertTrue(c.isUsable());
      assertFalse(c.hasUnexpectedInput());
      assertEquals(
          200,
          c.exchange(
                  HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/big?5"))
                      .HEAD()
                      .build(),
                  ExchangeLimits.DEFAULT,
                  in(Duration.ofSeconds(10)))
              .status());
      assertEquals(
          5,
          c.exchange(get("/big?5"), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(10)))
              .body()
              .length);
    }
  }

  @Test
  void h1FirefoxOrderPutsConnectionAfterAcceptEncoding() throws Exception {
    try (HttpConnection c = TlsPeers.connect(port, H1, FIREFOX)) {
      HttpResponse headers =
          c.exchange(get("/headers"), ExchangeLimits.DEFAULT, in(Duration.ofSeconds(10)));
      List<String> names = new ArrayList<>();
      for (String line : headers.bodyText().split("\n")) {
        names.add(line.substring(0, line.indexOf(':')));
      }
      assertEquals(
          List.of(
              "Host",
              "User-Agent",
              "Accept",
              "Accept-Language",
              "Accept-Encoding",
              "Connection",
              "Upgrade-Insecure-Requests",
              "Sec-Fetch-Dest",
              "Sec-Fetch-Mode",
              "Sec-Fetch-Site",
              "Sec-Fetch-User",
              "Priority"),
          names);
    }
  }
}
