package dev.guise.codec.io;

import java.time.Duration;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one timer behind every {@link DeadlineGuard} in Guise: writes blocked past their deadline
 * (HTTP/1.1 and HTTP/2), handshakes past theirs, a close_notify the peer never lets through. Its
 * thread starts on first use and exits after a second with nothing scheduled, so an application
 * that closed its pools keeps no thread of Guise's. What a guard closes must not block.
 *
 * <p>Guards are not timer tasks: a connection arms one for every write, and a task scheduled ahead
 * of every other one wakes the timer's thread (one wake-up and context switch per request, about a
 * fifth of the client's CPU time at one caller in the Download benchmark). Armed guards sit in a
 * queue instead, and one sweep every {@link #SWEEP_PERIOD} fires those past their deadline while
 * any is queued. Arming is one append to the queue; disarming only marks the guard, and the next
 * sweep drops it (a set's insert and removal, with the identity hash each new guard needed, were
 * 1.5 % of the client's CPU at 64 HTTP/1.1 callers). So the queue holds the guards of at most one
 * period's writes beyond those armed. The timer wakes at most once a period, plus once for a guard
 * whose deadline comes before the next sweep.
 */
final class IoDeadlines {
  /** How often armed guards are checked: the most a guard fires after its deadline. */
  static final Duration SWEEP_PERIOD = Duration.ofMillis(50);

  private static final long SWEEP_NANOS = SWEEP_PERIOD.toNanos();
  private static final ScheduledThreadPoolExecutor TIMER = create();

  /**
   * Guards armed since the last sweep, and those still armed from before; a sweep drops the rest.
   */
  private static final Queue<DeadlineGuard> QUEUED = new ConcurrentLinkedQueue<>();

  /** Whether a chain of periodic sweeps is scheduled; only the chain's sweep clears it. */
  private static final AtomicBoolean sweeping = new AtomicBoolean();

  /** When the chain's next sweep runs ({@link System#nanoTime()}); a hint, read without a lock. */
  private static volatile long nextSweepNanos;

  private IoDeadlines() {}

  private static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "guise-io-deadlines");
              t.setDaemon(true);
              return t;
            });
    timer.setKeepAliveTime(1, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    return timer;
  }

  /** Guards in the queue now, armed or waiting to be dropped (for tests). */
  static int queued() {
    return QUEUED.size();
  }

  static void watch(DeadlineGuard guard) {
    QUEUED.add(guard);
    long now = System.nanoTime();
    long due = guard.deadlineNanos() - now;
    if (!sweeping.get() && sweeping.compareAndSet(false, true)) {
      scheduleChain(now, Math.min(due, SWEEP_NANOS));
    } else if (guard.deadlineNanos() - nextSweepNanos < 0) {
      // Due before the chain's next sweep (a short limit): one sweep of its own, off the chain.
      TIMER.schedule(() -> sweep(false), due, TimeUnit.NANOSECONDS);
    }
  }

  private static void scheduleChain(long now, long delayNanos) {
    long delay = Math.max(0, delayNanos);
    nextSweepNanos = now + delay;
    TIMER.schedule(() -> sweep(true), delay, TimeUnit.NANOSECONDS);
  }

  /**
   * Fires every armed guard past its deadline and drops the disarmed ones. Sweeps run one at a time
   * (the timer has one thread). The chain's sweep schedules the next one while guards are queued,
   * and otherwise ends the chain; a guard armed while it ends either sees the chain still on or
   * starts a new one (the check after clearing the flag settles which).
   */
  private static void sweep(boolean chain) {
    long now = System.nanoTime();
    long next = SWEEP_NANOS;
    for (Iterator<DeadlineGuard> it = QUEUED.iterator(); it.hasNext(); ) {
      DeadlineGuard guard = it.next();
      if (!guard.armed()) {
        it.remove(); // disarmed by its owner, or fired by an earlier sweep
        continue;
      }
      long left = guard.deadlineNanos() - now;
      if (left <= 0) {
        it.remove();
        guard.fire();
      } else {
        next = Math.min(next, left);
      }
    }
    if (!chain) {
      return;
    }
    if (QUEUED.isEmpty()) {
      sweeping.set(false);
      if (QUEUED.isEmpty() || !sweeping.compareAndSet(false, true)) {
        return;
      }
    }
    scheduleChain(System.nanoTime(), next);
  }
}
