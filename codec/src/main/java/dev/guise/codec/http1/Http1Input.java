package dev.guise.codec.http1;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.codec.CodecException;
import dev.guise.codec.io.BufferPool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The buffered reading side of one HTTP/1.1 connection: message heads are parsed from it and the
 * body streams ({@link #body}) read from it, so bytes the parser read ahead are never lost. Lines
 * are found with an array scan, not a virtual call per byte.
 *
 * <p>Keep-alive: after a body has been read to its end, {@link #checkIdle()} tells whether the peer
 * sent bytes nobody asked for (a body longer than its Content-Length, or a stray response). Such a
 * connection must not be reused; the next {@link Http1ResponseParser#parse} would also reject those
 * bytes as PROTOCOL_ERROR because they do not start with a status line.
 *
 * <p>Buffer: a buffer of up to {@link BufferPool#BUFFER_SIZE} bytes is borrowed from the {@link
 * BufferPool} on the first read and held until {@link #releaseBuffer()} gives it back (the owner
 * calls that between messages, so an idle keep-alive connection holds none); larger or tiny sizes
 * get an array of their own, kept.
 *
 * <p>Not thread-safe; one per connection. Closing it closes the underlying stream.
 */
public final class Http1Input extends InputStream {
  private final InputStream in;
  private static final int SMALLEST_POOLED = 1024;
  private final int capacity;
  private final boolean pooled;

  /** Null while a pooled buffer is given back. */
  private byte[] buf;

  private int pos;
  private int limit;

  public Http1Input(InputStream in) {
    this(in, 16 * 1024);
  }

  public Http1Input(InputStream in, int bufferSize) {
    this.in = Objects.requireNonNull(in, "in");
    if (bufferSize <= 0) {
      throw new IllegalArgumentException("buffer size must be positive: " + bufferSize);
    }
    this.capacity = bufferSize;
    this.pooled = bufferSize >= SMALLEST_POOLED && bufferSize <= BufferPool.BUFFER_SIZE;
    this.buf = pooled ? null : new byte[bufferSize];
  }

  /**
   * Gives a pooled buffer back when nothing is buffered (bytes read ahead are never dropped: with
   * some buffered, this does nothing). The next read borrows one again.
   */
  public void releaseBuffer() {
    if (pooled && buf != null && pos == limit) {
      byte[] b = buf;
      buf = null;
      pos = 0;
      limit = 0;
      BufferPool.release(b);
    }
  }

  /** Whether a pooled buffer is held now (for tests). */
  public boolean holdsBuffer() {
    return pooled && buf != null;
  }

  /** Bytes already read from the connection and not yet consumed. */
  public int buffered() {
    return limit - pos;
  }

  /**
   * Checks that the connection is quiet between messages: no byte buffered and none waiting in the
   * stream.
   *
   * @throws CodecException PROTOCOL_ERROR if the peer sent unrequested bytes (the connection must
   *     be closed)
   */
  public void checkIdle() throws IOException {
    if (buffered() > 0 || in.available() > 0) {
      throw CodecException.protocolError(
          "HTTP/1.1: unexpected bytes after the end of the response (body longer than declared?)");
    }
  }

  private boolean fill() throws IOException {
    if (pos == limit) {
      pos = 0;
      limit = 0;
    }
    if (buf == null) {
      buf = BufferPool.acquire();
    }
    if (limit == capacity) {
      return true;
    }
    int n = in.read(buf, limit, capacity - limit);
    if (n <= 0) {
      return false;
    }
    limit += n;
    return true;
  }

  /**
   * Reads one line (without CR LF, bare LF tolerated) of at most {@code maxLength} bytes as
   * ISO-8859-1.
   *
   * @return the line, or {@code null} at end of stream before any byte of it
   */
  String readLine(int maxLength, String what) throws IOException {
    StringBuilder spill = null;
    while (true) {
      for (int i = pos; i < limit; i++) {
        if (buf[i] == '\n') {
          int start = pos;
          int end = i > start && buf[i - 1] == '\r' ? i - 1 : i;
          String part = new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
          pos = i + 1;
          String line;
          if (spill == null) {
            line = part;
          } else {
            if (i == start && spill.length() > 0 && spill.charAt(spill.length() - 1) == '\r') {
              // CR at the end of the previous read, LF at the start of this one.
              spill.setLength(spill.length() - 1);
            }
            line = spill.append(part).toString();
          }
          if (line.length() > maxLength) {
            throw tooLong(what, maxLength);
          }
          return line;
        }
      }
      int available = limit - pos;
      // + 1: the CR that may still come.
      if (available + (spill == null ? 0 : spill.length()) > maxLength + 1) {
        throw tooLong(what, maxLength);
      }
      if (available > 0) {
        // A line split across reads: rare, so the copy does not matter.
        if (spill == null) {
          spill = new StringBuilder(available * 2);
        }
        spill.append(new String(buf, pos, available, StandardCharsets.ISO_8859_1));
        pos = limit;
      }
      if (!fill()) {
        if (spill == null) {
          return null;
        }
        throw closed("connection closed inside the " + what);
      }
    }
  }

  private static CodecException tooLong(String what, int max) {
    return CodecException.tooLarge(
        "HTTP/1.1 " + what + " longer than " + max + " bytes", PoolAction.DISCARD_CONNECTION);
  }

  static ClassifiedIOException closed(String message) {
    return new ClassifiedIOException(
        FailureKind.CONNECTION_CLOSED,
        false,
        PoolAction.DISCARD_CONNECTION,
        "HTTP/1.1: " + message,
        null);
  }

  @Override
  public int read() throws IOException {
    if (pos == limit && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (pos == limit) {
      if (len >= capacity) {
        // Large reads bypass the buffer.
        return in.read(b, off, len);
      }
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(len, limit - pos);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() throws IOException {
    return buffered() + in.available();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** A body stream of the given framing, reading from this input. */
  public InputStream body(Http1BodyFraming framing, long contentLength, Http1Limits limits) {
    return switch (framing) {
      case NONE -> InputStream.nullInputStream();
      case CONTENT_LENGTH -> new ContentLengthInputStream(this, contentLength);
      case CHUNKED -> new ChunkedInputStream(this, limits);
      case CLOSE_DELIMITED -> new CloseDelimitedInputStream(this);
    };
  }
}
