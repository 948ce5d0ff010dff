package dev.guise.pool.internal.exchange;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.TlsEndpoint;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * One HTTP connection over an established TLS connection: HTTP/1.1 (one exchange at a time) or
 * HTTP/2 (many concurrent exchanges). This is the seam between the pool, which decides which
 * connection carries a request, and the codecs, which put it on the wire.
 *
 * <p>Thread-safety: all methods may be called from any thread. An HTTP/2 connection accepts
 * concurrent {@link #exchange} calls up to {@link #maxConcurrentStreams()}; an HTTP/1.1 connection
 * must be given one exchange at a time (the pool leases it), and fails a second concurrent one with
 * an {@link IllegalStateException} rather than corrupting the stream.
 *
 * <p>Failures: every exchange ends with a response or an exception; {@link ClassifiedIOException}
 * where the layer knows the kind (for example {@code NOT_PROCESSED} for streams above a GOAWAY's
 * last stream id, {@code PROTOCOL_ERROR}, {@code RESPONSE_TOO_LARGE}). After a failure that leaves
 * the connection unusable, {@link #isUsable()} is false and the connection closes itself once its
 * other exchanges end.
 */
public interface HttpConnection extends Closeable {

  /** HTTP/1.1 or HTTP/2. */
  HttpProtocol protocol();

  /** Host, IP and port. */
  TlsEndpoint endpoint();

  /** The TLS facts, including the profile presented. */
  NegotiatedTls tls();

  /**
   * The TLS connection's {@link dev.guise.api.TlsConnection#ticketsKept()}: tickets kept so far.
   */
  OptionalInt ticketsKept();

  /**
   * How many exchanges may run at once: 1 for HTTP/1.1, the peer's SETTINGS_MAX_CONCURRENT_STREAMS
   * (capped by our own limit) for HTTP/2. May change when the peer sends new SETTINGS.
   */
  int maxConcurrentStreams();

  /** Exchanges running now. */
  int activeStreams();

  /**
   * Whether new exchanges may start: false once closed, broken, after a protocol error, after the
   * peer's GOAWAY (HTTP/2) or {@code Connection: close} (HTTP/1.1).
   */
  boolean isUsable();

  /**
   * On an idle connection, whether the peer sent something unasked (data or end of stream): it is
   * then half-closed or broken. Never blocks.
   */
  boolean hasUnexpectedInput();

  /** Total exchanges this connection has started. */
  long exchangeCount();

  /**
   * Sends {@code request} and reads the whole response (body decoded, at most {@code
   * limits.maxBodyBytes()} bytes after decoding).
   *
   * @param deadlineNanos a {@link System#nanoTime()} value; no read or write of this exchange
   *     blocks past it (a {@link SocketTimeoutException} or {@code ClassifiedIOException} with kind
   *     {@code READ_TIMEOUT} / {@code DEADLINE_EXCEEDED} results)
   */
  HttpResponse exchange(HttpRequest request, ExchangeLimits limits, long deadlineNanos)
      throws IOException;

  /**
   * Sends {@code request} and returns once the response head has arrived; the body is read by the
   * caller from {@link StreamedBody#body()}, decoded and within {@code limits.maxBodyBytes()}
   * (truncation does not apply). The exchange keeps its stream (HTTP/2) or the whole connection
   * (HTTP/1.1) until the body ends: read to its end, closed, or failed; then {@code ended} is told,
   * once, on the thread that ended it. Closing early resets the stream (HTTP/2) or drains a small
   * rest and otherwise closes the connection (HTTP/1.1).
   *
   * @param deadlineNanos bounds sending and the wait for the head, as for {@link #exchange}
   * @param readTimeout bounds each read of the body: a server that stalls longer fails it with
   *     {@code READ_TIMEOUT}
   */
  StreamedBody exchangeStreaming(
      HttpRequest request,
      ExchangeLimits limits,
      long deadlineNanos,
      Duration readTimeout,
      BodyListener ended)
      throws IOException;

  /** Told once when a streamed body ends. */
  @FunctionalInterface
  interface BodyListener {
    /**
     * @param failure null when the body was read to its end or closed by its reader; else the
     *     classified failure that ended it (the connection layer has already dealt with its
     *     connection: reset the stream, or closed)
     */
    void ended(IOException failure);
  }

  /**
   * A response head and its body still on the wire.
   *
   * @param body the decoded body; closing it ends the exchange
   * @param trailers the trailer fields, known once the body was read to its end (empty before)
   */
  record StreamedBody(
      int status, List<Header> headers, InputStream body, Supplier<List<Header>> trailers) {}

  /**
   * Sends an HTTP/2 PING and waits for the ACK; returns the round-trip time.
   *
   * @throws UnsupportedOperationException on HTTP/1.1
   */
  Duration ping(Duration timeout) throws IOException;

  /**
   * Closes the connection now: exchanges in flight fail with {@code CONNECTION_CLOSED}. Idempotent.
   */
  @Override
  void close();

  /**
   * Per-exchange limits.
   *
   * @param maxHeaderListSize the most header bytes (RFC 9113 size: name + value + 32 each) accepted
   * @param maxBodyBytes the most decoded body bytes accepted; more fails with RESPONSE_TOO_LARGE,
   *     unless {@code truncateBody} is set
   * @param truncateBody keep only the first {@code maxBodyBytes} bytes and discard the rest
   *     (validators); the connection stays usable only if the rest could be drained cheaply
   */
  record ExchangeLimits(int maxHeaderListSize, long maxBodyBytes, boolean truncateBody) {
    public static final ExchangeLimits DEFAULT =
        new ExchangeLimits(256 * 1024, 64L * 1024 * 1024, false);

    public ExchangeLimits {
      if (maxHeaderListSize <= 0 || maxBodyBytes < 0) {
        throw new IllegalArgumentException("limits must be positive");
      }
    }
  }
}
