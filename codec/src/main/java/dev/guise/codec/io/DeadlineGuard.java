package dev.guise.codec.io;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closes something (a socket, a connection) when an operation outlasts its deadline, from Guise's
 * one timer for I/O deadlines.
 *
 * <p>Why closing: a socket read timeout bounds each read, not a whole handshake (a peer dripping
 * one byte per read stretches it forever), and a blocking write has no timeout at all (a peer that
 * stops reading holds it). Closing the socket is the one thing that ends both; the blocked
 * operation then fails, and {@link #fired()} tells the caller that the deadline, not the peer, was
 * the reason. Every TLS engine uses it for its handshake and its close_notify, and the HTTP/1.1 and
 * HTTP/2 connections for every write.
 *
 * <p>Never before the deadline, and at most 50 ms after it: a guard is checked by the timer's
 * periodic sweep, not given a timer task of its own, so arming one per write costs a queue append,
 * not a wake-up of the timer's thread.
 *
 * <p>Use with try-with-resources: {@link #close()} disarms it. A guard that fired has closed its
 * target; disarming it afterwards is harmless.
 */
public final class DeadlineGuard implements AutoCloseable {
  private static final int ARMED = 0;
  private static final int DISARMED = 1;
  private static final int FIRED = 2;

  private final Closeable target;
  private final long deadlineNanos;

  /** ARMED until the owner disarms it or the sweep fires it, whichever comes first. */
  private final AtomicInteger state = new AtomicInteger(ARMED);

  private DeadlineGuard(Closeable target, long deadlineNanos) {
    this.target = target;
    this.deadlineNanos = deadlineNanos;
  }

  /** Closes {@code target} once {@code limit} has passed, unless {@link #close()} comes first. */
  public static DeadlineGuard closeAfter(Duration limit, Closeable target) {
    long nanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), limit.toNanos());
    return closeAt(System.nanoTime() + nanos, target);
  }

  /**
   * Closes {@code target} once {@link System#nanoTime()} reaches {@code deadlineNanos}, unless
   * {@link #close()} comes first: for a caller that keeps its deadline as a point in time, with no
   * duration to make per call.
   */
  public static DeadlineGuard closeAt(long deadlineNanos, Closeable target) {
    DeadlineGuard guard = new DeadlineGuard(target, deadlineNanos);
    IoDeadlines.watch(guard);
    return guard;
  }

  /** Whether the deadline passed and the target was closed because of it. */
  public boolean fired() {
    return state.get() == FIRED;
  }

  /** Disarms the guard (harmless after it fired). */
  @Override
  public void close() {
    // Only marked: the next sweep drops it from the timer's queue.
    state.compareAndSet(ARMED, DISARMED);
  }

  /** Neither disarmed nor fired yet. */
  boolean armed() {
    return state.get() == ARMED;
  }

  /** When the target is to be closed, on {@link System#nanoTime()}'s scale. */
  long deadlineNanos() {
    return deadlineNanos;
  }

  /** Closes the target, unless the owner disarmed the guard first. On the timer's thread. */
  void fire() {
    if (state.compareAndSet(ARMED, FIRED)) {
      try {
        target.close();
      } catch (IOException | RuntimeException ignored) {
        // The blocked operation fails on the closed target; that failure is reported. Nothing may
        // escape: it would end the timer's chain of sweeps, and with it every other guard.
      }
    }
  }
}
