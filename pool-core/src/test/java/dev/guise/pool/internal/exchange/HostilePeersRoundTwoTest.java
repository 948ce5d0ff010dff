package dev.guise.pool.internal.exchange;

import static dev.guise.pool.internal.exchange.ScriptedH2Server.frame;
import static dev.guise.pool.internal.exchange.ScriptedH2Server.int32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.PoolAction;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Round two of the hostile servers (docs/reliability.md, "Round two"): HTTP/2 settings that starve
 * a request (a zero initial window while a POST waits, MAX_CONCURRENT_STREAMS 0), floods of PING,
 * SETTINGS and RST_STREAM apart, endless 1xx responses over both protocols, and bodies that lie: a
 * gzip stream whose trailer is wrong, a body cut in the middle of a frame or a chunk. Every case
 * ends within its deadline (plus scheduling slack) in a classified failure, never UNKNOWN.
 */
// A hang detector only: each case asserts its own bound. One run on a machine at load 30 saw a
// first case take over 20 s in all (set-up included); the cause was not found.
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostilePeersRoundTwoTest {
  private static final RequestTemplate CHROME =
      RequestTemplate.of(BrowserProfiles.get("chrome-156"));
  private static final HttpRequest GET = HttpRequest.get("https://localhost/");
  private static final HttpRequest POST =
      HttpRequest.newBuilder(URI.create("https://localhost/")).POST(new byte[100_000]).build();
  private static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
  private static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;

  private static ClassifiedIOException failure(
      String alpn, ScriptedH2Server.Script script, HttpRequest request, Duration deadline)
      throws Exception {
    try (ScriptedH2Server server = new ScriptedH2Server(alpn, script);
        HttpConnection c = TlsPeers.connect(server.port(), List.of(alpn), CHROME)) {
      long start = System.nanoTime();
      ClassifiedIOException e =
          assertThrows(
              ClassifiedIOException.class,
              () -> c.exchange(request, ExchangeLimits.DEFAULT, TlsPeers.deadline(deadline)));
      long took = System.nanoTime() - start;
      assertTrue(
          took < deadline.toNanos() + TimeUnit.SECONDS.toNanos(2),
          "ended near its deadline: " + took / 1_000_000 + " ms, " + e);
      assertFalse(e.kind() == FailureKind.UNKNOWN, e.toString());
      return e;
    }
  }

  private static ClassifiedIOException h2Failure(
      ScriptedH2Server.Script script, HttpRequest request, Duration deadline) throws Exception {
    return failure("h2", script, request, deadline);
  }

  private static byte[] setting(int id, int value) {
    return new byte[] {
      (byte) (id >>> 8),
      (byte) id,
      (byte) (value >>> 24),
      (byte) (value >>> 16),
      (byte) (value >>> 8),
      (byte) value
    };
  }

  /** Our SETTINGS with these parameters, the ACK of the client's, then {@code then}. */
  private static ScriptedH2Server.Script withSettings(
      byte[] settings, ScriptedH2Server.Script then) {
    return s -> {
      s.readPreface();
      s.write(4, 0, 0, settings);
      s.write(4, 1, 0, new byte[0]);
      then.run(s);
      s.awaitClientClose();
    };
  }

  private static ScriptedH2Server.Script afterHeaders(ScriptedH2Server.Script then) {
    return s -> {
      s.readPreface();
      s.readUntil(1);
      s.settingsAndAck();
      then.run(s);
      s.awaitClientClose();
    };
  }

  /** Writes {@code frame} {@code times} times (or until the client hangs up), reading meanwhile. */
  private static ScriptedH2Server.Script flood(byte[] frame, int times) {
    return afterHeaders(
        s -> {
          s.drainInBackground();
          // Written in blocks: one TLS record per frame is too slow a flood on a loaded machine.
          ByteArrayOutputStream block = new ByteArrayOutputStream();
          for (int i = 0; i < 1_000; i++) {
            block.writeBytes(frame);
          }
          try {
            for (int i = 0; i < times / 1_000; i++) {
              s.out.write(block.toByteArray());
            }
            s.out.flush();
          } catch (IOException closedByClient) {
            // expected once the client gives up on us
          }
        });
  }

  // ---- HTTP/2: settings that starve a request ----

  @Test
  void aZeroInitialWindowNeverOpenedEndsThePostAtItsDeadline() throws Exception {
    ClassifiedIOException e =
        h2Failure(
            withSettings(
                setting(SETTINGS_INITIAL_WINDOW_SIZE, 0),
                s -> {
                  // The HEADERS may come; no DATA can (the window is 0) and none is asked for.
                  Thread.sleep(3_000);
                }),
            POST,
            Duration.ofMillis(1_000));
    assertEquals(FailureKind.DEADLINE_EXCEEDED, e.kind(), e.toString());
  }

  @Test
  void maxConcurrentStreamsZeroFailsARequestAtOnceWithNothingSent() throws Exception {
    // The server answers stream 1, then lowers MAX_CONCURRENT_STREAMS to 0 and never raises it.
    // Once the client has acknowledged that, a request opens no stream (none is allowed) and fails
    // at once, NOT_PROCESSED (retryable elsewhere): it used to wait for a slot until its deadline.
    // The connection says it takes no more requests, and the server never sees the request.
    CountDownLatch applied = new CountDownLatch(1);
    try (ScriptedH2Server server =
            new ScriptedH2Server(
                "h2",
                s -> {
                  s.readPreface();
                  s.readUntil(1);
                  s.settingsAndAck();
                  s.respond(1, 200, List.of(), "one".getBytes(StandardCharsets.US_ASCII));
                  s.write(4, 0, 0, setting(SETTINGS_MAX_CONCURRENT_STREAMS, 0));
                  // Two ACKs from the client: of our first SETTINGS, and of the one with 0.
                  int acks = 0;
                  synchronized (s.received) {
                    for (ScriptedH2Server.Frame f : s.received) {
                      acks += f.type() == 4 && (f.flags() & 1) != 0 ? 1 : 0;
                    }
                  }
                  while (acks < 2) {
                    ScriptedH2Server.Frame f = s.read();
                    acks += f.type() == 4 && (f.flags() & 1) != 0 ? 1 : 0;
                  }
                  applied.countDown();
                  s.awaitClientClose();
                });
        HttpConnection c = TlsPeers.connect(server.port(), List.of("h2"), CHROME)) {
      Duration deadline = Duration.ofSeconds(10);
      assertEquals(
          "one", c.exchange(GET, ExchangeLimits.DEFAULT, TlsPeers.deadline(deadline)).bodyText());
      assertTrue(applied.await(5, TimeUnit.SECONDS), "the client acknowledged our SETTINGS");
      long start = System.nanoTime();
      ClassifiedIOException e =
          assertThrows(
              ClassifiedIOException.class,
              () -> c.exchange(GET, ExchangeLimits.DEFAULT, TlsPeers.deadline(deadline)));
      long took = System.nanoTime() - start;
      assertEquals(FailureKind.NOT_PROCESSED, e.kind(), e.toString());
      assertTrue(e.failure().retryable(), e.toString());
      assertEquals(PoolAction.DISCARD_CONNECTION, e.failure().action(), e.toString());
      assertTrue(e.getMessage().contains("allows 0 concurrent streams"), e.getMessage());
      // Prompt: nothing to wait for (a tenth of the deadline leaves room for a loaded machine).
      assertTrue(took < deadline.toNanos() / 10, took / 1_000_000 + " ms");
      assertFalse(c.isUsable(), "the pool must not lease a connection that takes no streams");
      synchronized (server.received) { // the server thread is still reading
        assertTrue(
            server.received.stream().noneMatch(f -> f.type() == 1 && f.stream() > 1),
            "no stream was opened past the server's limit");
      }
    }
  }

  // ---- HTTP/2: floods ----

  @Test
  void aPingFloodIsCutOff() throws Exception {
    ClassifiedIOException e =
        h2Failure(flood(frame(6, 0, 0, new byte[8]), 50_000), GET, Duration.ofSeconds(5));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind());
    assertTrue(e.getMessage().contains("ENHANCE_YOUR_CALM"), e.getMessage());
  }

  @Test
  void aSettingsFloodIsCutOff() throws Exception {
    byte[] settings = frame(4, 0, 0, setting(SETTINGS_INITIAL_WINDOW_SIZE, 65_535));
    ClassifiedIOException e = h2Failure(flood(settings, 50_000), GET, Duration.ofSeconds(5));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind());
    assertTrue(e.getMessage().contains("ENHANCE_YOUR_CALM"), e.getMessage());
  }

  @Test
  void anRstStreamStormOnAClosedStreamIsCutOff() throws Exception {
    // Stream 1 answered and closed; then 50,000 RST_STREAMs for it while stream 3 waits. RFC 9113
    // lets a peer ignore RST_STREAM on a closed stream, but not without end: each used to count as
    // a response frame, so the storm was never cut off and kept the reader busy until the
    // server stopped. It now counts as a control frame, and the flood limit ends the connection.
    try (ScriptedH2Server server =
            new ScriptedH2Server(
                "h2",
                s -> {
                  s.readPreface();
                  s.readUntil(1);
                  s.settingsAndAck();
                  s.respond(1, 200, List.of(), "one".getBytes(StandardCharsets.US_ASCII));
                  ScriptedH2Server.Frame second = s.readUntil(1);
                  s.drainInBackground();
                  byte[] rst = frame(3, 0, 1, int32(8));
                  ByteArrayOutputStream storm = new ByteArrayOutputStream();
                  for (int i = 0; i < 50_000; i++) {
                    storm.writeBytes(rst);
                  }
                  try {
                    s.out.write(storm.toByteArray());
                    s.respond(second.stream(), 200, List.of(), "two".getBytes());
                  } catch (IOException closedByClient) {
                    // the client cut the storm off
                  }
                  s.awaitClientClose();
                });
        HttpConnection c = TlsPeers.connect(server.port(), List.of("h2"), CHROME)) {
      Duration deadline = Duration.ofSeconds(5);
      assertEquals(
          "one", c.exchange(GET, ExchangeLimits.DEFAULT, TlsPeers.deadline(deadline)).bodyText());
      long start = System.nanoTime();
      ClassifiedIOException e =
          assertThrows(
              ClassifiedIOException.class,
              () -> c.exchange(GET, ExchangeLimits.DEFAULT, TlsPeers.deadline(deadline)));
      assertEquals(FailureKind.PROTOCOL_ERROR, e.kind(), e.toString());
      assertTrue(e.getMessage().contains("ENHANCE_YOUR_CALM"), e.getMessage());
      assertTrue(System.nanoTime() - start < deadline.toNanos(), "cut off before the deadline");
      assertFalse(c.isUsable());
    }
  }

  @Test
  void anRstStreamOnAStreamNeverOpenedIsAConnectionError() throws Exception {
    ClassifiedIOException e =
        h2Failure(afterHeaders(s -> s.write(3, 0, 101, int32(8))), GET, Duration.ofSeconds(3));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind(), e.toString());
  }

  // ---- endless 1xx ----

  @Test
  void endlessInformationalResponsesOverHttp2AreBounded() throws Exception {
    ClassifiedIOException e =
        h2Failure(
            afterHeaders(
                s -> {
                  s.drainInBackground();
                  try {
                    byte[] early =
                        frame(
                            1,
                            0x4,
                            1,
                            s.encoder.encode(
                                List.of(
                                    new Header(":status", "103"),
                                    new Header("link", "</a.css>; rel=preload"))));
                    for (int i = 0; i < 1_000_000; i++) {
                      s.out.write(early);
                    }
                    s.out.flush();
                  } catch (IOException closedByClient) {
                    // the client gave up
                  }
                }),
            GET,
            Duration.ofSeconds(2));
    // More than 16 interim responses end it, over both protocols, long before the deadline.
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind(), e.toString());
    assertTrue(e.getMessage().contains("more than 16 interim responses"), e.getMessage());
  }

  @Test
  void endlessInformationalResponsesOverHttp1AreBounded() throws Exception {
    ClassifiedIOException e =
        failure(
            "http/1.1",
            s -> {
              readHead(s.rawIn());
              byte[] early =
                  "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                      .getBytes(StandardCharsets.US_ASCII);
              try {
                for (int i = 0; i < 1_000_000; i++) {
                  s.out.write(early);
                }
                s.out.flush();
              } catch (IOException closedByClient) {
                // the client gave up
              }
            },
            GET,
            Duration.ofSeconds(2));
    // More than 16 interim responses end it, over both protocols, long before the deadline.
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind(), e.toString());
    assertTrue(e.getMessage().contains("more than 16 interim responses"), e.getMessage());
  }

  // ---- bodies that lie ----

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  /** A gzip member whose CRC-32 (first) or ISIZE (second) trailer field is off by one. */
  private static List<byte[]> gzipWithWrongTrailers() throws IOException {
    byte[] text = "guise content line\n".repeat(500).getBytes(StandardCharsets.US_ASCII);
    byte[] good = gzip(text);
    byte[] badCrc = good.clone();
    badCrc[good.length - 8] ^= 1;
    byte[] badSize = good.clone();
    badSize[good.length - 4] ^= 1;
    return List.of(badCrc, badSize);
  }

  @Test
  void aGzipStreamWithAWrongTrailerIsAProtocolErrorOverBothProtocols() throws Exception {
    for (byte[] body : gzipWithWrongTrailers()) {
      List<Header> headers =
          List.of(
              new Header("content-encoding", "gzip"),
              new Header("content-length", Integer.toString(body.length)));
      ClassifiedIOException h2 =
          h2Failure(
              afterHeaders(s -> s.respond(1, 200, headers, body)), GET, Duration.ofSeconds(3));
      assertEquals(FailureKind.PROTOCOL_ERROR, h2.kind(), h2.toString());
      ClassifiedIOException h1 =
          failure(
              "http/1.1",
              s -> {
                readHead(s.rawIn());
                s.out.write(
                    ("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: "
                            + body.length
                            + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                s.out.write(body);
                s.out.flush();
                s.awaitClientClose();
              },
              GET,
              Duration.ofSeconds(3));
      assertEquals(FailureKind.PROTOCOL_ERROR, h1.kind(), h1.toString());
    }
  }

  @Test
  void aBodyCutInTheMiddleOfAnHttp2DataFrameIsClassified() throws Exception {
    ClassifiedIOException e =
        h2Failure(
            afterHeaders(
                s -> {
                  s.write(
                      1,
                      0x4,
                      1,
                      s.encoder.encode(
                          List.of(
                              new Header(":status", "200"), new Header("content-length", "1000"))));
                  // A DATA frame announcing 1000 bytes, 400 of them sent, then the connection ends.
                  byte[] whole = frame(0, 1, 1, new byte[1000]);
                  s.out.write(Arrays.copyOf(whole, 9 + 400));
                  s.out.flush();
                  s.out.close(); // closes the TLS socket: the rest never comes
                }),
            GET,
            Duration.ofSeconds(3));
    assertEquals(FailureKind.CONNECTION_CLOSED, e.kind(), e.toString());
  }

  @Test
  void aBodyCutInTheMiddleOfAChunkIsClassified() throws Exception {
    ClassifiedIOException e =
        failure(
            "http/1.1",
            s -> {
              readHead(s.rawIn());
              s.out.write(
                  ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" + "x".repeat(400))
                      .getBytes(StandardCharsets.US_ASCII));
              s.out.flush();
              s.out.close(); // closes the TLS socket: the rest never comes
            },
            GET,
            Duration.ofSeconds(3));
    assertEquals(FailureKind.CONNECTION_CLOSED, e.kind(), e.toString());
  }

  @Test
  void aBodyShorterThanItsContentLengthIsClassified() throws Exception {
    ClassifiedIOException e =
        failure(
            "http/1.1",
            s -> {
              readHead(s.rawIn());
              s.out.write(
                  ("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(400))
                      .getBytes(StandardCharsets.US_ASCII));
              s.out.flush();
              s.out.close(); // closes the TLS socket: the rest never comes
            },
            GET,
            Duration.ofSeconds(3));
    assertEquals(FailureKind.CONNECTION_CLOSED, e.kind(), e.toString());
  }

  private static void readHead(InputStream in) throws IOException {
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException();
      }
      state =
          (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
              ? state + 1
              : 0;
    }
  }
}
