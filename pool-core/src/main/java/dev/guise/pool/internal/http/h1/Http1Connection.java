package dev.guise.pool.internal.http.h1;

import static dev.guise.pool.internal.http.HttpFailures.remaining;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.internal.http.ContentDecoding;
import dev.guise.pool.internal.http.HttpConnection;
import dev.guise.pool.internal.http.HttpFailures;
import dev.guise.pool.internal.http.WireProfile;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 client connection (RFC 9112) over any {@link TlsConnection}: one exchange at a time,
 * keep-alive, {@code Content-Length}, chunked and close-delimited bodies, interim (1xx) responses
 * skipped, headers in the profile's browser order ({@link WireProfile#http1Headers}).
 *
 * <p>Reuse: the connection stays usable after a response only when the response was delimited
 * (length or chunked), neither side said {@code Connection: close}, and nothing followed the body
 * (a body longer than its {@code Content-Length} leaves bytes behind: the connection is then out of
 * step and is not reused).
 *
 * <p>Timeouts: every read blocks at most until the exchange's deadline (the read timeout is set to
 * what is left before each read, so a server dribbling a byte at a time still ends at the
 * deadline); a write blocked past the deadline is ended by closing the connection.
 */
public final class Http1Connection implements HttpConnection {
  private static final int MAX_CHUNK_LINE = 4096;
  private static final ScheduledExecutorService WRITE_GUARD = dev.guise.pool.internal.http.IoDeadlines.timer();

  private final TlsConnection tls;
  private final TlsEndpoint endpoint;
  private final WireProfile profile;
  private final BufferedInputStream in;
  private final OutputStream out;
  private final AtomicBoolean busy = new AtomicBoolean();
  private final AtomicLong exchanges = new AtomicLong();
  private volatile boolean usable = true;
  private volatile boolean closed;

  private Http1Connection(TlsConnection tls, TlsEndpoint endpoint, WireProfile profile) throws IOException {
    this.tls = tls;
    this.endpoint = endpoint;
    this.profile = profile;
    this.in = new BufferedInputStream(tls.input(), 16 * 1024);
    this.out = new BufferedOutputStream(tls.output(), 16 * 1024);
  }

  /** Speaks HTTP/1.1 over {@code tls}, which the connection owns from here on. */
  public static Http1Connection open(TlsConnection tls, TlsEndpoint endpoint, WireProfile profile)
      throws IOException {
    return new Http1Connection(tls, endpoint, profile);
  }

  @Override
  public HttpProtocol protocol() {
    return HttpProtocol.HTTP_1_1;
  }

  @Override
  public TlsEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public NegotiatedTls tls() {
    return tls.negotiated();
  }

  @Override
  public int maxConcurrentStreams() {
    return 1;
  }

  @Override
  public int activeStreams() {
    return busy.get() ? 1 : 0;
  }

  @Override
  public boolean isUsable() {
    return usable && !closed && tls.isOpen();
  }

  /**
   * Peeks for one byte with a 1 ms read timeout. {@code available()} is not enough: a TLS stream
   * may hold undecrypted records (or only a close_notify) and still say 0. Guarded by the same flag
   * as {@link #exchange}, so it never reads while an exchange does; a byte it finds stays in the
   * buffer, and the connection is marked unusable anyway.
   */
  @Override
  public boolean hasUnexpectedInput() {
    if (!busy.compareAndSet(false, true)) {
      return false;
    }
    try {
      if (closed || !tls.isOpen()) {
        return true;
      }
      if (in.available() > 0) {
        usable = false;
        return true;
      }
      tls.setReadTimeout(Duration.ofMillis(1));
      in.mark(1);
      int b = in.read();
      if (b >= 0) {
        in.reset();
      }
      usable = false;
      return true;
    } catch (SocketTimeoutException quiet) {
      return false;
    } catch (IOException broken) {
      usable = false;
      return true;
    } finally {
      busy.set(false);
    }
  }

  @Override
  public long exchangeCount() {
    return exchanges.get();
  }

  @Override
  public HttpResponse exchange(HttpRequest request, ExchangeLimits limits, long deadlineNanos)
      throws IOException {
    if (!busy.compareAndSet(false, true)) {
      throw new IllegalStateException("an HTTP/1.1 connection carries one exchange at a time");
    }
    try {
      if (!isUsable()) {
        throw HttpFailures.notProcessed("HTTP/1.1 connection to " + endpoint + " is not reusable");
      }
      boolean reused = exchanges.getAndIncrement() > 0;
      byte[] head = requestHead(request);
      byte[] body = request.body().orElse(null);
      writeRequest(head, body, deadlineNanos);
      Response r = readResponse(request.method().equals("HEAD"), limits, deadlineNanos);
      if (!r.reusable) {
        usable = false;
      }
      byte[] decoded = ContentDecoding.decode(r.headers, r.body, limits.maxBodyBytes(), limits.truncateBody()).body();
      if (!usable) {
        close();
      }
      return new HttpResponse(r.status, r.headers, decoded, r.trailers, HttpProtocol.HTTP_1_1, endpoint,
          tls.negotiated().profile(), reused);
    } catch (ClassifiedIOException e) {
      if (e.failure().action() != PoolAction.KEEP) {
        usable = false;
        close();
      }
      throw e;
    } catch (SocketTimeoutException e) {
      usable = false;
      close();
      throw HttpFailures.readTimeout("no complete HTTP/1.1 response from " + endpoint + " before the deadline");
    } catch (IOException e) {
      usable = false;
      boolean wasClosed = closed;
      close();
      throw wasClosed
          ? HttpFailures.closed("HTTP/1.1 connection to " + endpoint + " was closed", e)
          : HttpFailures.reset("HTTP/1.1 exchange with " + endpoint + " failed: " + e.getMessage(), e);
    } finally {
      busy.set(false);
    }
  }

  private byte[] requestHead(HttpRequest request) throws ClassifiedIOException {
    List<Header> caller = new ArrayList<>(request.headers());
    int bodyLength = request.bodyLength();
    boolean hasBody = request.body().isPresent();
    if (hasBody && caller.stream().noneMatch(h -> h.is("content-length"))) {
      caller.add(new Header("content-length", Integer.toString(bodyLength)));
    }
    String authority = request.port() == 443 ? hostLiteral(request.host()) : hostLiteral(request.host()) + ":" + request.port();
    StringBuilder sb = new StringBuilder(512);
    sb.append(request.method()).append(' ').append(request.pathAndQuery()).append(" HTTP/1.1\r\n");
    for (Header h : profile.http1Headers(authority, caller)) {
      sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }
    sb.append("\r\n");
    for (int i = 0; i < sb.length(); i++) {
      if (sb.charAt(i) > 0xff) {
        throw new ClassifiedIOException(FailureKind.INVALID_REQUEST, false, PoolAction.KEEP,
            "request head has characters outside ISO-8859-1", null);
      }
    }
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String hostLiteral(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private void writeRequest(byte[] head, byte[] body, long deadlineNanos) throws IOException {
    long left = remaining(deadlineNanos);
    if (left <= 0) {
      throw HttpFailures.deadline("deadline passed before the request to " + endpoint + " was sent");
    }
    AtomicBoolean timedOut = new AtomicBoolean();
    // A peer that stops reading blocks the write in the socket; closing the connection ends it.
    ScheduledFuture<?> guard = WRITE_GUARD.schedule(() -> {
      timedOut.set(true);
      Thread.ofVirtual().start(this::close);
    }, left, TimeUnit.NANOSECONDS);
    try {
      out.write(head);
      if (body != null) {
        out.write(body);
      }
      out.flush();
    } catch (IOException e) {
      if (timedOut.get()) {
        throw HttpFailures.deadline("writing the request to " + endpoint + " blocked past the deadline");
      }
      throw e;
    } finally {
      guard.cancel(false);
    }
  }

  private record Response(int status, List<Header> headers, byte[] body, List<Header> trailers, boolean reusable) {}

  private Response readResponse(boolean head, ExchangeLimits limits, long deadlineNanos) throws IOException {
    Reader reader = new Reader(deadlineNanos, limits.maxHeaderListSize());
    while (true) {
      String statusLine = reader.line("status line");
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3
          || !parts[1].chars().allMatch(Character::isDigit)) {
        throw HttpFailures.protocol("malformed HTTP/1.1 status line from " + endpoint + ": "
            + truncate(statusLine));
      }
      boolean http10 = parts[0].equals("HTTP/1.0");
      int status = Integer.parseInt(parts[1]);
      List<Header> headers = reader.fields("header");
      if (status == 101) {
        throw HttpFailures.protocol("unexpected 101 Switching Protocols from " + endpoint);
      }
      if (status < 200) {
        continue; // interim response; the final one follows
      }
      boolean close = http10 ? !hasToken(headers, "connection", "keep-alive") : hasToken(headers, "connection", "close");
      if (head || status == 204 || status == 304) {
        return new Response(status, headers, new byte[0], List.of(), !close);
      }
      long rawLimit = limits.maxBodyBytes() + 64 * 1024;
      String transferEncoding = joined(headers, "transfer-encoding");
      if (transferEncoding != null) {
        String[] codings = transferEncoding.toLowerCase(Locale.ROOT).split(",");
        if (!codings[codings.length - 1].trim().equals("chunked")) {
          // Without chunked last, the body runs to the close (RFC 9112 section 6.3).
          byte[] body = reader.untilClose(rawLimit, limits.truncateBody());
          return new Response(status, headers, body, List.of(), false);
        }
        ChunkedBody chunked = reader.chunked(rawLimit, limits.truncateBody());
        return new Response(status, headers, chunked.body, chunked.trailers, !close && !chunked.truncated);
      }
      long length = contentLength(headers);
      if (length >= 0) {
        if (length > rawLimit && !limits.truncateBody()) {
          throw HttpFailures.tooLarge("response Content-Length " + length + " from " + endpoint
              + " exceeds the limit of " + limits.maxBodyBytes() + " bytes", PoolAction.DISCARD_CONNECTION);
        }
        int keep = (int) Math.min(length, rawLimit);
        byte[] body = reader.exactly(keep);
        boolean complete = keep == length;
        // Bytes already buffered beyond the body: the server sent more than it declared.
        boolean trailing = in.available() > 0;
        return new Response(status, headers, body, List.of(), !close && complete && !trailing);
      }
      byte[] body = reader.untilClose(rawLimit, limits.truncateBody());
      return new Response(status, headers, body, List.of(), false);
    }
  }

  private long contentLength(List<Header> headers) throws ClassifiedIOException {
    long length = -1;
    for (Header h : headers) {
      if (h.is("content-length")) {
        for (String v : h.value().split(",")) {
          long parsed;
          try {
            parsed = Long.parseLong(v.trim());
          } catch (NumberFormatException e) {
            throw HttpFailures.protocol("malformed Content-Length from " + endpoint + ": " + truncate(h.value()));
          }
          if (parsed < 0 || (length >= 0 && parsed != length)) {
            throw HttpFailures.protocol("conflicting Content-Length from " + endpoint);
          }
          length = parsed;
        }
      }
    }
    return length;
  }

  private static String joined(List<Header> headers, String name) {
    String v = null;
    for (Header h : headers) {
      if (h.is(name)) {
        v = v == null ? h.value() : v + "," + h.value();
      }
    }
    return v;
  }

  private static boolean hasToken(List<Header> headers, String name, String token) {
    String v = joined(headers, name);
    if (v == null) {
      return false;
    }
    for (String t : v.split(",")) {
      if (t.trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  private static String truncate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  @Override
  public Duration ping(Duration timeout) {
    throw new UnsupportedOperationException("HTTP/1.1 has no PING");
  }

  @Override
  public void close() {
    closed = true;
    usable = false;
    try {
      tls.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  @Override
  public String toString() {
    return "http/1.1 " + endpoint + " (" + profile.name() + ")";
  }

  private record ChunkedBody(byte[] body, List<Header> trailers, boolean truncated) {}

  /** Reads one response, every read bounded by the deadline and every structure by a limit. */
  private final class Reader {
    private final long deadlineNanos;
    private final int maxHeaderBytes;
    private int headerBytes;

    Reader(long deadlineNanos, int maxHeaderBytes) {
      this.deadlineNanos = deadlineNanos;
      this.maxHeaderBytes = maxHeaderBytes;
    }

    private void arm() throws IOException {
      long left = remaining(deadlineNanos);
      if (left <= 0) {
        throw new SocketTimeoutException("deadline passed");
      }
      tls.setReadTimeout(Duration.ofMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
    }

    private int read() throws IOException {
      if (in.available() == 0) {
        arm();
      }
      int b = in.read();
      if (b < 0) {
        throw HttpFailures.closed("the server closed the HTTP/1.1 connection " + endpoint + " mid-response", null);
      }
      return b;
    }

    /** A CRLF- (or LF-) terminated line, counted against the header limit. */
    String line(String what) throws IOException {
      return line(what, maxHeaderBytes - headerBytes, true);
    }

    private String line(String what, int max, boolean countHeaders) throws IOException {
      StringBuilder sb = new StringBuilder(64);
      while (true) {
        int b = read();
        if (countHeaders && ++headerBytes > maxHeaderBytes) {
          throw HttpFailures.tooLarge("HTTP/1.1 response head from " + endpoint + " exceeds the limit of "
              + maxHeaderBytes + " bytes", PoolAction.DISCARD_CONNECTION);
        }
        if (b == '\n') {
          int n = sb.length();
          return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
        }
        if (sb.length() >= max) {
          throw HttpFailures.protocol("HTTP/1.1 " + what + " from " + endpoint + " longer than " + max + " bytes");
        }
        sb.append((char) b);
      }
    }

    List<Header> fields(String what) throws IOException {
      List<Header> fields = new ArrayList<>();
      while (true) {
        String line = line(what);
        if (line.isEmpty()) {
          return fields;
        }
        if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
          throw HttpFailures.protocol("obsolete line folding in " + what + " from " + endpoint);
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw HttpFailures.protocol("malformed " + what + " line from " + endpoint + ": " + truncate(line));
        }
        try {
          fields.add(new Header(line.substring(0, colon), line.substring(colon + 1).strip()));
        } catch (IllegalArgumentException e) {
          throw HttpFailures.protocol("malformed " + what + " from " + endpoint + ": " + e.getMessage());
        }
      }
    }

    byte[] exactly(int n) throws IOException {
      byte[] b = new byte[Math.min(n, 1 << 20)];
      int off = 0;
      while (off < n) {
        if (off == b.length) {
          b = java.util.Arrays.copyOf(b, (int) Math.min(n, b.length * 2L));
        }
        if (in.available() == 0) {
          arm();
        }
        int r = in.read(b, off, b.length - off);
        if (r < 0) {
          throw HttpFailures.closed("the server closed " + endpoint + " after " + off + " of " + n + " body bytes", null);
        }
        off += r;
      }
      return b;
    }

    byte[] untilClose(long limit, boolean truncate) throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      byte[] buf = new byte[16 * 1024];
      while (true) {
        if (in.available() == 0) {
          arm();
        }
        int r = in.read(buf);
        if (r < 0) {
          return body.toByteArray();
        }
        if (body.size() + r > limit) {
          if (truncate) {
            body.write(buf, 0, (int) (limit - body.size()));
            return body.toByteArray();
          }
          throw HttpFailures.tooLarge("response body from " + endpoint + " exceeds the limit", PoolAction.DISCARD_CONNECTION);
        }
        body.write(buf, 0, r);
      }
    }

    ChunkedBody chunked(long limit, boolean truncate) throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = line("chunk size", MAX_CHUNK_LINE, false);
        int semi = sizeLine.indexOf(';');
        String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).strip();
        if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
          throw HttpFailures.protocol("malformed chunk size from " + endpoint + ": " + truncate(sizeLine));
        }
        long size = Long.parseLong(hex, 16);
        if (size == 0) {
          List<Header> trailers = fields("trailer");
          return new ChunkedBody(body.toByteArray(), trailers, false);
        }
        if (body.size() + size > limit) {
          if (truncate) {
            int keep = (int) (limit - body.size());
            body.write(exactly(keep), 0, keep);
            return new ChunkedBody(body.toByteArray(), List.of(), true);
          }
          throw HttpFailures.tooLarge("chunked response body from " + endpoint + " exceeds the limit",
              PoolAction.DISCARD_CONNECTION);
        }
        body.write(exactly((int) size), 0, (int) size);
        if (read() != '\r' || read() != '\n') {
          throw HttpFailures.protocol("chunk from " + endpoint + " not followed by CRLF");
        }
      }
    }
  }
}
