package dev.guise.testkit.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** One open connection as the server's housekeeping sees it: for stop, idle close and stalls. */
final class LiveConnection {
  private static final long RESET_DELAY_MILLIS = 100;

  final Socket raw;
  final ConnectionLog log;
  final InetAddress local;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile long lastActivityNanos = System.nanoTime();

  /** Handshake done; a connection still handshaking is never idle (the handshake is bounded). */
  private volatile boolean ready;

  /** Set by an HTTP/2 session: a graceful close (GOAWAY first) for the idle reaper. */
  volatile Runnable gracefulClose;

  LiveConnection(Socket raw, ConnectionLog log) {
    this.raw = raw;
    this.log = log;
    this.local = raw.getLocalAddress();
  }

  void requestStarted() {
    inFlight.incrementAndGet();
    lastActivityNanos = System.nanoTime();
  }

  void requestFinished() {
    inFlight.decrementAndGet();
    lastActivityNanos = System.nanoTime();
  }

  /** The client did something (handshake done, frame received): not idle now. */
  void touch() {
    lastActivityNanos = System.nanoTime();
  }

  /** Marks the handshake complete: from now on the connection can be idle. */
  void ready() {
    ready = true;
    touch();
  }

  boolean idleLongerThan(long nanos) {
    return ready && inFlight.get() == 0 && System.nanoTime() - lastActivityNanos > nanos;
  }

  boolean isClosed() {
    return closed.getCount() == 0;
  }

  /** Blocks until the connection is closed or {@code millis} passed; true if closed. */
  boolean awaitClosed(long millis) throws InterruptedException {
    return closed.await(millis, TimeUnit.MILLISECONDS);
  }

  /** Closes the TCP connection (FIN); the TLS layer above is abandoned. Idempotent. */
  void close() {
    try {
      raw.close();
    } catch (IOException ignored) {
      // Closing is all we wanted; a failure means it is already gone.
    }
    closed.countDown();
  }

  /**
   * Closes with a TCP reset (RST) instead of a FIN, so the client sees "connection reset". Waits a
   * moment first: a client that has not yet read the partial response when the RST lands may lose
   * it, see the reset before the response head, and silently retry elsewhere, which is not the
   * fault the test asked for.
   */
  void reset() {
    try {
      Thread.sleep(RESET_DELAY_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      raw.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // Already closed: nothing left to reset.
    }
    close();
  }
}
