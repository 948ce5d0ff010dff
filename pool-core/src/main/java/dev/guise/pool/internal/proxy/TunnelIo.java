package dev.guise.pool.internal.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Reads of a tunnel's set-up, each bounded by what is left of the deadline: the socket timeout is
 * set to the time left before every read, so a proxy that drips bytes still cannot hold a read past
 * the deadline. Reads one byte at a time where the end is not known: nothing of what follows the
 * proxy's answer (the site's TLS) may be taken off the socket.
 */
final class TunnelIo {
  private final Socket socket;
  private final InputStream in;
  private final long deadlineNanos;

  TunnelIo(Socket socket, long deadlineNanos) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.deadlineNanos = deadlineNanos;
  }

  /** The next byte; EOFException at the end of the stream. */
  int read() throws IOException {
    arm();
    int b = in.read();
    if (b < 0) {
      throw new EOFException("the proxy closed the connection");
    }
    return b;
  }

  byte[] readFully(int n) throws IOException {
    byte[] out = new byte[n];
    int at = 0;
    while (at < n) {
      arm();
      int r = in.read(out, at, n - at);
      if (r < 0) {
        throw new EOFException("the proxy closed the connection");
      }
      at += r;
    }
    return out;
  }

  private void arm() throws IOException {
    long ms = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (ms <= 0) {
      throw new SocketTimeoutException("the tunnel's deadline passed");
    }
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, ms));
  }
}
