package dev.guise.codec.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The guard closes its target at the deadline, and only then. */
class DeadlineGuardTest {
  @Test
  void firesAndClosesTheTargetAtTheDeadline() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    try (DeadlineGuard guard = DeadlineGuard.closeAfter(Duration.ofMillis(50), closed::countDown)) {
      assertTrue(closed.await(5, TimeUnit.SECONDS), "the target was closed");
      assertTrue(guard.fired());
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
}
