package dev.guise.codec.io;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes something (a socket, a connection) when an operation outlasts its deadline, on the one
 * {@link IoDeadlines} timer.
 *
 * <p>Why closing: a socket read timeout bounds each read, not a whole handshake (a peer dripping
 * one byte per read stretches it forever), and a blocking write has no timeout at all (a peer that
 * stops reading holds it). Closing the socket is the one thing that ends both; the blocked
 * operation then fails, and {@link #fired()} tells the caller that the deadline, not the peer, was
 * the reason. Every TLS engine uses it for its handshake and its close_notify.
 *
 * <p>Use with try-with-resources: {@link #close()} disarms it. A guard that fired has closed its
 * target; disarming it afterwards is harmless.
 */
public final class DeadlineGuard implements AutoCloseable {
  private final AtomicBoolean fired = new AtomicBoolean();
  private final ScheduledFuture<?> task;

  private DeadlineGuard(Closeable target, Duration limit) {
    this.task =
        IoDeadlines.timer()
            .schedule(
                () -> {
                  fired.set(true);
                  try {
                    target.close();
                  } catch (IOException ignored) {
                    // the blocked operation fails on the closed target; that failure is reported
                  }
                },
                Math.max(1, limit.toMillis()),
                TimeUnit.MILLISECONDS);
  }

  /** Closes {@code target} once {@code limit} has passed, unless {@link #close()} comes first. */
  public static DeadlineGuard closeAfter(Duration limit, Closeable target) {
    return new DeadlineGuard(target, limit);
  }

  /** Whether the deadline passed and the target was closed because of it. */
  public boolean fired() {
    return fired.get();
  }

  /** Disarms the guard (harmless after it fired). */
  @Override
  public void close() {
    task.cancel(false);
  }
}
