package dev.guise.pool.internal.http1;

import dev.guise.api.Header;
import dev.guise.api.TlsEndpoint;
import dev.guise.codec.http1.ChunkedInputStream;
import dev.guise.codec.http1.ContentLengthInputStream;
import dev.guise.codec.http1.Http1BodyFraming;
import dev.guise.codec.io.InputStreams;
import dev.guise.pool.internal.exchange.ResponseBodies;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;

/**
 * A streamed HTTP/1.1 response body: the caller reads the decoded body straight off the connection,
 * which it holds until the body ends.
 *
 * <ul>
 *   <li>Read to its end: the connection is reusable when the body was delimited (length or
 *       chunked), the server did not say {@code Connection: close}, and nothing follows it.
 *   <li>Closed early: up to {@link #DRAIN_BOUND} raw bytes of the rest are read and dropped, within
 *       {@link #DRAIN_TIMEOUT} in all; a body that ends within them leaves the connection reusable,
 *       any other is cut by closing the connection (cheaper than reading a large rest).
 *   <li>Failed (a stall past the read timeout, a reset, a body over the limit, corrupt coding): the
 *       connection is closed and the failure, classified, is thrown to the reader.
 * </ul>
 *
 * Every read of the connection is bounded by the read timeout (set before each read). One thread
 * reads it at a time (an {@code InputStream} is not shared); {@link #close()} is idempotent.
 */
final class Http1BodyStream extends InputStream {
  /** The most raw bytes an early close reads to keep the connection. */
  static final long DRAIN_BOUND = 64 * 1024;

  /** How long an early close's drain may take in all. */
  static final Duration DRAIN_TIMEOUT = Duration.ofMillis(500);

  /** What the stream needs of its connection. */
  interface Connection {
    /** Bounds the connection's next reads by {@code timeout} from now. */
    void readFor(Duration timeout);

    /** Whether nothing follows the response. */
    boolean idle() throws IOException;

    /** Classifies a failure (closing the connection unless it keeps it). */
    IOException failed(IOException e);

    /** The body ended: gives the connection back (closing it unless reusable), once. */
    void ended(boolean reusable, IOException failure);
  }

  private final InputStream raw;
  private final Http1BodyFraming framing;
  private final InputStream decoded;
  private final boolean keepAlive;
  private final Duration readTimeout;
  private final Connection connection;
  private final TlsEndpoint endpoint;
  private List<Header> trailers = List.of();
  private boolean ended;

  /** What ended the body, thrown again by every later read; null while it is fine. */
  private IOException failure;

  Http1BodyStream(
      InputStream raw,
      Http1BodyFraming framing,
      InputStream decoded,
      boolean keepAlive,
      Duration readTimeout,
      Connection connection,
      TlsEndpoint endpoint) {
    this.raw = raw;
    this.framing = framing;
    this.decoded = decoded;
    this.keepAlive = keepAlive;
    this.readTimeout = readTimeout;
    this.connection = connection;
    this.endpoint = endpoint;
  }

  /** The trailer fields of a chunked body, once it was read to its end; empty before. */
  List<Header> trailers() {
    return trailers;
  }

  @Override
  public int read() throws IOException {
    return InputStreams.readByte(this);
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (ended) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    int n;
    try {
      connection.readFor(readTimeout);
      n = decoded.read(b, off, len);
    } catch (IOException e) {
      failure = connection.failed(e);
      end(false, failure);
      throw failure;
    }
    if (n < 0) {
      if (raw instanceof ChunkedInputStream chunked) {
        trailers = chunked.trailers();
      }
      end(rawComplete() && keepAlive && connection.idle(), null);
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    if (ended) {
      return;
    }
    boolean reusable = false;
    if (keepAlive && delimited()) {
      try {
        long left = DRAIN_BOUND;
        // One deadline for the whole drain: a server dribbling the rest cannot stretch it.
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (left > 0) {
          long time = deadline - System.nanoTime();
          if (time <= 0) {
            break;
          }
          connection.readFor(Duration.ofNanos(time));
          long skipped = raw.skip(left);
          if (skipped <= 0 && raw.read() < 0) {
            break;
          }
          left -= Math.max(1, skipped);
        }
        reusable = rawComplete() && connection.idle();
      } catch (IOException e) {
        // A rest that errs or stalls while draining: the connection is closed below.
        reusable = false;
      }
    }
    failure = new IOException("the response body was closed");
    end(reusable, null);
  }

  private boolean delimited() {
    return framing != Http1BodyFraming.CLOSE_DELIMITED;
  }

  private boolean rawComplete() {
    return switch (framing) {
      case NONE -> true;
      case CONTENT_LENGTH -> ((ContentLengthInputStream) raw).complete();
      case CHUNKED -> ((ChunkedInputStream) raw).complete();
      case CLOSE_DELIMITED -> false; // never reused
    };
  }

  private void end(boolean reusable, IOException failure) {
    if (ended) {
      return;
    }
    ended = true;
    ResponseBodies.endDecoders(decoded, raw);
    connection.ended(reusable, failure);
  }

  @Override
  public String toString() {
    return "HTTP/1.1 response body from " + endpoint;
  }
}
