package dev.guise.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

  /**
   * The fleet's notices come in Redis's order: a key with a put made here still in flight ignores
   * them (they tell of writes Redis ran before that put), and obeys them again once the put's own
   * notice is back or the put is known never to reach Redis.
   */
  @Test
  void noticesLeaveAKeyWithAPutInFlightAlone() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
    LocalView view = new LocalView(clock);
    Instant now = clock.instant();
    Ban mine = new Ban(key(1), "403", now, now.plus(Duration.ofMinutes(5)));
    Ban theirs = new Ban(key(1), "429", now, now.plus(Duration.ofMinutes(1)));
    Ban other = new Ban(key(2), "403", now, now.plus(Duration.ofMinutes(5)));

    view.putLocalBan(mine);
    view.banNoticed(other);
    assertEquals(1, view.keysInFlight());
    view.banNoticed(theirs); // Redis ran it before mine: mine replaces it there too
    assertEquals(mine, view.ban(key(1)));
    assertEquals(1, view.liftAllNoticed(Origin.FLEET), "only the ban without a put in flight");
    assertEquals(mine, view.ban(key(1)));
    assertNull(view.ban(key(2)));
    assertFalse(view.liftNoticed(key(1), Origin.FLEET));
    assertEquals(mine, view.ban(key(1)));

    view.ownPutNoticed(key(1)); // mine is in Redis now: later notices apply
    assertEquals(0, view.keysInFlight());
    view.banNoticed(theirs);
    assertEquals(theirs, view.ban(key(1)));
    assertEquals(1, view.liftAllNoticed(Origin.FLEET));
    assertNull(view.ban(key(1)));

    // Two puts of one key: the key is left alone until both are back.
    view.putLocalBan(mine);
    view.putLocalBan(mine);
    view.ownPutNoticed(key(1));
    assertEquals(0, view.liftAllNoticed(Origin.FLEET));
    view.putSettled(key(1)); // the second never reaches Redis (dropped, or over already)
    assertEquals(1, view.liftAllNoticed(Origin.FLEET));
    assertEquals(0, view.keysInFlight());
  }
}
