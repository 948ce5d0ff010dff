package dev.guise.pool.internal.exchange;

import static dev.guise.pool.internal.exchange.ScriptedH2Server.concat;
import static dev.guise.pool.internal.exchange.ScriptedH2Server.frame;
import static dev.guise.pool.internal.exchange.ScriptedH2Server.int32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server that breaks the rules: every case ends in a classified error, within its deadline. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class Http2HostileServerTest {
  private static final RequestTemplate CHROME =
      RequestTemplate.of(BrowserProfiles.get("chrome-156"));
  private static final HttpRequest GET = HttpRequest.get("https://localhost/");

  private static ClassifiedIOException failure(
      ScriptedH2Server.Script script, HttpRequest request, Duration deadline) throws Exception {
    try (ScriptedH2Server server = new ScriptedH2Server("h2", script);
        HttpConnection c = TlsPeers.connect(server.port(), List.of("h2"), CHROME)) {
      long start = System.nanoTime();
      ClassifiedIOException e =
          assertThrows(
              ClassifiedIOException.class,
              () -> c.exchange(request, ExchangeLimits.DEFAULT, TlsPeers.deadline(deadline)));
      assertTrue(
          System.nanoTime() - start < deadline.toNanos() + TimeUnit.SECONDS.toNanos(2),
          "ended near its deadline");
      return e;
    }
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

  @Test
  void pushPromiseIsAConnectionProtocolError() throws Exception {
    ClassifiedIOException e =
        failure(
            afterHeaders(
                s ->
                    s.write(
                        5,
                        4,
                        1,
                        concat(int32(2), s.encoder.encode(List.of(new Header(":method", "GET")))))),
            GET,
            Duration.ofSeconds(3));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind());
  }

  @Test
  void endlessContinuationStopsAtTheHeaderLimit() throws Exception {
    ClassifiedIOException e =
        failure(
            afterHeaders(
                s -> {
                  s.write(1, 0, 1, s.encoder.encode(List.of(new Header(":status", "200"))));
                  byte[] chunk = frame(9, 0, 1, new byte[16_000]);
                  for (int i = 0; i < 10_000; i++) {
                    s.out.write(chunk);
                  }
                  s.out.flush();
                }),
            GET,
            Duration.ofSeconds(5));
    assertEquals(FailureKind.RESPONSE_TOO_LARGE, e.kind());
  }

  @Test
  void headerListOverTheExchangeLimitFailsThatRequest() throws Exception {
    try (ScriptedH2Server server =
            new ScriptedH2Server(
                "h2",
                afterHeaders(
                    s ->
                        s.respond(
                            1, 200, List.of(new Header("x-big", "v".repeat(5000))), new byte[0])));
        HttpConnection c = TlsPeers.connect(server.port(), List.of("h2"), CHROME)) {
      ClassifiedIOException e =
          assertThrows(
              ClassifiedIOException.class,
              () ->
                  c.exchange(
                      GET,
                      new ExchangeLimits(4096, 1000, false),
                      TlsPeers.deadline(Duration.ofSeconds(3))));
      assertEquals(FailureKind.RESPONSE_TOO_LARGE, e.kind());
    }
  }

  @Test
  void badHpackIsAConnectionProtocolError() throws Exception {
    // Index 70 with an empty dynamic table.
    ClassifiedIOException e =
        failure(
            afterHeaders(s -> s.write(1, 5, 1, new byte[] {(byte) (0x80 | 70)})),
            GET,
            Duration.ofSeconds(3));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind());
  }

  @Test
  void pingAndSettingsFloodIsCutOff() throws Exception {
    ClassifiedIOException e =
        failure(
            afterHeaders(
                s -> {
                  s.drainInBackground();
                  byte[] ping = frame(6, 0, 0, new byte[8]);
                  byte[] settings = frame(4, 0, 0, new byte[0]);
                  try {
                    for (int i = 0; i < 20_000; i++) {
                      s.out.write(i % 2 == 0 ? ping : settings);
                    }
                    s.out.flush();
                  } catch (IOException closedByClient) {
                    // expected once the client gives up on us
                  }
                }),
            GET,
            Duration.ofSeconds(5));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind());
    assertTrue(e.getMessage().contains("ENHANCE_YOUR_CALM"), e.getMessage());
  }

  @Test
  void bodyLongerThanContentLengthIsAProtocolError() throws Exception {
    ClassifiedIOException e =
        failure(
            afterHeaders(
                s ->
                    s.respond(
                        1,
                        200,
                        List.of(new Header("content-length", "3")),
                        "too long".getBytes(StandardCharsets.US_ASCII))),
            GET,
            Duration.ofSeconds(3));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind());
  }

  @Test
  void serverThatNeverGrantsWindowEndsTheUploadAtTheDeadline() throws Exception {
    HttpRequest upload =
        HttpRequest.newBuilder(URI.create("https://localhost/")).POST(new byte[1_000_000]).build();
    ClassifiedIOException e =
        failure(
            s -> {
              s.readPreface();
              s.settingsAndAck();
              s.awaitClientClose(); // reads, but never sends WINDOW_UPDATE or a response
            },
            upload,
            Duration.ofMillis(800));
    assertEquals(FailureKind.DEADLINE_EXCEEDED, e.kind());
  }

  /**
   * The server opens every window wide and then stops reading the socket: the upload fills the
   * socket buffers and the write blocks in the kernel, where only the write's deadline guard (which
   * closes the connection) ends it. Without the guard the write would never end: the timeout runs
   * the test on a thread of its own, so that fails rather than hangs.
   */
  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aServerThatStopsReadingTheSocketEndsTheWriteAtItsDeadline() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    try (ScriptedH2Server server =
            new ScriptedH2Server(
                "h2",
                s -> {
                  s.readPreface();
                  // SETTINGS_INITIAL_WINDOW_SIZE at its largest, and as much for the connection.
                  s.write(4, 0, 0, new byte[] {0, 4, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
                  s.write(4, 1, 0, new byte[0]);
                  s.write(8, 0, 0, int32(Integer.MAX_VALUE - 65_535));
                  done.await(8, TimeUnit.SECONDS); // and reads no more
                });
        AutoCloseable releaseServer = done::countDown; // before the server's close joins it
        HttpConnection c = TlsPeers.connect(server.port(), List.of("h2"), CHROME)) {
      TlsPeers.assertStalledWriteEndsAtItsDeadline(c);
    }
  }

  @Test
  void slowlorisBodyEndsAtTheDeadline() throws Exception {
    ClassifiedIOException e =
        failure(
            afterHeaders(
                s -> {
                  s.write(1, 4, 1, s.encoder.encode(List.of(new Header(":status", "200"))));
                  try {
                    for (int i = 0; i < 100; i++) {
                      s.write(0, 0, 1, new byte[] {'x'});
                      Thread.sleep(100);
                    }
                  } catch (IOException gone) {
                    // the client gave up
                  }
                }),
            GET,
            Duration.ofMillis(800));
    assertEquals(FailureKind.READ_TIMEOUT, e.kind());
  }

  @Test
  void refusedStreamIsNotProcessedAndRetryable() throws Exception {
    ClassifiedIOException e =
        failure(afterHeaders(s -> s.write(3, 0, 1, int32(7))), GET, Duration.ofSeconds(3));
    assertEquals(FailureKind.NOT_PROCESSED, e.kind());
    assertTrue(e.failure().retryable());
  }

  @Test
  void goAwayFailsStreamsAboveTheLastIdAsNotProcessedAndFinishesTheRest() throws Exception {
    try (ScriptedH2Server server =
            new ScriptedH2Server(
                "h2",
                s -> {
                  s.readPreface();
                  s.settingsAndAck();
                  s.readUntil(1);
                  s.readUntil(1);
                  s.write(7, 0, 0, int32(1, 0)); // GOAWAY NO_ERROR, last stream 1
                  s.respond(1, 200, List.of(), "one".getBytes(StandardCharsets.US_ASCII));
                  s.awaitClientClose();
                });
        HttpConnection c = TlsPeers.connect(server.port(), List.of("h2"), CHROME);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<HttpResponse> first =
          threads.submit(
              () ->
                  c.exchange(
                      GET, ExchangeLimits.DEFAULT, TlsPeers.deadline(Duration.ofSeconds(5))));
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (c.activeStreams() == 0 && System.nanoTime() < until) {
        Thread.sleep(2);
      }
      // Once the server's SETTINGS raised the limit, a second stream (id 3) goes out.
      while (c.maxConcurrentStreams() < 2 && System.nanoTime() < until) {
        Thread.sleep(2);
      }
      Future<HttpResponse> second =
          threads.submit(
              () ->
                  c.exchange(
                      GET, ExchangeLimits.DEFAULT, TlsPeers.deadline(Duration.ofSeconds(5))));
      assertEquals("one", first.get(5, TimeUnit.SECONDS).bodyText());
      var e = assertThrows(ExecutionException.class, () -> second.get(5, TimeUnit.SECONDS));
      ClassifiedIOException cause = (ClassifiedIOException) e.getCause();
      assertEquals(FailureKind.NOT_PROCESSED, cause.kind());
      assertTrue(cause.failure().retryable());
      assertFalse(c.isUsable());
      until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (c.tls() != null
          && c.hasUnexpectedInput()
          && c.activeStreams() > 0
          && System.nanoTime() < until) {
        Thread.sleep(2);
      }
      assertEquals(0, c.activeStreams());
    }
  }

  @Test
  void frameLargerThanOurMaxFrameSizeIsAConnectionError() throws Exception {
    ClassifiedIOException e =
        failure(afterHeaders(s -> s.write(0, 0, 1, new byte[20_000])), GET, Duration.ofSeconds(3));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind());
  }
}
