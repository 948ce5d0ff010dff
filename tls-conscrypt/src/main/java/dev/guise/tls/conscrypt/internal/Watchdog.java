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
 * <p>One shared daemon thread, created on demand and gone after a few idle seconds, so that an idle
 * engine holds no thread.
 */
final class Watchdog implements AutoCloseable {
  private static final ScheduledThreadPoolExecutor TIMER = timer();

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

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "guise-conscrypt-watchdog");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    timer.setKeepAliveTime(5, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    return timer;
  }
}
