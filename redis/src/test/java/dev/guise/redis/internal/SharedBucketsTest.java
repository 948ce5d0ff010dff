package dev.guise.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.pool.fleet.RateLimit;
import dev.guise.redis.RedisSettings;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The shares a process keeps of the fleet's buckets: those not drawn on are forgotten, those in use
 * kept. Redis stays down here (the link is never started), so every draw is on the local bucket;
 * the time is a counter moved by hand.
 */
class SharedBucketsTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final RateLimit limit = new RateLimit(2, 3); // 2 a second, a burst of 3

  private static RedisLink unstartedLink() {
    return new RedisLink(
        RedisSettings.builder("redis://127.0.0.1:1").build(),
        "test",
        new RedisLink.Listener() {
          @Override
          public void down(String why) {}

          @Override
          public void up() {}

          @Override
          public void message(String message) {}
        });
  }

  private void advance(long millis) {
    nanos.addAndGet(Duration.ofMillis(millis).toNanos());
  }

  @Test
  void aShareIsForgottenOnceNotDrawnOnForASecondAndForATokensTime() {
    try (RedisLink link = unstartedLink()) {
      SharedBuckets buckets = new SharedBuckets(link, new Keys("test:"), nanos::get);
      buckets.take("a.test", limit);
      advance(600);
      buckets.take("b.test", limit);
      advance(600); // the first sweep is due: a is a second and more quiet, b is not
      buckets.take("c.test", limit);
      assertEquals(2, buckets.sharesKept(), "b and c");

      RateLimit slow = new RateLimit(0.5, 1); // a token every 2 s
      buckets.take("slow.test", slow);
      advance(1_500); // the next sweep: b and c go; slow has not had a token's time yet
      buckets.take("d.test", limit);
      assertEquals(2, buckets.sharesKept(), "slow and d");
    }
  }

  @Test
  void aProcessMeetingEverNewHostsKeepsOnlyTheRecentShares() {
    try (RedisLink link = unstartedLink()) {
      SharedBuckets buckets = new SharedBuckets(link, new Keys("test:"), nanos::get);
      for (int round = 0; round < 30; round++) {
        advance(2_000);
        for (int i = 0; i < 1_000; i++) {
          buckets.take("h" + round + "-" + i + ".test", limit);
        }
      }
      int kept = buckets.sharesKept();
      assertTrue(kept <= 2_000, "30,000 hosts; two rounds' at most are kept: " + kept);
    }
  }
}
