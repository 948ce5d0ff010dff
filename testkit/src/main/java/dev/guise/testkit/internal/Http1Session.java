package dev.guise.testkit.internal;

import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.api.PoolAction;
import dev.guise.codec.CodecException;
import dev.guise.codec.http1.ChunkedOutputStream;
import dev.guise.codec.http1.Http1BodyFraming;
import dev.guise.codec.http1.Http1Input;
import dev.guise.codec.http1.Http1Limits;
import dev.guise.codec.http1.Http1Request;
import dev.guise.codec.http1.Http1RequestParser;
import dev.guise.codec.http1.Http1ResponseWriter;
import dev.guise.testkit.RequestRecord;
import dev.guise.testkit.TestBody;
import dev.guise.testkit.TestRequest;
import dev.guise.testkit.TestResponse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 on one TLS connection: keep-alive, Content-Length and chunked bodies both ways, {@code
 * Connection: close}. Requests are served one after the other on the connection's thread.
 *
 * <p>Parsing and body framing are the codec's ({@link Http1RequestParser}, {@link Http1Input} and
 * its body streams, {@link Http1ResponseWriter}, {@link ChunkedOutputStream}), strict and bounded:
 * a malformed head is answered 400, a head over the limit 431, a body over the limit 413, and the
 * connection is closed after each of them (its byte stream can no longer be trusted).
 */
final class Http1Session {
  private static final int WRITE_CHUNK = 8192;
  private static final int MAX_CHUNK_LINE = 1024;

  private final ServerRuntime runtime;
  private final LiveConnection connection;
  private final Http1Input in;
  private final OutputStream out;
  private final Http1Limits limits;
  private final Http1RequestParser parser;
  private final Http1ResponseWriter responseWriter = new Http1ResponseWriter();

  Http1Session(ServerRuntime runtime, LiveConnection connection, SSLSocket tls) throws IOException {
    this.runtime = runtime;
    this.connection = connection;
    this.in = new Http1Input(tls.getInputStream(), 16 * 1024);
    this.out = new BufferedOutputStream(tls.getOutputStream(), 16 * 1024);
    // One limit for the whole head, as configured; a single line may use all of it.
    int head = Math.max(16, runtime.config().maxHeaderBytes());
    this.limits = new Http1Limits(head, head, MAX_CHUNK_LINE, head);
    this.parser = new Http1RequestParser(limits);
  }

  void run() throws IOException {
    while (!connection.isClosed()) {
      if (!serveOne()) {
        out.flush();
        return;
      }
    }
  }

  /** Serves one request; false when the connection must close after it (or had no request). */
  private boolean serveOne() throws IOException {
    Http1Request head;
    try {
      head = parser.parse(in);
    } catch (CodecException e) {
      // Counted as a request: the client did send one, however broken.
      connection.requestStarted();
      try {
        connection.log.failure("bad HTTP/1.1 request: " + e.getMessage());
        boolean tooLarge = e.kind() == FailureKind.RESPONSE_TOO_LARGE;
        writeSimple(tooLarge ? 431 : 400, e.getMessage() + "\n");
        return false;
      } finally {
        connection.requestFinished();
      }
    }
    if (head == null) {
      return false; // clean close between requests
    }
    connection.requestStarted();
    try {
      String requestLine = head.method() + " " + head.target() + " " + head.version();
      List<Header> headers = head.headers();
      connection.log.request(new RequestRecord(HttpProtocol.HTTP_1_1, 0, requestLine, headers));
      byte[] body;
      try {
        body = readBody(head);
      } catch (CodecException e) {
        connection.log.failure("bad HTTP/1.1 request body: " + e.getMessage());
        writeSimple(e.kind() == FailureKind.RESPONSE_TOO_LARGE ? 413 : 400, e.getMessage() + "\n");
        return false;
      }
      String authority = head.header("host");
      boolean keepAlive =
          head.version().equals("HTTP/1.1") && !hasToken(headers, "connection", "close");
      TestRequest request =
          new TestRequest(
              connection.log,
              HttpProtocol.HTTP_1_1,
              0,
              head.method(),
              head.target(),
              authority == null ? "" : authority,
              headers,
              body);
      ServerRuntime.Decision decision = runtime.decide(request);
      boolean isHead = head.method().equals("HEAD");
      if (decision.fault() != null) {
        switch (decision.fault().kind()) {
          case STALL -> {
            stall();
            return false;
          }
          case GOAWAY -> {
            TestResponse r = TestResponse.text(200, "closing (GOAWAY fault)\n");
            write(r, false, isHead, Integer.MAX_VALUE);
            return false;
          }
          case RESET -> {
            write(decision.response(), keepAlive, isHead, decision.fault().bytesBeforeReset());
            out.flush();
            connection.reset();
            return false;
          }
          default -> {
            // STATUS: an ordinary response built by the runtime.
          }
        }
      }
      write(decision.response(), keepAlive, isHead, Integer.MAX_VALUE);
      out.flush();
      return keepAlive;
    } finally {
      connection.requestFinished();
    }
  }

  /**
   * Never answers: reads (and drops) whatever the client sends until it closes, or until the server
   * closes the socket (stop, down, idle close) and the read fails.
   */
  private void stall() throws IOException {
    out.flush();
    byte[] sink = new byte[4096];
    while (!connection.isClosed()) {
      try {
        if (in.read(sink) < 0) {
          return;
        }
      } catch (SocketTimeoutException e) {
        // Silence is what a stalled client does too; keep waiting.
      }
    }
  }

  private static boolean hasToken(List<Header> headers, String name, String token) {
    for (Header h : headers) {
      if (h.is(name)) {
        for (String t : h.value().split(",")) {
          if (t.strip().equalsIgnoreCase(token)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * The whole request body, read to its end (for chunked bodies that includes the trailers, so the
   * next request starts in step).
   *
   * @throws CodecException RESPONSE_TOO_LARGE beyond the configured maximum, PROTOCOL_ERROR for bad
   *     chunked framing
   */
  private byte[] readBody(Http1Request head) throws IOException {
    int max = runtime.config().maxBodyBytes();
    if (head.framing() == Http1BodyFraming.CONTENT_LENGTH && head.contentLength() > max) {
      throw tooLarge(max);
    }
    InputStream body = in.body(head.framing(), head.contentLength(), limits);
    // One byte more than allowed tells "at the limit" from "over it" without reading on.
    byte[] bytes = body.readNBytes(max + 1);
    if (bytes.length > max) {
      throw tooLarge(max);
    }
    return bytes;
  }

  private static CodecException tooLarge(int max) {
    return CodecException.tooLarge(
        "request body larger than " + max + " bytes", PoolAction.DISCARD_CONNECTION);
  }

  private void writeSimple(int status, String text) throws IOException {
    write(TestResponse.text(status, text), false, false, Integer.MAX_VALUE);
    out.flush();
  }

  /** Writes head and body; at most {@code bodyLimit} body bytes (RESET cuts it short). */
  private void write(TestResponse r, boolean keepAlive, boolean head, int bodyLimit)
      throws IOException {
    TestBody body = r.bodySource();
    boolean chunkedBody = r.chunked() || !body.declaresLength();
    List<Header> fields = new ArrayList<>(r.headers().size() + 2);
    fields.addAll(r.headers());
    if (chunkedBody) {
      fields.add(new Header("transfer-encoding", "chunked"));
    } else {
      fields.add(new Header("content-length", Long.toString(body.length())));
    }
    if (!keepAlive) {
      fields.add(new Header("connection", "close"));
    }
    responseWriter.writeHead(out, r.status(), reason(r.status()), fields);
    if (head) {
      return;
    }
    long limit = Math.min(bodyLimit, body.length());
    OutputStream target = chunkedBody ? new ChunkedOutputStream(out) : out;
    // Generated piece by piece: a large body is never held whole.
    byte[] piece = new byte[WRITE_CHUNK];
    for (long off = 0; off < limit; off += WRITE_CHUNK) {
      int n = (int) Math.min(WRITE_CHUNK, limit - off);
      try {
        body.fill(off, piece, 0, n);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("server stopping");
      }
      target.write(piece, 0, n);
    }
    if (chunkedBody && limit == body.length()) {
      ((ChunkedOutputStream) target).finish(List.of());
    }
  }

  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 204 -> "No Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 413 -> "Content Too Large";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Status " + status;
    };
  }
}
