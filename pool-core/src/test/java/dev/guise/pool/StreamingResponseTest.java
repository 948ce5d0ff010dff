package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.HttpProtocol;
import dev.guise.codec.http2.Http2ErrorCode;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.http.StreamedResponse;
import dev.guise.pool.stats.PoolStats;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.RequestHandler;
import dev.guise.testkit.TestBody;
import dev.guise.testkit.TestResponse;
import dev.guise.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Streamed response bodies against the testkit server, whose {@code /stream/N} route generates the
 * body as it writes it: a gibibyte read with bounded memory over HTTP/2 and HTTP/1.1, early closes
 * (the HTTP/2 stream is cancelled and the connection reused; an HTTP/1.1 connection is drained when
 * the rest is small and closed when it is not), a server that stalls mid-body, content codings.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StreamingResponseTest {
  private static final String HOST = "stream.pool.test";
  private static final long GIB = 1L << 30;
  private static final long MIB = 1L << 20;

  /** Live heap growth (after a full GC) tolerated while a gibibyte streams through. */
  private static final long HEAP_BOUND = 48 * MIB;

  @ParameterizedTest(name = "{1} bytes over {0} ({2})")
  @CsvSource({
    "h2, 1073741824, ''",
    "http/1.1, 1073741824, ''",
    "h2, 67108864, nolength",
    "http/1.1, 67108864, chunked"
  })
  void largeBodyStreamsWithBoundedMemory(String alpn, long size, String option) throws Exception {
    try (Fixture f = new Fixture(alpn, RequestHandler.defaults(), 1)) {
      System.gc();
      long baseline = heapUsed();
      long peakLive = 0;
      long started = System.nanoTime();
      String query = option.isEmpty() ? "" : "?" + option;
      try (StreamedResponse r = f.client.sendStreaming(f.get("/stream/" + size + query))) {
        assertEquals(200, r.status());
        assertEquals(protocol(alpn), r.protocol());
        assertEquals(
            option.equals("nolength") || option.equals("chunked"),
            r.header("content-length").isEmpty());
        InputStream body = r.body();
        byte[] buf = new byte[64 * 1024];
        byte[] expected = new byte[buf.length];
        long position = 0;
        long nextSample = 0;
        while (true) {
          int n = body.read(buf);
          if (n < 0) {
            break;
          }
          TestBody.expected(position, expected, 0, n);
          if (!Arrays.equals(buf, 0, n, expected, 0, n)) {
            throw new AssertionError("body differs from the generated one near byte " + position);
          }
          position += n;
          if (position >= nextSample) {
            // What is still reachable: garbage would only measure the collector's laziness.
            System.gc();
            peakLive = Math.max(peakLive, heapUsed() - baseline);
            nextSample += 128 * MIB;
          }
        }
        assertEquals(size, position, "the whole body arrived");
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      System.out.printf(
          "streamed %d MiB over %s%s in %d ms (%.0f MiB/s), live heap growth at most %d KiB%n",
          size / MIB, alpn, query, millis, size / MIB * 1000.0 / millis, peakLive / 1024);
      assertTrue(
          peakLive < HEAP_BOUND,
          "live heap grew by " + peakLive / 1024 + " KiB while streaming " + size + " bytes");
      // Read to its end: the connection went back to the pool and carries the next request.
      HttpResponse next = f.client.send(f.get("/"));
      assertTrue(next.reusedConnection(), "the connection was reused after a full read");
      assertEquals(1, f.server.connectionsAccepted());
    }
  }

  @Test
  void aReaderThatPausesStopsTheHttp2ServerInsteadOfFillingMemory() throws Exception {
    try (Fixture f = new Fixture("h2", RequestHandler.defaults(), 1)) {
      assertEquals(200, f.client.send(f.get("/")).status());
      System.gc();
      long baseline = heapUsed();
      try (StreamedResponse r = f.client.sendStreaming(f.get("/stream/" + GIB))) {
        assertTrue(r.body().read() >= 0);
        // Loopback would deliver hundreds of MiB in this time if nothing held the server back.
        Thread.sleep(2_000);
        System.gc();
        long held = heapUsed() - baseline;
        System.out.printf("paused reader: %d KiB held%n", held / 1024);
        // Chrome's stream window is 6 MiB: at most 1.5 windows are queued, plus noise.
        assertTrue(held < 24 * MIB, "held " + held / 1024 + " KiB while the reader paused");
        byte[] next = r.body().readNBytes((int) (16 * MIB));
        byte[] expected = new byte[next.length];
        TestBody.expected(1, expected, 0, expected.length);
        assertArrayEquals(expected, next, "reading resumes where it stopped");
      }
    }
  }

  @Test
  void earlyCloseOnHttp2CancelsTheStreamAndTheConnectionIsReused() throws Exception {
    // One stream at a time: the next request gets through only if the cancelled one was freed.
    try (Fixture f = new Fixture("h2", RequestHandler.defaults(), 1)) {
      assertEquals(200, f.client.send(f.get("/")).status());
      int serverThreadsIdle = f.server.liveThreads();
      try (StreamedResponse r = f.client.sendStreaming(f.get("/stream/" + GIB))) {
        byte[] head = r.body().readNBytes((int) MIB);
        assertEquals(MIB, head.length);
      }
      // The server frees its side of the stream when it sees the RST_STREAM; until then it would
      // refuse a second stream. Our side was freed at once: that is what the next request shows.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (f.server.liveThreads() > serverThreadsIdle && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      HttpResponse next = f.client.send(f.get("/"));
      assertEquals(200, next.status());
      assertTrue(next.reusedConnection());
      assertEquals(1, f.server.connectionsAccepted());
      ConnectionRecord c = f.server.connections().get(0);
      assertFalse(c.closed());
      assertTrue(
          c.http2Frames().stream()
              .anyMatch(
                  fr ->
                      fr.typeName().equals("RST_STREAM")
                          && fr.detail().equals("error=" + Http2ErrorCode.CANCEL.code())),
          "RST_STREAM CANCEL sent: " + c.http2Frames());
    }
  }

  @Test
  void earlyCloseOnHttp1ClosesTheConnectionWhenTheRestIsLarge() throws Exception {
    try (Fixture f = new Fixture("http/1.1", RequestHandler.defaults(), 1)) {
      try (StreamedResponse r = f.client.sendStreaming(f.get("/stream/" + GIB))) {
        assertEquals(MIB, r.body().readNBytes((int) MIB).length);
      }
      HttpResponse next = f.client.send(f.get("/"));
      assertEquals(200, next.status());
      assertFalse(next.reusedConnection(), "a gibibyte's rest is not drained");
      assertEquals(2, f.server.connectionsAccepted());
    }
  }

  @Test
  void earlyCloseOnHttp1DrainsASmallRestAndKeepsTheConnection() throws Exception {
    try (Fixture f = new Fixture("http/1.1", RequestHandler.defaults(), 1)) {
      for (String query : new String[] {"", "?chunked"}) {
        try (StreamedResponse r = f.client.sendStreaming(f.get("/stream/100000" + query))) {
          assertEquals(60_000, r.body().readNBytes(60_000).length);
        }
        HttpResponse next = f.client.send(f.get("/"));
        assertTrue(next.reusedConnection(), "40 kB left were drained" + query);
        assertEquals(1, f.server.connectionsAccepted());
      }
    }
  }

  @ParameterizedTest(name = "over {0}")
  @CsvSource({"h2", "http/1.1"})
  void aServerThatStallsMidBodyFailsTheReadAtTheTimeout(String alpn) throws Exception {
    try (Fixture f = new Fixture(alpn, RequestHandler.defaults(), 1)) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  f.uri("/stream/" + 8 * MIB + "?stall-at=" + MIB + "&stall-ms=8000"))
              .timeout(Duration.ofSeconds(1))
              .build();
      try (StreamedResponse r = f.client.sendStreaming(request)) {
        InputStream body = r.body();
        byte[] buf = new byte[64 * 1024];
        long read = 0;
        long started = 0;
        ClassifiedIOException e = null;
        try {
          for (int n; (n = body.read(buf)) >= 0; ) {
            read += n;
            started = System.nanoTime();
          }
        } catch (ClassifiedIOException stalled) {
          e = stalled;
        }
        assertTrue(e != null, "the stalled read failed");
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(FailureKind.READ_TIMEOUT, e.kind(), e.getMessage());
        assertTrue(read >= 512 * 1024, "the body before the stall arrived: " + read);
        assertTrue(waited < 3_000, "failed after " + waited + " ms, not at the 1 s timeout");
        assertThrows(IOException.class, () -> body.read(buf), "a failed body stays failed");
      }
      // The pool carries on: the next request succeeds.
      assertEquals(200, f.client.send(f.get("/")).status());
    }
  }

  /**
   * A streamed request counts in the pool's stats when its body ends: not at its head, as a success
   * once read to the end, and as a failure (not a success) when the body breaks off.
   */
  @ParameterizedTest(name = "over {0}")
  @CsvSource({"h2", "http/1.1"})
  void statsCountAStreamedRequestWhenItsBodyEnds(String alpn) throws Exception {
    try (Fixture f = new Fixture(alpn, RequestHandler.defaults(), 1)) {
      byte[] buf = new byte[64 * 1024];
      try (StreamedResponse r = f.client.sendStreaming(f.get("/stream/" + MIB))) {
        assertEquals(200, r.status());
        assertEquals(0, f.pool.stats().requests(), "not counted at the head");
        long read = 0;
        for (int n; (n = r.body().read(buf)) >= 0; ) {
          read += n;
        }
        assertEquals(MIB, read);
        assertEquals(1, f.pool.stats().requests(), "counted when the body ended");
      }
      HttpRequest stalls =
          HttpRequest.newBuilder(
                  f.uri("/stream/" + 8 * MIB + "?stall-at=" + MIB + "&stall-ms=8000"))
              .timeout(Duration.ofSeconds(1))
              .build();
      try (StreamedResponse r = f.client.sendStreaming(stalls)) {
        InputStream body = r.body();
        ClassifiedIOException e =
            assertThrows(
                ClassifiedIOException.class,
                () -> {
                  while (body.read(buf) >= 0) {
                    // read until the stall fails the read
                  }
                });
        assertEquals(FailureKind.READ_TIMEOUT, e.kind(), e.getMessage());
      }
      PoolStats stats = f.pool.stats();
      assertEquals(1, stats.requests(), "the broken body is no success");
      assertEquals(1L, stats.failuresByKind().get(FailureKind.READ_TIMEOUT), stats.toString());
    }
  }

  @ParameterizedTest(name = "over {0}")
  @CsvSource({"h2", "http/1.1"})
  void gzipBodiesAreDecodedAsTheyStream(String alpn) throws Exception {
    byte[] text = new byte[3 * (int) MIB];
    TestBody.expected(0, text, 0, text.length);
    for (int i = 0; i < text.length; i += 4) {
      text[i] = 'x'; // some redundancy, so gzip has something to do
    }
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(text);
    }
    byte[] encoded = gz.toByteArray();
    RequestHandler handler =
        r ->
            TestResponse.bytes(200, "application/octet-stream", encoded)
                .withHeader("content-encoding", "gzip");
    try (Fixture f = new Fixture(alpn, handler, 1)) {
      try (StreamedResponse r = f.client.sendStreaming(f.get("/"))) {
        assertArrayEquals(text, r.body().readAllBytes());
      }
      assertTrue(f.client.send(f.get("/")).reusedConnection());
    }
  }

  @ParameterizedTest(name = "over {0}")
  @CsvSource({"h2", "http/1.1"})
  void responsesWithoutABodyEndAtOnceWhateverTheirCoding(String alpn) throws Exception {
    RequestHandler handler =
        r ->
            switch (r.path()) {
              case "/empty" ->
                  new TestResponse(204, List.of(), new byte[0], false)
                      .withHeader("content-encoding", "gzip");
              case "/head" -> TestResponse.ok("not gzip\n").withHeader("content-encoding", "gzip");
              default -> TestResponse.ok("ok\n");
            };
    try (Fixture f = new Fixture(alpn, handler, 100)) {
      try (StreamedResponse r = f.client.sendStreaming(f.get("/empty"))) {
        assertEquals(204, r.status());
        assertEquals(-1, r.body().read());
      }
      HttpRequest head = HttpRequest.newBuilder(f.uri("/head")).method("HEAD", null).build();
      try (StreamedResponse r = f.client.sendStreaming(head)) {
        assertEquals(200, r.status());
        assertEquals(-1, r.body().read());
      }
      assertTrue(f.client.send(f.get("/")).reusedConnection());
      assertEquals(1, f.server.connectionsAccepted());
    }
  }

  @Test
  void theBodyLimitHoldsForStreams() throws Exception {
    try (Fixture f = new Fixture("h2", RequestHandler.defaults(), 100, 4 * MIB)) {
      HttpRequest request = f.get("/stream/" + 8 * MIB + "?nolength");
      try (StreamedResponse r = f.client.sendStreaming(request)) {
        InputStream body = r.body();
        ClassifiedIOException e =
            assertThrows(
                ClassifiedIOException.class,
                () -> body.transferTo(OutputStream.nullOutputStream()));
        assertEquals(FailureKind.RESPONSE_TOO_LARGE, e.kind(), e.getMessage());
      }
      HttpResponse next = f.client.send(f.get("/"));
      assertTrue(next.reusedConnection(), "a reset stream leaves the connection pooled");
    }
  }

  /**
   * Heap in use, as the memory MXBean's heap usage counts it (java.management is not read by this
   * module: the Runtime says the same for the heap).
   */
  private static long heapUsed() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static HttpProtocol protocol(String alpn) {
    return alpn.equals("h2") ? HttpProtocol.HTTP_2 : HttpProtocol.HTTP_1_1;
  }

  /** A testkit server with one address, a pool of one connection to it, and a client. */
  private static final class Fixture implements AutoCloseable {
    final TestServer server;
    final HotConnectionPool pool;
    final GuiseClient client;

    Fixture(String alpn, RequestHandler handler, int streams) throws IOException {
      this(alpn, handler, streams, 2 * GIB);
    }

    Fixture(String alpn, RequestHandler handler, int streams, long maxBody) throws IOException {
      server =
          TestServer.builder()
              .loopbackAddresses(1)
              .hostNames(HOST)
              .alpn(alpn)
              .maxConcurrentStreams(streams)
              .handler(handler)
              .build()
              .start();
      pool =
          HotConnectionPool.create(
              PoolConfig.builder()
                  .engine("jdk")
                  .trust(server.certificateAuthority().trustPolicy())
                  .limits(l -> l.withMaxResponseBodyBytes(maxBody).withMaxConnectionsPerIp(1))
                  .build());
      pool.addIps(HOST, server.port(), server.addresses());
      client = new GuiseClient(pool);
    }

    URI uri(String path) {
      return URI.create("https://" + HOST + ":" + server.port() + path);
    }

    HttpRequest get(String path) {
      return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build();
    }

    @Override
    public void close() {
      client.close();
      pool.close();
      server.close();
    }
  }
}
