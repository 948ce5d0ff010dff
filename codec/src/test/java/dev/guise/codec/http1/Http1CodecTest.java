package dev.guise.codec.http1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class Http1CodecTest {
  private static final Http1ResponseParser RESPONSES = new Http1ResponseParser(Http1Limits.DEFAULT);
  private static final Http1RequestParser REQUESTS = new Http1RequestParser(Http1Limits.DEFAULT);

  private static Http1Input input(String s) {
    return new Http1Input(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)));
  }

  /** Delivers one byte per read, so every line and chunk is split across reads. */
  private static Http1Input trickle(String s) {
    InputStream slow =
        new FilterInputStream(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1))) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1));
          }
        };
    return new Http1Input(slow, 16);
  }

  private static String body(Http1Input in, Http1Response r) throws IOException {
    return new String(
        in.body(r.framing(), r.contentLength(), Http1Limits.DEFAULT).readAllBytes(),
        StandardCharsets.ISO_8859_1);
  }

  private static ClassifiedIOException fails(FailureKind kind, IoAction action) {
    ClassifiedIOException e = assertThrows(ClassifiedIOException.class, action::run);
    assertEquals(kind, e.kind(), e.getMessage());
    return e;
  }

  interface IoAction {
    void run() throws IOException;
  }

  @Test
  void requestHeadIsWrittenExactlyAsGiven() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Http1RequestWriter()
        .writeHead(
            out,
            "GET",
            "/a?b=c",
            List.of(
                new Header("Host", "example.test"),
                new Header("user-agent", "X"),
                new Header("Accept-Encoding", "gzip, br")));
    assertEquals(
        "GET /a?b=c HTTP/1.1\r\n"
            + "Host: example.test\r\n"
            + "user-agent: X\r\n"
            + "Accept-Encoding: gzip, br\r\n\r\n",
        out.toString(StandardCharsets.ISO_8859_1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Http1RequestWriter().writeHead(out, "G T", "/", List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Http1RequestWriter().writeHead(out, "GET", "/a b", List.of()));
  }

  @Test
  void knownFieldLinesAreCopiedAsTheSameOctets() throws Exception {
    Header agent = new Header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)");
    Header accept = new Header("Accept", "text/html,*/*;q=0.8");
    Header unicode = new Header("X-Name", "caf\u00e9 \u20ac");
    Http1FieldLines known = Http1FieldLines.of(List.of(agent, accept, unicode));
    assertEquals(2, known.size(), "a value that is not octets is left out");
    List<Header> headers =
        List.of(
            new Header("Host", "example.test"),
            agent,
            new Header("Accept", "text/html,*/*;q=0.8"), // equal to a known one, not the same
            accept,
            new Header("Connection", "keep-alive"));
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    new Http1RequestWriter().writeHead(plain, "GET", "/", headers);
    ByteArrayOutputStream copied = new ByteArrayOutputStream();
    new Http1RequestWriter().writeHead(copied, "GET", "/", headers, known);
    assertEquals(
        plain.toString(StandardCharsets.ISO_8859_1), copied.toString(StandardCharsets.ISO_8859_1));
    assertTrue(
        copied.toString(StandardCharsets.ISO_8859_1).contains("\r\nUser-Agent: Mozilla/5.0"));
    // Lines the head outgrows its first buffer with are copied whole too.
    Header big = new Header("Cookie", "c=" + "x".repeat(40_000));
    ByteArrayOutputStream large = new ByteArrayOutputStream();
    new Http1RequestWriter()
        .writeHead(
            large, "GET", "/", List.of(agent, big, accept), Http1FieldLines.of(List.of(big)));
    assertEquals(
        "GET / HTTP/1.1\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\nCookie: c="
            + "x".repeat(40_000)
            + "\r\nAccept: text/html,*/*;q=0.8\r\n\r\n",
        large.toString(StandardCharsets.ISO_8859_1));
    // The header left out still fails where a request carries it, as without known lines.
    assertThrows(
        IllegalArgumentException.class,
        () -> new Http1RequestWriter().writeHead(copied, "GET", "/", List.of(unicode), known));
  }

  @Test
  void contentLengthResponsesOnAKeptConnection() throws Exception {
    for (Http1Input in :
        List.of(
            input(
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A:  b \r\n\r\nhello"
                    + "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"),
            trickle(
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A:  b \r\n\r\nhello"
                    + "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"))) {
      Http1Response r = RESPONSES.parse(in, "GET");
      assertEquals(200, r.status());
      assertEquals("OK", r.reason());
      assertEquals(List.of(new Header("Content-Length", "5"), new Header("X-A", "b")), r.headers());
      assertEquals(Http1BodyFraming.CONTENT_LENGTH, r.framing());
      assertTrue(r.keepAlive());
      assertEquals("hello", body(in, r));
      Http1Response next = RESPONSES.parse(in, "GET");
      assertEquals(404, next.status());
      assertEquals("", body(in, next));
      in.checkIdle();
      assertNull(RESPONSES.parse(in, "GET"));
    }
  }

  @Test
  void bodyLongerThanDeclaredIsCaught() throws Exception {
    Http1Input in = input("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello, and more\r\n");
    Http1Response r = RESPONSES.parse(in, "GET");
    assertEquals("hello", body(in, r));
    // Before reuse: the pool checks the connection is idle.
    fails(FailureKind.PROTOCOL_ERROR, in::checkIdle);
    // And if the next response were read anyway, the stray bytes are no status line.
    fails(FailureKind.PROTOCOL_ERROR, () -> RESPONSES.parse(in, "GET"));
  }

  @Test
  void truncatedContentLengthBody() throws Exception {
    Http1Input in = input("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello");
    Http1Response r = RESPONSES.parse(in, "GET");
    fails(FailureKind.CONNECTION_CLOSED, () -> body(in, r));
  }

  @Test
  void chunkedWithExtensionsAndTrailers() throws Exception {
    String wire =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n"
            + "7 ; x\r\n, world\r\n"
            + "0\r\nServer-Timing: a;dur=1\r\nX-Checksum: 42\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\n\r\n";
    for (Http1Input in : List.of(input(wire), trickle(wire))) {
      Http1Response r = RESPONSES.parse(in, "GET");
      assertEquals(Http1BodyFraming.CHUNKED, r.framing());
      ChunkedInputStream body = (ChunkedInputStream) in.body(r.framing(), -1, Http1Limits.DEFAULT);
      assertEquals("hello, world", new String(body.readAllBytes(), StandardCharsets.US_ASCII));
      assertTrue(body.complete());
      assertEquals(
          List.of(new Header("Server-Timing", "a;dur=1"), new Header("X-Checksum", "42")),
          body.trailers());
      Http1Response next = RESPONSES.parse(in, "GET");
      assertEquals(204, next.status());
      assertEquals(Http1BodyFraming.NONE, next.framing());
    }
  }

  private static void chunkedFails(FailureKind kind, String chunks) throws Exception {
    Http1Input in = input("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks);
    Http1Response r = RESPONSES.parse(in, "GET");
    fails(kind, () -> body(in, r));
  }

  @Test
  void malformedChunking() throws Exception {
    chunkedFails(FailureKind.PROTOCOL_ERROR, "zz\r\nhello\r\n0\r\n\r\n");
    chunkedFails(FailureKind.PROTOCOL_ERROR, "\r\n");
    chunkedFails(FailureKind.PROTOCOL_ERROR, "5x\r\nhello\r\n0\r\n\r\n");
    chunkedFails(
        FailureKind.PROTOCOL_ERROR, "3\r\nhello\r\n0\r\n\r\n"); // data longer than its size
    chunkedFails(FailureKind.PROTOCOL_ERROR, "ffffffffffffffffff\r\n"); // overflow
    chunkedFails(FailureKind.PROTOCOL_ERROR, "5;" + "e".repeat(2000) + "\r\nhello\r\n0\r\n\r\n");
    chunkedFails(FailureKind.CONNECTION_CLOSED, "5\r\nhel");
    chunkedFails(FailureKind.CONNECTION_CLOSED, "5\r\nhello\r\n");
    chunkedFails(
        FailureKind.RESPONSE_TOO_LARGE,
        "0\r\n" + ("X-T: " + "t".repeat(1000) + "\r\n").repeat(20) + "\r\n");
  }

  @Test
  void closeDelimitedAndNoBodyCases() throws Exception {
    Http1Input in = input("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
    Http1Response r = RESPONSES.parse(in, "GET");
    assertEquals(Http1BodyFraming.CLOSE_DELIMITED, r.framing());
    assertFalse(r.keepAlive());
    assertEquals("until the end", body(in, r));

    Http1Response head =
        RESPONSES.parse(input("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"), "HEAD");
    assertEquals(Http1BodyFraming.NONE, head.framing());
    assertEquals(
        Http1BodyFraming.NONE,
        RESPONSES
            .parse(input("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n"), "GET")
            .framing());
    assertFalse(
        RESPONSES
            .parse(
                input("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"), "GET")
            .keepAlive());
    assertTrue(
        RESPONSES
            .parse(
                input("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"),
                "GET")
            .keepAlive());
    // Transfer-Encoding wins over Content-Length, and the connection is not kept.
    Http1Response both =
        RESPONSES.parse(
            input("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"),
            "GET");
    assertEquals(Http1BodyFraming.CHUNKED, both.framing());
    assertFalse(both.keepAlive());
    assertEquals(
        "", RESPONSES.parse(input("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"), "GET").reason());
  }

  @Test
  void malformedResponseHeads() {
    for (String bad :
        new String[] {
          "HTTP/1.1 20 OK\r\n\r\n",
          "HTTP/1.1 2000 OK\r\n\r\n",
          "HTTP/2.0 200 OK\r\n\r\n",
          "HTTP/1.1 abc OK\r\n\r\n",
          "<html>\r\n\r\n",
          "HTTP/1.1 200 OK\r\nX-Folded: a\r\n  b\r\n\r\n",
          "HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n",
          "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
          "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n",
          "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
          "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
        }) {
      fails(FailureKind.PROTOCOL_ERROR, () -> RESPONSES.parse(input(bad), "GET"));
    }
    fails(
        FailureKind.CONNECTION_CLOSED,
        () -> RESPONSES.parse(input("HTTP/1.1 200 OK\r\nContent-Le"), "GET"));
    fails(FailureKind.CONNECTION_CLOSED, () -> RESPONSES.parse(input("HTTP/1.1 2"), "GET"));
  }

  @Test
  void headLimits() throws Exception {
    Http1ResponseParser strict = new Http1ResponseParser(new Http1Limits(100, 300, 64, 100));
    fails(
        FailureKind.RESPONSE_TOO_LARGE,
        () -> strict.parse(input("HTTP/1.1 200 " + "O".repeat(200) + "\r\n\r\n"), "GET"));
    fails(
        FailureKind.RESPONSE_TOO_LARGE,
        () ->
            strict.parse(
                input("HTTP/1.1 200 OK\r\n" + "X-A: 12345678901234567890\r\n".repeat(20) + "\r\n"),
                "GET"));
    // A line that never ends is cut off at the limit, not buffered forever.
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 'a';
          }
        };
    fails(FailureKind.RESPONSE_TOO_LARGE, () -> strict.parse(new Http1Input(endless, 64), "GET"));
    // Same duplicate Content-Length is fine.
    assertEquals(
        5,
        RESPONSES
            .parse(
                input("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n"), "GET")
            .contentLength());
  }

  @Test
  void requestParserAndResponseWriter() throws Exception {
    String wire =
        "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
            + "PUT /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
            + "GET / HTTP/1.1\r\nhost: a\r\nUser-Agent: ua\r\n\r\n";
    Http1Input in = input(wire);
    Http1Request post = REQUESTS.parse(in);
    assertEquals("POST", post.method());
    assertEquals("/upload", post.target());
    assertEquals(
        "abc",
        new String(
            in.body(post.framing(), post.contentLength(), Http1Limits.DEFAULT).readAllBytes(),
            StandardCharsets.US_ASCII));
    Http1Request put = REQUESTS.parse(in);
    assertEquals(Http1BodyFraming.CHUNKED, put.framing());
    assertEquals(
        "hi",
        new String(
            in.body(put.framing(), -1, Http1Limits.DEFAULT).readAllBytes(),
            StandardCharsets.US_ASCII));
    Http1Request get = REQUESTS.parse(in);
    assertEquals(List.of(new Header("host", "a"), new Header("User-Agent", "ua")), get.headers());
    assertEquals(Http1BodyFraming.NONE, get.framing());
    assertNull(REQUESTS.parse(in));

    for (String bad :
        new String[] {
          "GET /\r\n\r\n",
          "GET  / HTTP/1.1\r\n\r\n",
          "GET / HTTP/1.1 x\r\n\r\n",
          "G@T / HTTP/1.1\r\n\r\n",
          "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
          "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
        }) {
      fails(FailureKind.PROTOCOL_ERROR, () -> REQUESTS.parse(input(bad)));
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Http1ResponseWriter()
        .writeHead(out, 200, "OK", List.of(new Header("Transfer-Encoding", "chunked")));
    try (ChunkedOutputStream chunked = new ChunkedOutputStream(out)) {
      chunked.write("hello".getBytes(StandardCharsets.US_ASCII));
      chunked.write(", world".getBytes(StandardCharsets.US_ASCII));
      chunked.finish(List.of(new Header("X-Sum", "1")));
    }
    Http1Input back = new Http1Input(new ByteArrayInputStream(out.toByteArray()));
    Http1Response r = RESPONSES.parse(back, "GET");
    ChunkedInputStream body = (ChunkedInputStream) back.body(r.framing(), -1, Http1Limits.DEFAULT);
    assertArrayEquals("hello, world".getBytes(StandardCharsets.US_ASCII), body.readAllBytes());
    assertEquals(List.of(new Header("X-Sum", "1")), body.trailers());
  }
}
