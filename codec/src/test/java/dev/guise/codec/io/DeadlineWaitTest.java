package dev.guise.codec.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** An untimed wait that the timer's guard ends at the deadline. */
class DeadlineWaitTest {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  /** Waits, as the pool's waiters do, until the deadline; returns the nanoseconds it took. */
  private long waitOut(long limitMillis) throws InterruptedException {
    long start = System.nanoTime();
    lock.lock();
    try (DeadlineWait wait =
        new DeadlineWait(lock, changed, start + TimeUnit.MILLISECONDS.toNanos(limitMillis))) {
      while (!wait.expired()) {
        wait.await();
      }
    } finally {
      lock.unlock();
    }
    return System.nanoTime() - start;
  }

  @Test
  void nothingSignalsTheWaiterAndTheDeadlineEndsTheWait() throws Exception {
    long took = waitOut(80);
    assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(80), "not early: " + took);
    assertTrue(took < TimeUnit.SECONDS.toNanos(3), "ended near the deadline: " + took);
  }

  @Test
  void aVirtualThreadsWaitEndsAtTheDeadlineToo() throws Exception {
    CompletableFuture<Long> took = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                took.complete(waitOut(80));
              } catch (Throwable t) {
                took.completeExceptionally(t);
              }
            });
    long nanos = took.get(5, TimeUnit.SECONDS);
    assertTrue(nanos >= TimeUnit.MILLISECONDS.toNanos(80), "not early: " + nanos);
  }

  /**
   * When the deadline passes while another thread holds the lock, the timer's thread does not wait
   * for it (every other guard would wait too); the waiter is still woken once the lock is free.
   */
  @Test
  void aLockHeldAtTheDeadlineDelaysTheWakeButDoesNotLoseIt() throws Exception {
    CountDownLatch parked = new CountDownLatch(1);
    CompletableFuture<Long> took = new CompletableFuture<>();
    Thread waiter =
        Thread.ofPlatform()
            .start(
                () -> {
                  long start = System.nanoTime();
                  lock.lock();
                  try (DeadlineWait wait =
                      new DeadlineWait(lock, changed, start + TimeUnit.MILLISECONDS.toNanos(50))) {
                    parked.countDown(); // await below releases the lock
                    while (!wait.expired()) {
                      wait.await();
                    }
                    took.complete(System.nanoTime() - start);
                  } catch (Throwable t) {
                    took.completeExceptionally(t);
                  } finally {
                    lock.unlock();
                  }
                });
    assertTrue(parked.await(5, TimeUnit.SECONDS));
    lock.lock(); // taken once the waiter parked in await, held across its deadline
    try {
      Thread.sleep(300);
      CountDownLatch probe = new CountDownLatch(1);
      // The timer's thread, free to fire other guards while the lock is held: one due now fires.
      DeadlineGuard.closeAfter(Duration.ofMillis(1), probe::countDown);
      assertTrue(probe.await(5, TimeUnit.SECONDS), "the timer was left waiting for the lock");
      assertFalse(took.isDone(), "woken while the lock was held");
    } finally {
      lock.unlock();
    }
    long nanos = took.get(5, TimeUnit.SECONDS);
    assertTrue(nanos >= TimeUnit.MILLISECONDS.toNanos(300), "woken after the lock was free");
    waiter.join(5_000);
  }

  @Test
  void aSignalEndsTheWaitEarlyAndTheClosedWaitLeavesNoWakeBehind() throws Exception {
    CountDownLatch parked = new CountDownLatch(1);
    CompletableFuture<Boolean> expired = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              lock.lock();
              try (DeadlineWait wait =
                  new DeadlineWait(
                      lock, changed, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(150))) {
                parked.countDown();
                wait.await();
                expired.complete(wait.expired());
              } catch (Throwable t) {
                expired.completeExceptionally(t);
              } finally {
                lock.unlock();
              }
            });
    assertTrue(parked.await(5, TimeUnit.SECONDS));
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    assertFalse(expired.get(5, TimeUnit.SECONDS), "the signal, not the deadline, ended it");

    // The closed wait's guard was disarmed: a later waiter on the same condition, with a deadline
    // of its own far off, is not woken at the first one's deadline.
    long start = System.nanoTime();
    int wakes = 0;
    lock.lock();
    try (DeadlineWait later =
        new DeadlineWait(lock, changed, start + TimeUnit.MILLISECONDS.toNanos(600))) {
      while (!later.expired()) {
        later.await();
        if (!later.expired()) {
          wakes++;
        }
      }
    } finally {
      lock.unlock();
    }
    assertEquals(0, wakes, "woken before its own deadline by a closed wait's guard");
  }

  @Test
  void aWaitArmsOneGuardHoweverOftenItParks() throws Exception {
    // Guards other tests disarmed leave at the next sweeps; count from an empty queue.
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (IoDeadlines.queued() > 0 && System.nanoTime() < until) {
      Thread.sleep(IoDeadlines.SWEEP_PERIOD.toMillis());
    }
    assertEquals(0, IoDeadlines.queued());
    lock.lock();
    try (DeadlineWait wait =
        new DeadlineWait(lock, changed, System.nanoTime() + TimeUnit.SECONDS.toNanos(30))) {
      for (int i = 0; i < 3; i++) {
        Thread.ofVirtual()
            .start(
                () -> {
                  lock.lock();
                  try {
                    changed.signalAll();
                  } finally {
                    lock.unlock();
                  }
                });
        wait.await(); // the signaller needs the lock, which await gives up
      }
      assertEquals(1, IoDeadlines.queued(), "guards armed by one wait");
    } finally {
      lock.unlock();
    }
  }
}
