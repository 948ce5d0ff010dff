package dev.guise.codec.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The guard closes its target at the deadline, and only then. */
class DeadlineGuardTest {
  @Test
  void firesAndClosesTheTargetAtTheDeadline() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    long start = System.nanoTime();
    try (DeadlineGuard guard = DeadlineGuard.closeAfter(Duration.ofMillis(80), closed::countDown)) {
      assertTrue(closed.await(5, TimeUnit.SECONDS), "the target was closed");
      assertTrue(guard.fired());
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(80), "not early");
    }
  }

  @Test
  void disarmedInTimeItNeverCloses() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    DeadlineGuard guard = DeadlineGuard.closeAfter(Duration.ofMillis(200), closed::countDown);
    guard.close();
    assertFalse(closed.await(400, TimeUnit.MILLISECONDS), "a disarmed guard closed its target");
    assertFalse(guard.fired());
  }

  /** A target whose close throws must not stop the sweeps that fire every other guard. */
  @Test
  void aTargetThatThrowsLeavesTheOtherGuardsWorking() throws Exception {
    DeadlineGuard bad =
        DeadlineGuard.closeAfter(
            Duration.ofMillis(5),
            () -> {
              throw new IllegalStateException("a broken target");
            });
    CountDownLatch closed = new CountDownLatch(1);
    DeadlineGuard.closeAfter(Duration.ofMillis(200), closed::countDown);
    assertTrue(closed.await(5, TimeUnit.SECONDS), "the guard after the broken one fired");
    assertTrue(bad.fired());
  }

  /** Disarming only marks a guard: the sweeps drop it, so the timer's queue empties by itself. */
  @Test
  void disarmedGuardsLeaveTheQueueWithinAFewSweeps() throws Exception {
    for (int i = 0; i < 10_000; i++) {
      DeadlineGuard.closeAfter(Duration.ofSeconds(30), () -> {}).close();
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (IoDeadlines.queued() > 0 && System.nanoTime() < until) {
      Thread.sleep(IoDeadlines.SWEEP_PERIOD.toMillis());
    }
    assertEquals(0, IoDeadlines.queued(), "disarmed guards left in the timer's queue");
  }

  /** A guard armed while a long one keeps the sweeps going is not left for the next period. */
  @Test
  void aShortGuardArmedBesideALongOneFiresNearItsDeadline() throws Exception {
    try (DeadlineGuard longOne = DeadlineGuard.closeAfter(Duration.ofSeconds(30), () -> {})) {
      CountDownLatch closed = new CountDownLatch(1);
      long start = System.nanoTime();
      DeadlineGuard shortOne = DeadlineGuard.closeAfter(Duration.ofMillis(5), closed::countDown);
      assertTrue(closed.await(5, TimeUnit.SECONDS));
      long took = System.nanoTime() - start;
      assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(5), "not early");
      assertTrue(shortOne.fired());
      assertFalse(longOne.fired());
    }
  }

  /**
   * Many threads arm and disarm guards as an HTTP/1.1 connection does per request, while sweeps
   * start and stop under them. Every guard left armed fires; a disarmed one closes its target only
   * if it fired before it was disarmed (its limit is a few milliseconds, so some do), and then says
   * so. Then the chain of sweeps ends and a new guard starts it again.
   */
  @Test
  void racingArmsAndDisarmsCloseExactlyTheGuardsThatFired() throws Exception {
    AtomicInteger disarmedClosed = new AtomicInteger();
    int leftArmed = 200;
    CountDownLatch expired = new CountDownLatch(leftArmed);
    List<DeadlineGuard> kept = new ArrayList<>();
    List<DeadlineGuard> disarmed = new ArrayList<>();
    try (var threads = Executors.newFixedThreadPool(8)) {
      List<Future<List<List<DeadlineGuard>>>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int id = t;
        done.add(
            threads.submit(
                () -> {
                  List<DeadlineGuard> mine = new ArrayList<>();
                  List<DeadlineGuard> gone = new ArrayList<>();
                  for (int i = 0; i < 20_000; i++) {
                    if (i % 800 == id) {
                      mine.add(DeadlineGuard.closeAfter(Duration.ofMillis(1), expired::countDown));
                    } else {
                      DeadlineGuard guard =
                          DeadlineGuard.closeAfter(
                              Duration.ofMillis(1 + i % 3), disarmedClosed::incrementAndGet);
                      guard.close();
                      gone.add(guard);
                    }
                  }
                  return List.of(mine, gone);
                }));
      }
      for (Future<List<List<DeadlineGuard>>> f : done) {
        List<List<DeadlineGuard>> lists = f.get(60, TimeUnit.SECONDS);
        kept.addAll(lists.get(0));
        disarmed.addAll(lists.get(1));
      }
    }
    assertEquals(leftArmed, kept.size());
    assertTrue(
        expired.await(10, TimeUnit.SECONDS), expired.getCount() + " armed guards never fired");
    assertTrue(kept.stream().allMatch(DeadlineGuard::fired));
    Thread.sleep(3 * IoDeadlines.SWEEP_PERIOD.toMillis()); // any late sweep has run
    assertEquals(
        disarmed.stream().filter(DeadlineGuard::fired).count(),
        disarmedClosed.get(),
        "disarmed guards closed their targets without having fired");

    Thread.sleep(2 * IoDeadlines.SWEEP_PERIOD.toMillis()); // nothing is armed: the chain ends
    CountDownLatch again = new CountDownLatch(1);
    DeadlineGuard.closeAfter(Duration.ofMillis(10), again::countDown);
    assertTrue(again.await(5, TimeUnit.SECONDS), "a guard armed after the chain ended fired");
  }
}
