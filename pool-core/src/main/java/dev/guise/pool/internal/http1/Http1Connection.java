package dev.guise.pool.internal.http1;

import static dev.guise.pool.internal.exchange.HttpFailures.remaining;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.codec.http1.ChunkedInputStream;
import dev.guise.codec.http1.ContentLengthInputStream;
import dev.guise.codec.http1.Http1BodyFraming;
import dev.guise.codec.http1.Http1Input;
import dev.guise.codec.http1.Http1Limits;
import dev.guise.codec.http1.Http1RequestWriter;
import dev.guise.codec.http1.Http1Response;
import dev.guise.codec.http1.Http1ResponseParser;
import dev.guise.codec.io.DeadlineGuard;
import dev.guise.codec.io.PooledBufferedOutputStream;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.internal.exchange.HttpConnection;
import dev.guise.pool.internal.exchange.HttpFailures;
import dev.guise.pool.internal.exchange.RequestTemplate;
import dev.guise.pool.internal.exchange.ResponseBodies;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 client connection (RFC 9112) over any {@link TlsConnection}: one exchange at a time,
 * keep-alive, {@code Content-Length}, chunked and close-delimited bodies, interim (1xx) responses
 * skipped, headers in the template's browser order ({@link RequestTemplate#http1Headers}).
 *
 * <p>Reuse: the connection stays usable after a response only when the response was delimited
 * (length or chunked), neither side said {@code Connection: close}, and nothing followed the body
 * (a body longer than its {@code Content-Length} leaves bytes behind: the connection is then out of
 * step and is not reused).
 *
 * <p>Timeouts: every read blocks at most until the exchange's deadline (a guard closes the
 * connection at the deadline, so a server dribbling a byte at a time still ends at it: one guard
 * for the whole of an {@link #exchange}, one per read of a streamed body; see {@link
 * DeadlineInput}); a write blocked past the deadline is ended the same way.
 */
public final class Http1Connection implements HttpConnection {
  private static final int MAX_CHUNK_LINE = 4096;

  /** The largest body length a response's head alone may make the connection allocate. */
  private static final int PREALLOCATED = 1 << 20;

  /** Interim (1xx) responses tolerated before the final one. */
  private static final int MAX_INTERIM_RESPONSES = 16;

  private final TlsConnection tls;
  private final TlsEndpoint endpoint;
  private final RequestTemplate template;
  private final DeadlineInput reads;
  private final Http1Input in;
  private final OutputStream out;
  private final Http1RequestWriter requestWriter = new Http1RequestWriter();

  /** The deadline of the exchange reading now; every read of the connection is bounded by it. */
  private volatile long readDeadlineNanos;

  /**
   * Whether reads are bounded by the socket's read timeout rather than a guard: only the health
   * check's probe, whose timeout is the ordinary answer "nothing there" and must not close.
   */
  private volatile boolean probing;

  /**
   * The guard of the whole exchange {@link #exchange} runs, while it runs: its request is written
   * and its response read under one deadline, so one guard bounds them all and the reads arm none
   * of their own. A guard per read was two or three per request, each one an object, a queue append
   * and a visit of the timer's sweep. Null otherwise (a streamed body's reads, the probe).
   */
  private volatile DeadlineGuard exchangeGuard;

  /**
   * Closes the connection from the timer's thread without blocking it: closing TLS may itself block
   * on the peer, and the timer is shared by every connection.
   */
  private final Closeable closeAside = () -> Thread.ofVirtual().start(this::close);

  private final AtomicBoolean busy = new AtomicBoolean();
  private final AtomicLong exchanges = new AtomicLong();
  private volatile boolean usable = true;
  private volatile boolean closed;

  private Http1Connection(TlsConnection tls, TlsEndpoint endpoint, RequestTemplate template)
      throws IOException {
    this.tls = tls;
    this.endpoint = endpoint;
    this.template = template;
    this.reads = new DeadlineInput(tls.input());
    this.in = new Http1Input(reads, 16 * 1024);
    // Both buffers come from the shared pool and go back between exchanges: an idle keep-alive
    // connection holds neither (see releaseBuffers).
    this.out = new PooledBufferedOutputStream(tls.output());
  }

  /** Speaks HTTP/1.1 over {@code tls}, which the connection owns from here on. */
  public static Http1Connection open(
      TlsConnection tls, TlsEndpoint endpoint, RequestTemplate template) throws IOException {
    return new Http1Connection(tls, endpoint, template);
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
  public OptionalInt ticketsKept() {
    return tls.ticketsKept();
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
      // The byte read (if any) is lost, but the connection is never used again anyway.
      readDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
      probing = true;
      in.read();
      usable = false;
      return true;
    } catch (SocketTimeoutException quiet) {
      return false;
    } catch (IOException broken) {
      usable = false;
      return true;
    } finally {
      probing = false;
      in.releaseBuffer();
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
      byte[] body = request.body().orElse(null);
      Response r;
      DeadlineGuard guard = guardExchange(deadlineNanos);
      exchangeGuard = guard;
      try {
        writeRequest(request, body, deadlineNanos, guard);
        readDeadlineNanos = deadlineNanos;
        r = readResponse(request.method(), limits);
      } finally {
        exchangeGuard = null;
        reads.disarm(guard); // before failed() classifies: it asks whether a guard fired
      }
      if (!r.reusable) {
        usable = false;
        close();
      }
      return new HttpResponse(
          r.status,
          r.headers,
          r.body,
          r.trailers,
          HttpProtocol.HTTP_1_1,
          endpoint,
          tls.negotiated().profile(),
          reused);
    } catch (IOException e) {
      throw failed(e, "no complete HTTP/1.1 response from " + endpoint + " before the deadline");
    } finally {
      // The response was read whole (or the connection is done): nothing is left in the buffer
      // of a reusable connection, so it goes back to the pool until the next exchange.
      in.releaseBuffer();
      busy.set(false);
    }
  }

  /**
   * The guard for an exchange that is about to write: none when the deadline has passed already
   * ({@link #writeRequest} says so before anything is sent).
   */
  private DeadlineGuard guardExchange(long deadlineNanos) {
    return remaining(deadlineNanos) <= 0 ? null : DeadlineGuard.closeAt(deadlineNanos, closeAside);
  }

  /**
   * Classifies a failure of an exchange, closing the connection unless the failure keeps it.
   *
   * @param timedOut the message for a read that timed out
   */
  private IOException failed(IOException e, String timedOut) {
    if (e instanceof ClassifiedIOException c) {
      if (c.failure().action() != PoolAction.KEEP) {
        usable = false;
        close();
      }
      return c;
    }
    usable = false;
    boolean wasClosed = closed;
    close();
    if (e instanceof SocketTimeoutException || reads.guardFired()) {
      return HttpFailures.readTimeout(timedOut);
    }
    return wasClosed
        ? HttpFailures.closed("HTTP/1.1 connection to " + endpoint + " was closed", e)
        : HttpFailures.reset(
            "HTTP/1.1 exchange with " + endpoint + " failed: " + e.getMessage(), e);
  }

  /**
   * The head is read as {@link #exchange} reads it; the body is left on the wire for {@link
   * Http1BodyStream}, which holds the connection (its busy flag and input buffer) until the body
   * ends.
   */
  @Override
  public StreamedBody exchangeStreaming(
      HttpRequest request,
      ExchangeLimits limits,
      long deadlineNanos,
      Duration readTimeout,
      BodyListener ended)
      throws IOException {
    if (!busy.compareAndSet(false, true)) {
      throw new IllegalStateException("an HTTP/1.1 connection carries one exchange at a time");
    }
    boolean handedOver = false;
    try {
      if (!isUsable()) {
        throw HttpFailures.notProcessed("HTTP/1.1 connection to " + endpoint + " is not reusable");
      }
      exchanges.getAndIncrement();
      try (DeadlineGuard guard = guardExchange(deadlineNanos)) {
        writeRequest(request, request.body().orElse(null), deadlineNanos, guard);
      }
      readDeadlineNanos = deadlineNanos;
      int headerBytes = limits.maxHeaderListSize();
      Http1Limits h1Limits = h1Limits(headerBytes);
      Http1Response head = readHead(request.method(), h1Limits);
      String coding = ResponseBodies.contentEncoding(head.headers());
      long max = limits.maxBodyBytes();
      long slack = ResponseBodies.isIdentity(coding) ? 0 : ResponseBodies.RAW_SLACK;
      if (head.framing() == Http1BodyFraming.CONTENT_LENGTH && head.contentLength() > max + slack) {
        throw lengthTooLarge(head.contentLength(), max);
      }
      InputStream raw = in.body(head.framing(), head.contentLength(), h1Limits);
      // No body (HEAD, 204, 304) has nothing to decode, whatever its Content-Encoding says.
      InputStream decoded =
          head.framing() == Http1BodyFraming.NONE ? raw : ResponseBodies.stream(coding, raw, max);
      Http1BodyStream body =
          new Http1BodyStream(
              raw,
              head.framing(),
              decoded,
              head.keepAlive(),
              readTimeout,
              new BodyEnd(ended),
              endpoint);
      handedOver = true;
      return new StreamedBody(head.status(), head.headers(), body, body::trailers);
    } catch (IOException e) {
      throw failed(e, "no HTTP/1.1 response head from " + endpoint + " before the deadline");
    } finally {
      if (!handedOver) {
        in.releaseBuffer();
        busy.set(false);
      }
    }
  }

  /** What the body stream needs of its connection, and the end of the exchange. */
  private final class BodyEnd implements Http1BodyStream.Connection {
    private final BodyListener listener;

    BodyEnd(BodyListener listener) {
      this.listener = listener;
    }

    @Override
    public void readFor(Duration timeout) {
      readDeadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    @Override
    public boolean idle() throws IOException {
      return Http1Connection.this.idle();
    }

    @Override
    public IOException failed(IOException e) {
      return Http1Connection.this.failed(
          e, "the HTTP/1.1 body from " + endpoint + " stalled past the read timeout");
    }

    @Override
    public void ended(boolean reusable, IOException failure) {
      if (!reusable) {
        usable = false;
        close();
      }
      in.releaseBuffer();
      busy.set(false);
      listener.ended(failure);
    }
  }

  private ClassifiedIOException lengthTooLarge(long length, long max) {
    return HttpFailures.tooLarge(
        "response Content-Length "
            + length
            + " from "
            + endpoint
            + " exceeds the limit of "
            + max
            + " bytes",
        PoolAction.DISCARD_CONNECTION);
  }

  private List<Header> requestHeaders(HttpRequest request) {
    List<Header> caller = template.callerHeaders(request);
    int bodyLength = request.bodyLength();
    boolean hasBody = request.body().isPresent();
    if (hasBody && caller.stream().noneMatch(h -> h.is("content-length"))) {
      caller.add(new Header("content-length", Integer.toString(bodyLength)));
    }
    String authority =
        request.port() == 443
            ? hostLiteral(request.host())
            : hostLiteral(request.host()) + ":" + request.port();
    return template.http1Headers(authority, request.kind(), request.redirectHop(), caller);
  }

  private static String hostLiteral(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /**
   * Writes the request under {@code guard}, which closes the connection at {@code deadlineNanos} (a
   * peer that stops reading blocks the write in the socket; closing ends it). The guard is the
   * caller's: an exchange keeps it for the response too.
   */
  private void writeRequest(
      HttpRequest request, byte[] body, long deadlineNanos, DeadlineGuard guard)
      throws IOException {
    List<Header> headers;
    try {
      headers = requestHeaders(request);
    } catch (IllegalArgumentException e) {
      // A kind the profile has no rules for: nothing was sent, the connection is fine.
      throw new ClassifiedIOException(
          FailureKind.INVALID_REQUEST, false, PoolAction.KEEP, e.getMessage(), e);
    }
    if (remaining(deadlineNanos) <= 0) {
      throw HttpFailures.deadline(
          "deadline passed before the request to " + endpoint + " was sent");
    }
    try {
      try {
        requestWriter.writeHead(
            out, request.method(), request.pathAndQuery(), headers, template.http1Lines());
      } catch (IllegalArgumentException e) {
        // Nothing reached the wire: the head is built whole before the buffered stream sees it.
        throw new ClassifiedIOException(
            FailureKind.INVALID_REQUEST,
            false,
            PoolAction.KEEP,
            "invalid HTTP/1.1 request: " + e.getMessage(),
            e);
      }
      if (body != null) {
        out.write(body);
      }
      out.flush();
      tls.replyDue(); // this thread's next read waits for the response
    } catch (IOException e) {
      if (guard != null && guard.fired()) {
        throw HttpFailures.deadline(
            "writing the request to " + endpoint + " blocked past the deadline");
      }
      throw e;
    }
  }

  private record Response(
      int status, List<Header> headers, byte[] body, List<Header> trailers, boolean reusable) {}

  private static Http1Limits h1Limits(int headerBytes) {
    return new Http1Limits(
        Math.max(16, headerBytes), Math.max(16, headerBytes), MAX_CHUNK_LINE, headerBytes);
  }

  private Response readResponse(String method, ExchangeLimits limits) throws IOException {
    Http1Limits h1Limits = h1Limits(limits.maxHeaderListSize());
    return readBody(readHead(method, h1Limits), limits, h1Limits);
  }

  /** The final response's head; interim (1xx) responses are skipped. */
  private Http1Response readHead(String method, Http1Limits h1Limits) throws IOException {
    Http1ResponseParser parser = new Http1ResponseParser(h1Limits);
    for (int interim = 0; ; interim++) {
      Http1Response head = parser.parse(in, method);
      if (head == null) {
        throw HttpFailures.closed(
            "the server closed the HTTP/1.1 connection " + endpoint + " before responding", null);
      }
      if (head.status() == 101) {
        throw HttpFailures.protocol("unexpected 101 Switching Protocols from " + endpoint);
      }
      if (head.status() < 200) {
        if (interim >= MAX_INTERIM_RESPONSES) {
          throw HttpFailures.protocol(
              "more than " + MAX_INTERIM_RESPONSES + " interim responses from " + endpoint);
        }
        continue; // interim response; the final one follows
      }
      return head;
    }
  }

  private Response readBody(Http1Response head, ExchangeLimits limits, Http1Limits h1Limits)
      throws IOException {
    long max = limits.maxBodyBytes();
    boolean truncate = limits.truncateBody();
    String coding = ResponseBodies.contentEncoding(head.headers());
    Http1BodyFraming framing = head.framing();
    if (framing == Http1BodyFraming.NONE) {
      return new Response(
          head.status(), head.headers(), new byte[0], List.of(), head.keepAlive() && idle());
    }
    if (framing == Http1BodyFraming.CONTENT_LENGTH && ResponseBodies.isIdentity(coding)) {
      // The common case: read straight into the body array.
      long length = head.contentLength();
      if (length > max && !truncate) {
        throw lengthTooLarge(length, max);
      }
      int keep = (int) Math.min(length, max);
      byte[] body = readWhole(new ContentLengthInputStream(in, keep), keep);
      boolean complete = keep == length;
      return new Response(
          head.status(), head.headers(), body, List.of(), head.keepAlive() && complete && idle());
    }
    if (framing == Http1BodyFraming.CONTENT_LENGTH
        && head.contentLength() > max + ResponseBodies.RAW_SLACK
        && !truncate) {
      throw lengthTooLarge(head.contentLength(), max);
    }
    if (framing == Http1BodyFraming.CONTENT_LENGTH
        && !truncate
        && head.contentLength() <= PREALLOCATED
        && ResponseBodies.isGzip(coding)) {
      // A gzip body says its decoded size in its last four bytes: read it whole first (it is
      // small), and the page is decoded into one array of its size, not grown in blocks and copied.
      int length = (int) head.contentLength();
      byte[] gzipped = readWhole(new ContentLengthInputStream(in, length), length);
      byte[] body =
          ResponseBodies.read(
              coding,
              new ByteArrayInputStream(gzipped),
              max,
              false,
              false,
              ResponseBodies.gzipSize(coding, List.of(gzipped), length));
      return new Response(
          head.status(), head.headers(), body, List.of(), head.keepAlive() && idle());
    }
    InputStream raw = in.body(framing, head.contentLength(), h1Limits);
    byte[] body = ResponseBodies.read(coding, raw, max, truncate, false);
    boolean complete =
        switch (raw) {
          case ContentLengthInputStream cl -> cl.complete();
          case ChunkedInputStream chunked -> chunked.complete();
          default -> false; // close-delimited: never reused
        };
    List<Header> trailers =
        raw instanceof ChunkedInputStream chunked ? chunked.trailers() : List.of();
    return new Response(
        head.status(), head.headers(), body, trailers, head.keepAlive() && complete && idle());
  }

  /**
   * The {@code length} bytes of a body: read into one array made first when the length is at most
   * {@link #PREALLOCATED} (a server cannot make a connection allocate more than that before its
   * bytes arrive), else gathered as they arrive.
   */
  private static byte[] readWhole(ContentLengthInputStream body, int length) throws IOException {
    if (length > PREALLOCATED) {
      return body.readNBytes(length);
    }
    byte[] whole = new byte[length];
    body.readNBytes(whole, 0, length); // the stream fails, classified, if the body ends early
    return whole;
  }

  /**
   * Whether nothing follows the response: bytes the server sent beyond it put the connection out of
   * step.
   */
  private boolean idle() throws IOException {
    try {
      in.checkIdle();
      return true;
    } catch (ClassifiedIOException unexpected) {
      return false;
    }
  }

  /**
   * The connection's input, every read bounded by what is left of the current deadline, so a server
   * dribbling a byte at a time still ends at it.
   *
   * <p>A read is bounded by a {@link DeadlineGuard} that closes the connection at the deadline (the
   * exchange's own inside {@link #exchange}, one per read otherwise), not by the socket's read
   * timeout: with a read timeout, a virtual thread's every wait for a reply is a timed park, and on
   * JDK 25 each timed park wakes the carrier pool's delay-scheduler thread to take in its timer and
   * again to cancel it (about two context switches per request at one caller). A guard is a queue
   * append. A read that times out loses the connection either way. The health check's probe is the
   * one read whose timeout is an ordinary answer ("nothing there"), and it keeps the socket's read
   * timeout.
   */
  private final class DeadlineInput extends FilterInputStream {
    /**
     * The read timeout last set, in milliseconds (this is the only code that sets it once the
     * connection exists); 0 is none. Reads that find it already right skip the socket option.
     */
    private long armedMillis = -1;

    /** Whether a read's guard fired: the deadline, not the peer, closed the connection. */
    private volatile boolean fired;

    DeadlineInput(InputStream in) {
      super(in);
    }

    /**
     * The guard for the read about to block; null for the probe's (timed by the socket) and inside
     * an exchange, whose guard bounds its reads.
     */
    private DeadlineGuard arm() throws IOException {
      long deadline = readDeadlineNanos;
      long left = remaining(deadline);
      if (left <= 0) {
        throw new SocketTimeoutException("deadline passed");
      }
      if (probing) {
        setReadTimeout(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        return null;
      }
      setReadTimeout(0);
      return exchangeGuard != null ? null : DeadlineGuard.closeAt(deadline, closeAside);
    }

    private void setReadTimeout(long millis) throws IOException {
      if (millis != armedMillis) {
        tls.setReadTimeout(Duration.ofMillis(millis));
        armedMillis = millis;
      }
    }

    /** Disarms a guard of this connection's, noting whether it fired first. */
    void disarm(DeadlineGuard guard) {
      if (guard != null) {
        guard.close();
        if (guard.fired()) {
          fired = true;
        }
      }
    }

    /** Whether a read's guard closed the connection. */
    boolean guardFired() {
      return fired;
    }

    @Override
    public int read() throws IOException {
      DeadlineGuard guard = arm();
      try {
        return in.read();
      } finally {
        disarm(guard);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      DeadlineGuard guard = arm();
      try {
        return in.read(b, off, len);
      } finally {
        disarm(guard);
      }
    }
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
    return "http/1.1 " + endpoint + " (" + template.name() + ")";
  }
}
