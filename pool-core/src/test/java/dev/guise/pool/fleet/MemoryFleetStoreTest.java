package dev.guise.pool.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.testing.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The in-memory store keeps the SPI's contract; time moves by hand. */
class MemoryFleetStoreTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final FleetStore store = FleetStores.inMemory(clock);

  private static InetAddress ip(String text) throws Exception {
    return InetAddress.getByName(text);
  }

  @Test
  void aBanIsHeldListedLiftedAndHeardByListeners() throws Exception {
    List<String> heard = new ArrayList<>();
    store.addListener(
        new FleetStore.Listener() {
          @Override
          public void banned(Ban ban, FleetStore.Origin origin) {
            heard.add("banned " + ban.key() + " " + origin);
          }

          @Override
          public void banLifted(BanKey key, FleetStore.Origin origin) {
            heard.add("lifted " + key + " " + origin);
          }
        });
    BanKey a = BanKey.ofIp("Example.com", 443, ip("127.0.1.1"));
    BanKey b = BanKey.ofProxyExit("example.com", 443, "http://127.0.0.1:3128");
    store.putBan(new Ban(a, "403", clock.instant(), clock.instant().plusSeconds(60)));
    store.putBan(new Ban(b, "block page", clock.instant(), clock.instant().plusSeconds(30)));

    assertEquals("403", store.ban(a).orElseThrow().reason());
    assertEquals(2, store.bans().size());
    assertTrue(store.liftBan(a));
    assertFalse(store.liftBan(a), "a second lift finds nothing");
    assertEquals(Optional.empty(), store.ban(a));
    assertEquals(1, store.liftAllBans());
    assertEquals(List.of(), store.bans());
    assertEquals(
        List.of(
            "banned example.com:443|ip|127.0.1.1 LOCAL",
            "banned example.com:443|exit|http://127.0.0.1:3128 LOCAL",
            "lifted example.com:443|ip|127.0.1.1 LOCAL",
            "lifted example.com:443|exit|http://127.0.0.1:3128 LOCAL"),
        heard);
  }

  @Test
  void anExpiredBanIsForgottenByTheClock() throws Exception {
    BanKey a = BanKey.ofIp("example.com", 443, ip("127.0.1.1"));
    store.putBan(new Ban(a, "403", clock.instant(), clock.instant().plusSeconds(60)));
    clock.advance(Duration.ofSeconds(59));
    assertEquals(1, store.bans().size());
    clock.advance(Duration.ofSeconds(1));
    assertEquals(List.of(), store.bans());
  }

  @Test
  void strikesCountUpAndExpireAfterTheirTtl() throws Exception {
    BanKey a = BanKey.ofIp("example.com", 443, ip("127.0.1.1"));
    Duration ttl = Duration.ofMinutes(1);
    assertEquals(1, store.addStrike(a, ttl));
    clock.advance(Duration.ofSeconds(50));
    assertEquals(2, store.addStrike(a, ttl), "the ttl runs from the last strike");
    clock.advance(Duration.ofSeconds(50));
    assertEquals(3, store.addStrike(a, ttl));
    clock.advance(Duration.ofSeconds(61));
    assertEquals(1, store.addStrike(a, ttl), "forgotten a ttl after the last one");
    store.clearStrikes(a);
    assertEquals(1, store.addStrike(a, ttl));
  }

  @Test
  void accessEntriesAreASetAndChangesAreHeard() throws Exception {
    List<String> heard = new ArrayList<>();
    store.addListener(
        new FleetStore.Listener() {
          @Override
          public void accessChanged(AccessEntry entry, boolean added, FleetStore.Origin origin) {
            heard.add((added ? "+" : "-") + entry);
          }
        });
    AccessEntry deny = AccessEntry.deny(null, ip("127.0.1.2"));
    AccessEntry allow = AccessEntry.allow("Example.com", ip("127.0.1.1"));
    assertTrue(store.addAccessEntry(deny));
    assertFalse(store.addAccessEntry(AccessEntry.deny(null, ip("127.0.1.2"))), "already there");
    assertTrue(store.addAccessEntry(allow));
    assertEquals(List.of(deny, allow), store.accessEntries());
    assertTrue(store.removeAccessEntry(deny));
    assertFalse(store.removeAccessEntry(deny));
    assertEquals(List.of(allow), store.accessEntries());
    assertEquals(
        List.of("+deny|*|127.0.1.2", "+allow|example.com|127.0.1.1", "-deny|*|127.0.1.2"), heard);
  }

  @Test
  void theBucketGivesItsBurstThenRefillsAtItsRate() {
    RateLimit limit = new RateLimit(10, 5); // one token each 100 ms, five at most
    for (int i = 0; i < 5; i++) {
      assertEquals(Duration.ZERO, store.takeToken("example.com", limit), "token " + i);
    }
    Duration wait = store.takeToken("example.com", limit);
    assertEquals(Duration.ofMillis(100), wait, "empty: the next token is 100 ms away");
    assertEquals(Duration.ZERO, store.takeToken("other.example", limit), "one bucket per host");
    clock.advance(Duration.ofMillis(40));
    assertEquals(Duration.ofMillis(60), store.takeToken("example.com", limit));
    clock.advance(Duration.ofMillis(60));
    assertEquals(Duration.ZERO, store.takeToken("example.com", limit));
    clock.advance(Duration.ofHours(1));
    int taken = 0;
    while (store.takeToken("example.com", limit).isZero()) {
      taken++;
    }
    assertEquals(5, taken, "a quiet spell fills the bucket to its burst, no more");
  }

  @Test
  void overAMinuteTheBucketHoldsItsRate() {
    RateLimit limit = new RateLimit(50, 10);
    int granted = 0;
    for (int ms = 0; ms < 60_000; ms++) { // a caller asking every millisecond for a minute
      if (store.takeToken("example.com", limit).isZero()) {
        granted++;
      }
      clock.advance(Duration.ofMillis(1));
    }
    // The last ask is at 59.999 s: 2,999.95 tokens refilled, of which 2,999 whole, plus the burst.
    assertEquals(2_999 + 10, granted, "the rate over the minute, plus the burst at the start");
  }

  @Test
  void keysAndEntriesReadBackFromTheirIds() throws Exception {
    BanKey a = BanKey.ofIp("example.com", 8443, ip("::1"));
    BanKey b = BanKey.ofProxyExit("example.com", 443, "socks5://user@127.0.0.1:1080");
    assertEquals(a, BanKey.parse(a.id()));
    assertEquals(b, BanKey.parse(b.id()));
    AccessEntry e = AccessEntry.allow("example.com", ip("127.0.1.1"));
    assertEquals(e, AccessEntry.parse(e.id()));
    assertEquals(AccessEntry.deny(null, ip("::1")), AccessEntry.parse("deny|*|0:0:0:0:0:0:0:1"));
    assertThrows(IllegalArgumentException.class, () -> BanKey.parse("example.com|ip|x"));
    assertThrows(
        IllegalArgumentException.class,
        () -> BanKey.parse("example.com:443|ip|not-an-ip.example"),
        "never a DNS lookup");
    assertThrows(IllegalArgumentException.class, () -> AccessEntry.parse("maybe|*|127.0.0.1"));
    assertThrows(IllegalArgumentException.class, () -> new RateLimit(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new RateLimit(1, 0));
  }

  @Test
  void specsOpenTheMemoryStoreAndNameTheStoresFound() {
    try (FleetStore s = FleetStores.open("memory")) {
      assertEquals("memory", s.describe());
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FleetStores.open("nosuch:a=b"));
    assertTrue(e.getMessage().contains("found: memory"), e.getMessage());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class, () -> FleetStores.open("memory:s3cret-no-equals"));
    assertFalse(bad.getMessage().contains("s3cret"), bad.getMessage());
  }
}
