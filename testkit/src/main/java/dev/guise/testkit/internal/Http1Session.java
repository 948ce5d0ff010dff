package dev.guise.testkit.internal;

import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.testkit.RequestRecord;
import dev.guise.testkit.TestRequest;
import dev.guise.testkit.TestResponse;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 on one TLS connection: keep-alive, Content-Length and chunked bodies both ways,
 * {@code Connection: close}. Requests are served one after the other on the connection's thread.
 *
 * <p>The request parser is a private stand-in until the codec module's HTTP/1.1 request parser is
 * available; it is strict and bounded (head size, body size, chunk-size line length).
 */
final class Http1Session {
  private static final int MAX_CHUNK_LINE = 1024;
  private static final int WRITE_CHUNK = 8192;

  private final ServerEngine engine;
  private final LiveConnection connection;
  private final InputStream in;
  private final OutputStream out;

  Http1Session(ServerEngine engine, LiveConnection connection, SSLSocket tls) throws IOException {
    this.engine = engine;
    this.connection = connection;
    this.in = new BufferedInputStream(tls.getInputStream(), 16 * 1024);
    this.out = new BufferedOutputStream(tls.getOutputStream(), 16 * 1024);
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
    int[] headBudget = {engine.config().maxHeaderBytes()};
    String requestLine = readLine(headBudget, true);
    if (requestLine == null) {
      return false; // clean close between requests
    }
    connection.requestStarted();
    try {
      String[] parts = requestLine.split(" ", -1);
      if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()
          || !parts[2].startsWith("HTTP/1.")) {
        writeSimple(400, "malformed request line\n");
        return false;
      }
      List<Header> headers = new ArrayList<>();
      while (true) {
        String line = readLine(headBudget, false);
        if (line.isEmpty()) {
          break;
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
          writeSimple(400, "malformed header line\n");
          return false;
        }
        try {
          headers.add(new Header(line.substring(0, colon), line.substring(colon + 1).strip()));
        } catch (IllegalArgumentException e) {
          writeSimple(400, "malformed header line\n");
          return false;
        }
      }
      connection.log.request(new RequestRecord(HttpProtocol.HTTP_1_1, 0, requestLine, headers));
      byte[] body;
      try {
        body = readBody(headers);
      } catch (ProtocolException e) {
        writeSimple(400, e.getMessage() + "\n");
        return false;
      }
      String authority = "";
      for (Header h : headers) {
        if (h.is("host")) {
          authority = h.value();
          break;
        }
      }
      boolean keepAlive = parts[2].equals("HTTP/1.1") && !hasToken(headers, "connection", "close");
      TestRequest request =
          new TestRequest(
              connection.log,
              HttpProtocol.HTTP_1_1,
              0,
              parts[0],
              parts[1],
              authority,
              headers,
              body);
      ServerEngine.Decision decision = engine.decide(request);
      boolean head = parts[0].equals("HEAD");
      if (decision.fault() != null) {
        switch (decision.fault().kind()) {
          case STALL -> {
            stall();
            return false;
          }
          case GOAWAY -> {
            TestResponse r = TestResponse.text(200, "closing (GOAWAY fault)\n");
            write(r, false, head, Integer.MAX_VALUE);
            return false;
          }
          case RESET -> {
            write(decision.response(), keepAlive, head, decision.fault().bytesBeforeReset());
            out.flush();
            connection.reset();
            return false;
          }
          default -> {
            // STATUS: an ordinary response built by the engine.
          }
        }
      }
      write(decision.response(), keepAlive, head, Integer.MAX_VALUE);
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

  private byte[] readBody(List<Header> headers) throws IOException {
    int max = engine.config().maxBodyBytes();
    if (hasToken(headers, "transfer-encoding", "chunked")) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        int[] budget = {MAX_CHUNK_LINE};
        String sizeLine = readLine(budget, false);
        int semi = sizeLine.indexOf(';');
        String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip();
        int size;
        try {
          size = Integer.parseInt(hex, 16);
        } catch (NumberFormatException e) {
          throw new ProtocolException("bad chunk size: " + hex);
        }
        if (size < 0 || body.size() + (long) size > max) {
          throw new ProtocolException("request body larger than " + max + " bytes");
        }
        if (size == 0) {
          // Trailers, bounded like a head, then the empty line.
          int[] trailerBudget = {engine.config().maxHeaderBytes()};
          while (!readLine(trailerBudget, false).isEmpty()) {
            // trailers are not kept
          }
          return body.toByteArray();
        }
        byte[] chunk = in.readNBytes(size);
        if (chunk.length != size) {
          throw new EOFException("connection closed inside a chunk");
        }
        body.write(chunk);
        int[] crlfBudget = {2};
        if (!readLine(crlfBudget, false).isEmpty()) {
          throw new ProtocolException("chunk not followed by CRLF");
        }
      }
    }
    long length = 0;
    for (Header h : headers) {
      if (h.is("content-length")) {
        try {
          length = Long.parseLong(h.value());
        } catch (NumberFormatException e) {
          throw new ProtocolException("bad content-length: " + h.value());
        }
      }
    }
    if (length < 0 || length > max) {
      throw new ProtocolException("request body larger than " + max + " bytes");
    }
    byte[] body = in.readNBytes((int) length);
    if (body.length != length) {
      throw new EOFException("connection closed inside the request body");
    }
    return body;
  }

  /**
   * One CRLF-terminated line (a bare LF is tolerated), charged against {@code budget[0]}. Null at
   * EOF before the first byte when {@code eofAllowed}.
   */
  private String readLine(int[] budget, boolean eofAllowed) throws IOException {
    StringBuilder line = new StringBuilder();
    boolean any = false;
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (!any && eofAllowed) {
          return null;
        }
        throw new EOFException("connection closed inside a request head");
      }
      any = true;
      if (--budget[0] < 0) {
        throw new ProtocolException("request head too large");
      }
      if (b == '\n') {
        int n = line.length();
        if (n > 0 && line.charAt(n - 1) == '\r') {
          line.setLength(n - 1);
        }
        return line.toString();
      }
      line.append((char) b);
    }
  }

  private void writeSimple(int status, String text) throws IOException {
    write(TestResponse.text(status, text), false, false, Integer.MAX_VALUE);
    out.flush();
  }

  /** Writes head and body; at most {@code bodyLimit} body bytes (RESET cuts it short). */
  private void write(TestResponse r, boolean keepAlive, boolean head, int bodyLimit)
      throws IOException {
    byte[] body = r.body();
    StringBuilder h = new StringBuilder(256);
    h.append("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
    for (Header header : r.headers()) {
      h.append(header.name()).append(": ").append(header.value()).append("\r\n");
    }
    if (r.chunked()) {
      h.append("transfer-encoding: chunked\r\n");
    } else {
      h.append("content-length: ").append(body.length).append("\r\n");
    }
    if (!keepAlive) {
      h.append("connection: close\r\n");
    }
    h.append("\r\n");
    out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (head) {
      return;
    }
    int limit = Math.min(bodyLimit, body.length);
    if (!r.chunked()) {
      out.write(body, 0, limit);
      return;
    }
    for (int off = 0; off < limit; off += WRITE_CHUNK) {
      int n = Math.min(WRITE_CHUNK, limit - off);
      out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, off, n);
      out.write(CRLF);
    }
    if (limit == body.length) {
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static final byte[] CRLF = {'\r', '\n'};

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
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Status " + status;
    };
  }
}
