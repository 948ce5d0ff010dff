package dev.guise.codec.io;

import java.io.Closeable;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A wait on a {@link Condition} that ends at a deadline without a timed park: the waiting thread
 * parks untimed, and a {@link DeadlineGuard} on Guise's one I/O timer signals the condition if the
 * deadline passes first.
 *
 * <p>Why not {@link Condition#awaitNanos}: on a virtual thread a timed park gives the JDK's
 * scheduler a timer task (on JDK 25 the carrier pool's delay-scheduler thread takes it in, on JDK
 * 21 the unparker thread), and the wait that ends early, as almost every wait for a response or a
 * connection does, cancels it: that thread is woken once or twice per wait. At one HTTP/2 caller
 * that was two context switches per request and about a quarter of the client's CPU. A guard costs
 * a queue append; the timer's sweep looks at it at most once a period.
 *
 * <p>The deadline is kept as well as the guard's: never early, at most one sweep period late (50
 * ms), and a guard due before the next sweep gets a sweep of its own. The guard is armed on the
 * first wait that has to park, so a wait whose condition already holds arms none.
 *
 * <p>Use it while holding {@code lock}, and close it (try-with-resources) when the wait is over:
 *
 * <pre>{@code
 * lock.lock();
 * try (DeadlineWait wait = new DeadlineWait(lock, changed, deadlineNanos)) {
 *   while (!ready()) {
 *     if (wait.expired()) {
 *       throw timedOut();
 *     }
 *     wait.await();
 *   }
 * } finally {
 *   lock.unlock();
 * }
 * }</pre>
 */
public final class DeadlineWait implements AutoCloseable {
  private final Lock lock;
  private final Condition condition;
  private final long deadlineNanos;

  /** Armed by the first {@link #await()}; null until then. Touched only by the waiting thread. */
  private DeadlineGuard guard;

  /**
   * A wait on {@code condition} (of {@code lock}) until {@link System#nanoTime()} reaches {@code
   * deadlineNanos}.
   */
  public DeadlineWait(Lock lock, Condition condition, long deadlineNanos) {
    this.lock = lock;
    this.condition = condition;
    this.deadlineNanos = deadlineNanos;
  }

  /** Whether the deadline passed. */
  public boolean expired() {
    return deadlineNanos - System.nanoTime() <= 0;
  }

  /**
   * Waits until the condition is signalled, the deadline passes (give or take the timer's period),
   * or the thread is interrupted. Spurious returns are possible, as with {@link Condition#await()}:
   * the caller checks its state and {@link #expired()} in a loop. The caller holds the lock.
   */
  public void await() throws InterruptedException {
    if (guard == null) {
      guard = DeadlineGuard.closeAt(deadlineNanos, new Wake(lock, condition));
    }
    condition.await();
  }

  /** Disarms the guard, if one was armed. Harmless after it fired. */
  @Override
  public void close() {
    if (guard != null) {
      guard.close();
    }
  }

  /**
   * What the guard does when the deadline passes: signals the waiters under their lock. It runs on
   * the timer's one thread, which must not wait behind a lock held for long (every other guard
   * waits with it): the lock is taken if free at once, and otherwise by a virtual thread started
   * for it. Only a deadline that passes gets here, so that thread is rare.
   */
  private record Wake(Lock lock, Condition condition) implements Closeable {
    @Override
    public void close() {
      if (lock.tryLock()) {
        signalAndUnlock();
      } else {
        Thread.ofVirtual()
            .name("guise-deadline-wake")
            .start(
                () -> {
                  lock.lock();
                  signalAndUnlock();
                });
      }
    }

    private void signalAndUnlock() {
      try {
        condition.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
