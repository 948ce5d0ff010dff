package dev.guise.pool.internal.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP/1.1 against a scripted server: bad framing is classified, reuse is refused when out of step.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class Http1HostileServerTest {
  private static final RequestTemplate FIREFOX =
      RequestTemplate.of(BrowserProfiles.get("firefox-153"));
  private static final HttpRequest GET = HttpRequest.get("https://localhost/");

  private static void readHead(InputStream in) throws Exception {
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

  private static void send(OutputStream out, String s) throws Exception {
    out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static ScriptedH2Server server(String response, CountDownLatch done) throws Exception {
    return new ScriptedH2Server(
        "http/1.1",
        s -> {
          readHead(s.rawIn());
          send(s.out, response);
          done.await(5, TimeUnit.SECONDS);
        });
  }

  @Test
  void bodyLongerThanContentLengthLeavesTheConnectionUnused() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    try (ScriptedH2Server server =
            server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA", done);
        HttpConnection c = TlsPeers.connect(server.port(), List.of("http/1.1"), FIREFOX)) {
      assertEquals(
          "ok",
          c.exchange(GET, ExchangeLimits.DEFAULT, TlsPeers.deadline(Duration.ofSeconds(3)))
              .bodyText());
      assertFalse(c.isUsable());
      done.countDown();
    }
  }

  /**
   * A read is bounded by a guard that closes the connection at the deadline: an exchange answered
   * in time must leave none armed, or the idle connection would be closed under the pool later. The
   * health check's probe, timed by the socket instead, finds a quiet connection quiet.
   */
  @Test
  void anExchangeAnsweredInTimeLeavesNoDeadlineBehind() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    String ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    try (ScriptedH2Server server =
            new ScriptedH2Server(
                "http/1.1",
                s -> {
                  for (int i = 0; i < 3; i++) {
                    readHead(s.rawIn());
                    send(s.out, ok);
                  }
                  done.await(5, TimeUnit.SECONDS);
                });
        HttpConnection c = TlsPeers.connect(server.port(), List.of("http/1.1"), FIREFOX)) {
      for (int i = 0; i < 3; i++) {
        var r = c.exchange(GET, ExchangeLimits.DEFAULT, TlsPeers.deadline(Duration.ofMillis(200)));
        assertEquals("ok", r.bodyText());
        Thread.sleep(400); // past the exchange's deadline and the timer's next sweeps
        assertFalse(c.hasUnexpectedInput(), "a quiet connection found closed or talking");
        assertTrue(c.isUsable(), "closed after an exchange that ended in time");
      }
      done.countDown();
    }
  }

  @Test
  void malformedChunkedIsAProtocolError() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    try (ScriptedH2Server server =
            server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n", done);
        HttpConnection c = TlsPeers.connect(server.port(), List.of("http/1.1"), FIREFOX)) {
      ClassifiedIOException e =
          assertThrows(
              ClassifiedIOException.class,
              () ->
                  c.exchange(
                      GET, ExchangeLimits.DEFAULT, TlsPeers.deadline(Duration.ofSeconds(3))));
      assertEquals(FailureKind.PROTOCOL_ERROR, e.kind());
      assertFalse(c.isUsable());
      done.countDown();
    }
  }

  @Test
  void chunkedBodyAndTrailersAfterAnInterimResponse() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    try (ScriptedH2Server server =
            server(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
                    + "\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nx-sum: 5\r\n\r\n",
                done);
        HttpConnection c = TlsPeers.connect(server.port(), List.of("http/1.1"), FIREFOX)) {
      var r = c.exchange(GET, ExchangeLimits.DEFAULT, TlsPeers.deadline(Duration.ofSeconds(3)));
      assertEquals("abcde", r.bodyText());
      assertEquals("5", r.trailers().get(0).value());
      assertTrue(c.isUsable());
      done.countDown();
    }
  }

  @Test
  void slowlorisHeadEndsAtTheDeadline() throws Exception {
    try (ScriptedH2Server server =
            new ScriptedH2Server(
                "http/1.1",
                s -> {
                  readHead(s.rawIn());
                  try {
                    for (int i = 0; i < 100; i++) {
                      send(s.out, "X");
                      Thread.sleep(100);
                    }
                  } catch (IOException gone) {
                    // the client gave up
                  }
                });
        HttpConnection c = TlsPeers.connect(server.port(), List.of("http/1.1"), FIREFOX)) {
      long start = System.nanoTime();
      ClassifiedIOException e =
          assertThrows(
              ClassifiedIOException.class,
              () ->
                  c.exchange(
                      GET, ExchangeLimits.DEFAULT, TlsPeers.deadline(Duration.ofMillis(700))));
      assertEquals(FailureKind.READ_TIMEOUT, e.kind());
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
    }
  }

  @Test
  void aServerThatNeverReadsEndsTheUploadAtTheDeadline() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    try (ScriptedH2Server server =
            new ScriptedH2Server(
                "http/1.1",
                s -> {
                  readHead(s.rawIn()); // the handshake and the head; then it reads no more
                  done.await(8, TimeUnit.SECONDS);
                });
        AutoCloseable releaseServer = done::countDown; // before the server's close joins it
        HttpConnection c = TlsPeers.connect(server.port(), List.of("http/1.1"), FIREFOX)) {
      TlsPeers.assertStalledWriteEndsAtItsDeadline(c);
    }
  }

  @Test
  void unexpectedInputOnAnIdleConnectionIsSeen() throws Exception {
    CountDownLatch sent = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    try (ScriptedH2Server server =
            new ScriptedH2Server(
                "http/1.1",
                s -> {
                  readHead(s.rawIn());
                  send(s.out, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
                  sent.await(5, TimeUnit.SECONDS);
                  send(s.out, "HTTP/1.1 408 Request Timeout\r\n\r\n");
                  done.await(5, TimeUnit.SECONDS);
                });
        HttpConnection c = TlsPeers.connect(server.port(), List.of("http/1.1"), FIREFOX)) {
      assertEquals(
          200,
          c.exchange(GET, ExchangeLimits.DEFAULT, TlsPeers.deadline(Duration.ofSeconds(3)))
              .status());
      assertFalse(c.hasUnexpectedInput());
      assertTrue(c.isUsable());
      sent.countDown();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      boolean seen = false;
      while (!seen && System.nanoTime() < until) {
        seen = c.hasUnexpectedInput();
      }
      assertTrue(seen);
      assertFalse(c.isUsable());
      done.countDown();
    }
  }
}
