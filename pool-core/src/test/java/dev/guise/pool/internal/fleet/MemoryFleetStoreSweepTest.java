package dev.guise.pool.internal.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.pool.fleet.BanKey;
import dev.guise.pool.fleet.RateLimit;
import dev.guise.testing.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store keeps what still counts when it meets ever new hosts: its writes sweep away
 * refilled buckets and lapsed strike counts, and keep live ones. Time moves by hand.
 */
class MemoryFleetStoreSweepTest {
  private final MutableClock clock = new MutableClock();
  private final MemoryFleetStore store = new MemoryFleetStore(clock);
  private final RateLimit limit = new RateLimit(2, 3); // 2 a second, a burst of 3

  @Test
  void refilledBucketsAreSweptAndAnEmptyOneKeepsItsDebt() {
    for (int i = 0; i < 3; i++) {
      assertEquals(Duration.ZERO, store.takeToken("busy.test", limit));
    }
    assertTrue(store.takeToken("busy.test", limit).compareTo(Duration.ZERO) > 0, "burst spent");

    for (int round = 0; round < 50; round++) {
      clock.advance(Duration.ofSeconds(2)); // every bucket taken from is full again ...
      for (int i = 0; i < 3; i++) {
        store.takeToken("busy.test", limit); // ... and this one is spent again at once
      }
      for (int i = 0; i < 1_000; i++) {
        store.takeToken("h" + round + "-" + i + ".test", limit);
      }
    }
    int kept = store.entriesKept();
    assertTrue(kept <= 2_001, "50,001 hosts met; two rounds' at most are kept: " + kept);
    assertTrue(
        store.takeToken("busy.test", limit).compareTo(Duration.ZERO) > 0,
        "the spent bucket was kept: still no token");
  }

  @Test
  void lapsedStrikeCountsAreSweptAndLiveOnesCount() throws Exception {
    BanKey live = BanKey.ofIp("live.test", 443, InetAddress.getByName("127.0.1.1"));
    assertEquals(1, store.addStrike(live, Duration.ofHours(1)));
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < 1_000; i++) {
        InetAddress ip = InetAddress.getByName("127.0.1." + (i % 200));
        BanKey k = BanKey.ofIp("h" + round + "-" + i + ".test", 443, ip);
        store.addStrike(k, Duration.ofSeconds(30));
      }
      clock.advance(Duration.ofMinutes(1)); // those have lapsed
    }
    int kept = store.entriesKept();
    assertTrue(kept <= 2_001, "20,001 strike counts; two rounds' at most are kept: " + kept);
    assertEquals(2, store.addStrike(live, Duration.ofHours(1)), "the live count goes on");
  }
}
