package dev.guise.flink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HostTokenBucketsTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Test
  void spacesAHostsRequestsEvenly() {
    HostTokenBuckets limiter = new HostTokenBuckets(10, now::get);

    assertEquals(Duration.ZERO, limiter.reserve("a.test"));
    assertEquals(Duration.ofMillis(100), limiter.reserve("a.test"));
    assertEquals(Duration.ofMillis(200), limiter.reserve("a.test"));
    // Another host has its own bucket.
    assertEquals(Duration.ZERO, limiter.reserve("b.test"));

    now.addAndGet(Duration.ofMillis(250).toNanos());
    assertEquals(Duration.ofMillis(50), limiter.reserve("a.test"));
  }

  @Test
  void anIdleHostStartsAfreshWithoutABurst() {
    HostTokenBuckets limiter = new HostTokenBuckets(2, now::get);
    limiter.reserve("a.test");
    now.addAndGet(Duration.ofSeconds(10).toNanos());

    assertEquals(Duration.ZERO, limiter.reserve("a.test"));
    // Burst of one: idle time earns no credit.
    assertEquals(Duration.ofMillis(500), limiter.reserve("a.test"));
  }

  @Test
  void forgetsHostsWhoseSlotHasPassed() {
    HostTokenBuckets limiter = new HostTokenBuckets(1000, now::get);
    for (int i = 0; i < 100_000; i++) {
      limiter.reserve("host-" + i + ".test");
      now.addAndGet(Duration.ofMillis(2).toNanos());
    }
    assertTrue(limiter.trackedHosts() <= 8192, "tracked: " + limiter.trackedHosts());
  }

  @Test
  void refusesANonPositiveRate() {
    assertThrows(IllegalArgumentException.class, () -> new HostTokenBuckets(0, now::get));
    assertThrows(IllegalArgumentException.class, () -> new HostTokenBuckets(Double.NaN, now::get));
  }
}
