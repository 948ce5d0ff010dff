package dev.guise.tls.bouncycastle.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The socket's input, with an overall deadline while the handshake runs: before every read the
 * socket timeout is set to the time left, so a server that drips one byte just inside each timeout
 * still cannot stretch the handshake past its bound. After {@link #clearDeadline()} reads pass
 * through with whatever timeout the connection's owner sets.
 *
 * <p>Used by one reading thread at a time.
 */
final class DeadlineInputStream extends FilterInputStream {
  private final Socket socket;
  private volatile long deadlineNanos;
  private volatile boolean bounded;

  DeadlineInputStream(Socket socket, long deadlineNanos) throws IOException {
    super(socket.getInputStream());
    this.socket = socket;
    this.deadlineNanos = deadlineNanos;
    this.bounded = true;
  }

  void clearDeadline() {
    bounded = false;
  }

  private void arm() throws IOException {
    if (!bounded) {
      return;
    }
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("TLS handshake timed out");
    }
    socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
  }

  @Override
  public int read() throws IOException {
    arm();
    return super.read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    arm();
    return super.read(b, off, len);
  }
}
