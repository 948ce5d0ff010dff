package dev.guise.tls.conscrypt.internal;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes a socket when an operation outlasts its deadline.
 *
 * <p>Why: a socket read timeout bounds each read, not the whole handshake; a peer dripping one
 * byte at a time could stretch it forever. Writes (close_notify to a peer that does not read) have
 * no timeout at all. Closing the socket is the one thing that unblocks both.
 *
 * <p>Runs on {@link dev.guise.codec.io.IoDeadlines}' timer, shared with the HTTP connections and the
 * BouncyCastle engine; its one thread exits when idle, so an idle engine holds no thread.
 */
final class Watchdog implements AutoCloseable {
  private static final ScheduledThreadPoolExecutor TIMER = dev.guise.codec.io.IoDeadlines.timer();

  private final AtomicBoolean fired = new AtomicBoolean();
  private final ScheduledFuture<?> task;

  private Watchdog(Closeable target, Duration deadline) {
    this.task = TIMER.schedule(() -> {
      fired.set(true);
      try {
        target.close();
      } catch (IOException ignored) {
        // the blocked operation fails on the closed socket; that failure is reported
      }
    }, Math.max(1, deadline.toMillis()), TimeUnit.MILLISECONDS);
  }

  /** Closes {@code target} once {@code deadline} has passed unless {@link #close()} is called first. */
  static Watchdog arm(Closeable target, Duration deadline) {
    return new Watchdog(target, deadline);
  }

  /** Whether the deadline passed and the target was closed. */
  boolean fired() {
    return fired.get();
  }

  /** Disarms the watchdog (harmless after it fired). */
  @Override
  public void close() {
    task.cancel(false);
  }

}
