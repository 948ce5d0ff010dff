package dev.guise.tls.bouncycastle.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The socket output under BouncyCastle, which writes and flushes every record on its own: during
 * the handshake and until the connection's first exchange, the records are held and go out
 * together, as a browser's do. The ClientHello goes when the handshake first reads; the client's
 * last flight (TLS 1.3's ChangeCipherSpec, written on the ServerHello, and Finished) waits for the
 * owner's first write (the HTTP/2 preface and SETTINGS, or a request) and leaves with it in one
 * write, instead of three. The records are the same; only the TCP segments carrying them are fewer,
 * and the server wakes fewer times.
 *
 * <p>Holding ends ({@link #release}) at the owner's first flush, at the first read after the
 * handshake, when held bytes would pass {@link #MOST_HELD}, and at close; from then on every write
 * goes straight to the socket, and nothing is held or allocated. Before every read during the
 * handshake the held bytes are sent ({@link #reading}), so a peer is never left waiting for bytes
 * the client holds.
 *
 * <p>Thread-safe: until released, one lock guards the held bytes (the handshake runs on one thread;
 * after it, a reader thread and a writer thread may meet here once). Bytes held are at most {@link
 * #MOST_HELD}, so a socket write under the lock is small and made on a fresh connection.
 */
final class FlightCoalescer extends OutputStream {
  /** More than a handshake flight and an HTTP/2 preface with a request: past it, nothing waits. */
  static final int MOST_HELD = 16 * 1024;

  private final OutputStream socket;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean holding = true;
  private volatile boolean handshaking = true;
  private static final byte[] NOTHING = new byte[0];

  private byte[] held = NOTHING; // guarded by lock
  private int heldLength; // guarded by lock

  FlightCoalescer(OutputStream socket) {
    this.socket = socket;
  }

  /** {@code in} (the socket's input), sending what is held before each read. */
  InputStream sendingBeforeReads(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        reading();
        return super.read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        reading();
        return super.read(b, off, len);
      }
    };
  }

  /** The handshake is over: the next read, or the owner's first flush, releases the held flight. */
  void handshakeDone() {
    handshaking = false;
  }

  /** Whether records are still held (tests). */
  boolean isHolding() {
    return holding;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (!holding) {
      socket.write(b, off, len);
      return;
    }
    lock.lock();
    try {
      if (!holding) {
        socket.write(b, off, len);
        return;
      }
      if (heldLength + len > MOST_HELD) {
        stopHolding();
        socket.write(b, off, len);
        return;
      }
      if (heldLength + len > held.length) {
        held =
            Arrays.copyOf(held, Math.max(heldLength + len, Math.min(2 * held.length, MOST_HELD)));
      }
      System.arraycopy(b, off, held, heldLength, len);
      heldLength += len;
    } finally {
      lock.unlock();
    }
  }

  /** BouncyCastle flushes after every record: while holding, that is not yet the time to send. */
  @Override
  public void flush() throws IOException {
    if (!holding) {
      socket.flush();
    }
  }

  /** Sends what is held and holds nothing from now on: the owner flushed. */
  void release() throws IOException {
    if (!holding) {
      return;
    }
    lock.lock();
    try {
      if (holding) {
        stopHolding();
      }
    } finally {
      lock.unlock();
    }
  }

  private void reading() throws IOException {
    if (!holding) {
      return;
    }
    if (!handshaking) {
      release();
      return;
    }
    lock.lock();
    try {
      // A handshake read: the peer may need what was written first. Not a lone ChangeCipherSpec:
      // TLS 1.3's (middlebox compatibility, written on the ServerHello) is never waited for, and
      // a browser sends it with its Finished.
      if (!onlyChangeCipherSpec()) {
        sendHeld();
      }
    } finally {
      lock.unlock();
    }
  }

  // Under lock.
  private boolean onlyChangeCipherSpec() {
    return heldLength == CHANGE_CIPHER_SPEC_RECORD && held[0] == CONTENT_CHANGE_CIPHER_SPEC;
  }

  private static final int CHANGE_CIPHER_SPEC_RECORD = 6; // header and its one byte
  private static final byte CONTENT_CHANGE_CIPHER_SPEC = 20;

  // Under lock.
  private void sendHeld() throws IOException {
    if (heldLength > 0) {
      int n = heldLength;
      heldLength = 0;
      socket.write(held, 0, n);
      socket.flush();
    }
  }

  // Under lock: sends what is held, and from now on nothing is held or kept.
  private void stopHolding() throws IOException {
    try {
      sendHeld();
    } finally {
      holding = false;
      held = NOTHING;
    }
  }

  /**
   * Sends what is held (at close: an alert, a close_notify), as far as the peer still takes it, and
   * closes the socket. A peer already gone is no error here: BouncyCastle, which closes after a
   * failure, ignores a failed alert write too, and the failure it reports is the one that matters.
   */
  @Override
  public void close() throws IOException {
    try {
      release();
    } catch (IOException peerGone) {
      // see above
    } finally {
      socket.close();
    }
  }
}
