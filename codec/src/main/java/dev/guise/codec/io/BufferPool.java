package dev.guise.codec.io;

/**
 * A process-wide pool of I/O buffers of one size, {@link #BUFFER_SIZE}: large enough for a whole
 * TLS record (2^14 bytes of plaintext plus expansion) or an HTTP/2 frame of the default maximum
 * size with its header.
 *
 * <p>Why: a pooled connection is idle most of its life. Buffers it needs only while bytes are in
 * flight are borrowed here and given back when they are empty, so thousands of idle connections do
 * not each keep tens of KiB of empty arrays. The pool keeps at most {@link #MAX_POOLED} buffers
 * (about 1 MiB); beyond that returned buffers are left to the garbage collector, and when it is
 * empty {@link #acquire()} allocates.
 *
 * <p>Thread-safe. A buffer must be returned at most once and not used after it was returned; its
 * contents are not cleared (borrowers overwrite what they read).
 */
public final class BufferPool {
  /** The length of every pooled buffer. */
  public static final int BUFFER_SIZE = 16 * 1024 + 512;

  /** The most buffers kept for reuse. */
  public static final int MAX_POOLED = 64;

  private static final byte[][] FREE = new byte[MAX_POOLED][];
  private static int free;

  private BufferPool() {}

  /** A buffer of {@link #BUFFER_SIZE} bytes: a pooled one if any, else a new one. */
  public static byte[] acquire() {
    // The critical sections are a few loads and stores and never block, so a monitor is as cheap
    // as a lock-free stack here (and pins a virtual thread for nanoseconds only).
    synchronized (FREE) {
      if (free > 0) {
        byte[] b = FREE[--free];
        FREE[free] = null;
        return b;
      }
    }
    return new byte[BUFFER_SIZE];
  }

  /**
   * Gives a buffer back. Arrays of any other length (a buffer that was grown, or one that was never
   * pooled) are ignored, as is {@code null}.
   */
  public static void release(byte[] buffer) {
    if (buffer == null || buffer.length != BUFFER_SIZE) {
      return;
    }
    synchronized (FREE) {
      if (free < MAX_POOLED) {
        FREE[free++] = buffer;
      }
    }
  }

  /** Buffers pooled now (for tests and diagnostics). */
  public static int pooled() {
    synchronized (FREE) {
      return free;
    }
  }
}
