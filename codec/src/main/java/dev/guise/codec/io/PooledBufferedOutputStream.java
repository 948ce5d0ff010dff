package dev.guise.codec.io;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A buffered output stream whose buffer is borrowed from the {@link BufferPool} on the first write
 * and given back by {@link #flush()}: writes between two flushes are gathered (a request's head and
 * a small body leave in one {@code write}, hence one TLS record), and a connection holds no buffer
 * between messages. Writes of at least {@link BufferPool#BUFFER_SIZE} bytes go straight to the
 * underlying stream after whatever is buffered.
 *
 * <p>Not thread-safe: one writing thread at a time. {@link #close()} flushes, then closes the
 * underlying stream.
 */
public final class PooledBufferedOutputStream extends OutputStream {
  private final OutputStream out;
  private byte[] buf;
  private int count;

  public PooledBufferedOutputStream(OutputStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  /** Whether a pooled buffer is held now (for tests). */
  public boolean holdsBuffer() {
    return buf != null;
  }

  @Override
  public void write(int b) throws IOException {
    if (buf == null) {
      buf = BufferPool.acquire();
    } else if (count == buf.length) {
      writeBuffered();
    }
    buf[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len >= BufferPool.BUFFER_SIZE) {
      writeBuffered();
      out.write(b, off, len);
      return;
    }
    if (buf == null) {
      buf = BufferPool.acquire();
    } else if (len > buf.length - count) {
      writeBuffered();
    }
    System.arraycopy(b, off, buf, count, len);
    count += len;
  }

  private void writeBuffered() throws IOException {
    if (count > 0) {
      int n = count;
      // Emptied first: bytes of a failed write must not go out with a later one.
      count = 0;
      out.write(buf, 0, n);
    }
  }

  /** Writes what is buffered, gives the buffer back, and flushes the underlying stream. */
  @Override
  public void flush() throws IOException {
    try {
      writeBuffered();
    } finally {
      byte[] b = buf;
      buf = null;
      count = 0;
      BufferPool.release(b);
    }
    out.flush();
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      out.close();
    }
  }
}
