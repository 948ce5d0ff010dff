package dev.guise.codec.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A buffered input stream whose buffer is borrowed from the {@link BufferPool} when a read needs
 * one and given back as soon as it has been read empty: between messages a connection holds no
 * buffer. Reads of at least {@link BufferPool#BUFFER_SIZE} bytes go straight to the caller's array,
 * as with {@link java.io.BufferedInputStream}.
 *
 * <p>Waiting without a buffer: a thread that waits for the peer in a read must not hold a buffer
 * all that time (an idle HTTP/2 connection's reader waits for the next frame for minutes). Two
 * ways, chosen by the owner:
 *
 * <ul>
 *   <li>{@code waitUnbuffered = true}, for a stream whose {@code available()} is cheap and exact (a
 *       TLS stream's decrypted bytes): when nothing is buffered and nothing is available, the read
 *       goes straight into the caller's array; a buffer is borrowed only when bytes are already
 *       waiting;
 *   <li>{@link #awaitInput()}, for a raw socket (where {@code available()} is a system call): it
 *       blocks for one byte, held without a buffer, before the owner starts a read that may block.
 * </ul>
 *
 * <p>The one byte costs a system call of its own before the read that fetches the rest. When the
 * owner has just sent a request it says so ({@link #replyDue()}), and the next wait ({@link
 * #awaitReply()}, which {@link #awaitInput()} tries first) borrows the buffer for that wait and
 * fetches whatever arrives in one read.
 *
 * <p>Not thread-safe: one reading thread at a time. {@link #replyDue()} may be called from any
 * thread. {@link #close()} may be called from another thread; it closes the underlying stream
 * (ending a blocked read) and leaves the buffer to the reader, so a buffer can never be given back
 * twice.
 */
public final class PooledBufferedInputStream extends InputStream {
  private final InputStream in;
  private final boolean waitUnbuffered;
  private final byte[] one = new byte[1];
  private byte[] buf;
  private int pos;
  private int limit;

  /** A byte {@link #awaitInput()} read, not yet handed out; -1 when none. */
  private int pushback = -1;

  /**
   * Set by {@link #replyDue()}; cleared by the next wait or the next read of the underlying stream,
   * whichever comes first (see {@link #awaitReply()}): whether that wait is for a reply.
   */
  private volatile boolean replyDue;

  /**
   * @param in the stream to read from; closed by {@link #close()}
   * @param waitUnbuffered whether a read that finds nothing buffered and nothing available reads
   *     straight into the caller's array (see the class comment)
   */
  public PooledBufferedInputStream(InputStream in, boolean waitUnbuffered) {
    this.in = Objects.requireNonNull(in, "in");
    this.waitUnbuffered = waitUnbuffered;
  }

  /** Bytes read from the underlying stream and not yet handed out. */
  public int buffered() {
    return limit - pos + (pushback >= 0 ? 1 : 0);
  }

  /** Whether a pooled buffer is held now (for tests). */
  public boolean holdsBuffer() {
    return buf != null;
  }

  /**
   * Blocks until at least one byte can be read without blocking, or the underlying stream ends or
   * fails (a read timeout then propagates and nothing is lost). Holds no buffer while it waits,
   * unless a reply is due: then it is {@link #awaitReply()}.
   */
  public void awaitInput() throws IOException {
    if (awaitReply() || buffered() > 0) {
      return;
    }
    int b = in.read();
    replyDue = false; // see awaitReply
    if (b >= 0) {
      pushback = b;
    }
    // At end of stream nothing is kept: the next read reads the end again.
  }

  /** Says that a reply to what was just sent is due: the next wait is expected to be short. */
  public void replyDue() {
    replyDue = true;
  }

  /**
   * Takes the hint {@link #replyDue()} gave, if any: when nothing is buffered, blocks until bytes
   * are, or the underlying stream ends or fails (a read timeout then propagates, nothing is lost
   * and no buffer is kept), holding a pooled buffer while it waits and reading as much as one read
   * of the underlying stream gives. Returns whether it took a hint (bytes are then buffered, or the
   * stream ended); false at once when none was given.
   *
   * <p>A hint lasts until the next read of the underlying stream, and no longer. It goes to the
   * first wait after it even when that wait finds bytes already buffered and need not block (an
   * HTTP/2 reader with frames in hand when a stream opens), and a read already under way when it is
   * given ends it too (a stream opening while the reader waits: what that read brings is what the
   * hint announced, or comes right after it). Kept for a later wait, a hint would be taken by the
   * connection's next idle wait, which would then hold a buffer for as long as the connection stays
   * idle (with one caller at a time on an HTTP/2 connection, each stream's hint is given while the
   * reader waits).
   */
  public boolean awaitReply() throws IOException {
    if (!replyDue) {
      return false;
    }
    replyDue = false;
    if (buffered() == 0) {
      readIntoBuffer(); // at end of stream nothing is kept: the next read reads the end again
    }
    return true;
  }

  @Override
  public int read() throws IOException {
    if (pos < limit) {
      int b = buf[pos++] & 0xff;
      if (pos == limit) {
        giveBack();
      }
      return b;
    }
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (pos < limit) {
      return copyOut(b, off, len);
    }
    if (pushback >= 0) {
      b[off] = (byte) pushback;
      pushback = -1;
      return 1;
    }
    if (len >= BufferPool.BUFFER_SIZE || (waitUnbuffered && in.available() <= 0)) {
      int n = in.read(b, off, len);
      replyDue = false; // see awaitReply
      return n;
    }
    int n = readIntoBuffer();
    return n <= 0 ? n : copyOut(b, off, len);
  }

  /**
   * One read of the underlying stream into the buffer, borrowed for it; the buffer is kept only
   * when bytes came. Returns what the read returned.
   */
  private int readIntoBuffer() throws IOException {
    byte[] buffer = buf != null ? buf : (buf = BufferPool.acquire());
    int n;
    try {
      n = in.read(buffer, 0, buffer.length);
      replyDue = false; // see awaitReply
    } catch (IOException | RuntimeException e) {
      giveBack();
      throw e;
    }
    if (n <= 0) {
      giveBack();
    } else {
      pos = 0;
      limit = n;
    }
    return n;
  }

  private int copyOut(byte[] b, int off, int len) {
    int n = Math.min(len, limit - pos);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    if (pos == limit) {
      giveBack();
    }
    return n;
  }

  private void giveBack() {
    byte[] b = buf;
    buf = null;
    pos = 0;
    limit = 0;
    BufferPool.release(b);
  }

  @Override
  public int available() throws IOException {
    long n = (long) buffered() + in.available();
    return (int) Math.min(Integer.MAX_VALUE, n);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
