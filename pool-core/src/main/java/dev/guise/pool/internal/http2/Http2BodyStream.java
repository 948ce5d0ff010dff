package dev.guise.pool.internal.http2;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.PoolAction;
import dev.guise.codec.http2.Http2ErrorCode;
import dev.guise.codec.io.DeadlineWait;
import dev.guise.codec.io.InputStreams;
import dev.guise.pool.internal.exchange.HttpConnection.BodyListener;
import dev.guise.pool.internal.exchange.HttpFailures;
import dev.guise.pool.internal.exchange.ResponseBodies;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;

/**
 * The raw body of one streamed HTTP/2 response, read by the caller as the reader thread queues its
 * DATA ({@link Http2Stream#chunks}). Taking bytes gives the stream's flow-control window back, so
 * what the server may send ahead stays within 1.5 windows ({@link Http2Stream#streamingUpdateDue}).
 *
 * <p>The stream is this object's from the head on: read to its end (END_STREAM, content-length
 * checked by the reader), closed early (RST_STREAM CANCEL; DATA still in flight is dropped by the
 * reader, the connection stays usable), or failed (a read waiting longer than the read timeout:
 * RST_STREAM CANCEL and READ_TIMEOUT; a connection or stream error), it leaves the session's table
 * then, once, and the listener is told. Stream fields are read under the session's state lock; one
 * caller thread reads the stream at a time.
 */
final class Http2BodyStream extends InputStream {
  private final Http2Connection session;
  private final Http2Stream stream;
  private final Duration readTimeout;
  private final BodyListener listener;
  private boolean ended;

  /** What ended the body, thrown again by every later read; null while it is fine. */
  private IOException failure;

  Http2BodyStream(
      Http2Connection session, Http2Stream stream, Duration readTimeout, BodyListener listener) {
    this.session = session;
    this.stream = stream;
    this.readTimeout = readTimeout;
    this.listener = listener;
  }

  /** The trailers, once the body was read to its end; empty before. */
  List<Header> trailers() {
    session.lock.lock();
    try {
      return stream.responded ? stream.trailers : List.of();
    } finally {
      session.lock.unlock();
    }
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
    int n = 0;
    int update = 0;
    session.lock.lock();
    try (DeadlineWait wait =
        new DeadlineWait(session.lock, stream.changed, System.nanoTime() + readTimeout.toNanos())) {
      while (true) {
        if (stream.failure != null) {
          break;
        }
        byte[] first = stream.chunks.peekFirst();
        if (first != null) {
          n = Math.min(len, first.length - stream.firstChunkOffset);
          System.arraycopy(first, stream.firstChunkOffset, b, off, n);
          stream.firstChunkOffset += n;
          if (stream.firstChunkOffset == first.length) {
            stream.chunks.removeFirst();
            stream.firstChunkOffset = 0;
          }
          stream.buffered -= n;
          if (!stream.responded) {
            update = stream.streamingUpdateDue();
          }
          break;
        }
        if (stream.responded) {
          n = -1;
          break;
        }
        if (wait.expired()) {
          stream.failure =
              HttpFailures.readTimeout(
                  "the HTTP/2 body of stream "
                      + stream.id
                      + " from "
                      + session.endpoint
                      + " stalled longer than "
                      + readTimeout.toMillis()
                      + " ms");
          stream.resetLater(Http2ErrorCode.CANCEL);
          break;
        }
        wait.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stream.fail(HttpFailures.cancelled("interrupted reading the response body"));
      stream.resetLater(Http2ErrorCode.CANCEL);
    } finally {
      session.lock.unlock();
    }
    IOException failed = streamFailure();
    if (failed != null) {
      failure = failed;
      end(failed);
      throw failed;
    }
    if (update > 0) {
      int increment = update;
      session.writer.writeControl(f -> f.writeWindowUpdate(stream.id, increment));
    }
    if (n < 0) {
      end(null);
    }
    return n;
  }

  private IOException streamFailure() {
    session.lock.lock();
    try {
      return stream.failure;
    } finally {
      session.lock.unlock();
    }
  }

  /**
   * Ends the exchange early: the server is told to stop (RST_STREAM CANCEL) unless the stream is
   * already over, and what was queued is dropped.
   */
  @Override
  public void close() {
    if (ended) {
      return;
    }
    session.lock.lock();
    try {
      if (!stream.responded && stream.failure == null) {
        stream.abandoned = true;
        stream.resetLater(Http2ErrorCode.CANCEL);
      }
      stream.chunks.clear();
      stream.buffered = 0;
    } finally {
      session.lock.unlock();
    }
    failure = new IOException("the response body was closed");
    end(null);
  }

  /** A failure found above this stream (the decoders, the limit): the stream is reset. */
  void fail(IOException failed) {
    if (ended) {
      return;
    }
    failure = failed;
    session.lock.lock();
    try {
      stream.fail(failed);
      stream.resetLater(Http2ErrorCode.CANCEL);
      stream.chunks.clear();
      stream.buffered = 0;
    } finally {
      session.lock.unlock();
    }
    end(failed);
  }

  private void end(IOException failure) {
    if (ended) {
      return;
    }
    ended = true;
    session.endStream(stream);
    listener.ended(failure);
  }

  @Override
  public String toString() {
    return "HTTP/2 response body of stream " + stream.id + " from " + session.endpoint;
  }

  /**
   * The decoded body over a raw one: a failure of the decoders or of the size limit fails the raw
   * stream too (resetting the h2 stream, which keeps the connection), and closing closes it.
   */
  static final class Decoded extends InputStream {
    private final InputStream decoded;
    private final Http2BodyStream raw;

    Decoded(InputStream decoded, Http2BodyStream raw) {
      this.decoded = decoded;
      this.raw = raw;
    }

    @Override
    public int read() throws IOException {
      return InputStreams.readByte(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (raw.failure != null) {
        endDecoders();
        throw raw.failure;
      }
      int n;
      try {
        n = decoded.read(b, off, len);
      } catch (IOException e) {
        endDecoders();
        if (raw.ended) {
          throw e; // the raw stream's own failure, passed through the decoders
        }
        throw failed(e);
      }
      if (n < 0) {
        endDecoders();
        if (!raw.ended && raw.read(new byte[1], 0, 1) >= 0) {
          // The coding ended before the body did: what follows it is dropped with the stream.
          raw.close();
        }
      }
      return n;
    }

    /** Ends the decoders (their native state goes back now); the raw stream stays open. */
    private void endDecoders() {
      ResponseBodies.endDecoders(decoded, raw);
    }

    private IOException failed(IOException e) {
      if (e instanceof ClassifiedIOException c) {
        // The stream is reset: the connection is in step whatever the body held.
        ClassifiedIOException kept =
            c.failure().action() == PoolAction.DISCARD_CONNECTION
                ? new ClassifiedIOException(
                    c.kind(), c.failure().retryable(), PoolAction.KEEP, c.getMessage(), c)
                : c;
        raw.fail(kept);
        return kept;
      }
      ClassifiedIOException failure =
          new ClassifiedIOException(
              FailureKind.PROTOCOL_ERROR, false, PoolAction.KEEP, e.getMessage(), e);
      raw.fail(failure);
      return failure;
    }

    @Override
    public void close() {
      endDecoders();
      raw.close();
    }
  }
}
