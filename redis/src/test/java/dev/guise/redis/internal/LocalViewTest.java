package dev.guise.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.guise.pool.fleet.Ban;
import dev.guise.pool.fleet.BanKey;
import dev.guise.pool.fleet.FleetStore.Origin;
import dev.guise.testing.MutableClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The local copy forgets bans and strikes once over, by the injected clock, whether or not anyone
 * lists them: a long crawl meeting many short bans keeps only those in force.
 */
class LocalViewTest {
  private static BanKey key(int i) throws UnknownHostException {
    byte[] ip = {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
    return BanKey.ofIp("shop.example", 443, InetAddress.getByAddress(ip));
  }

  @Test
  void bansAndStrikesOverAreForgottenWithoutBeingListed() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
    LocalView view = new LocalView(clock);
    for (int i = 0; i < 10_000; i++) {
      Instant now = clock.instant();
      view.putBan(new Ban(key(i), "403", now, now.plus(Duration.ofMinutes(1))), Origin.FLEET);
      view.addStrike(key(100_000 + i), Duration.ofMinutes(1));
    }
    assertEquals(20_000, view.held());
    assertNotNull(view.ban(key(0)));

    // Half a minute on: nothing is over, nothing goes.
    clock.advance(Duration.ofSeconds(30));
    Instant now = clock.instant();
    view.putBan(new Ban(key(20_000), "403", now, now.plus(Duration.ofMinutes(5))), Origin.FLEET);
    assertEquals(20_001, view.held());

    // Two minutes on: the next write sweeps what ended; the ban of five minutes stays.
    clock.advance(Duration.ofMinutes(2));
    assertEquals(1, view.addStrike(key(30_000), Duration.ofMinutes(1)));
    assertEquals(2, view.held());
    assertNull(view.ban(key(0)));
    assertNotNull(view.ban(key(20_000)));
    // A strike over is counted afresh.
    assertEquals(1, view.addStrike(key(100_000), Duration.ofMinutes(1)));
    assertEquals(2, view.addStrike(key(100_000), Duration.ofMinutes(1)));

    // The sweep runs at most once a second: a ban over within that second goes at the next one.
    now = clock.instant();
    view.putBan(new Ban(key(40_000), "403", now, now.plusMillis(100)), Origin.FLEET);
    clock.advance(Duration.ofMillis(200));
    view.addStrike(key(30_000), Duration.ofMinutes(1));
    assertNotNull(view.ban(key(40_000)), "not yet swept");
    clock.advance(Duration.ofSeconds(1));
    view.addStrike(key(30_000), Duration.ofMinutes(1));
    assertNull(view.ban(key(40_000)));
  }
}
