package dev.guise.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.pool.fleet.AccessEntry;
import dev.guise.pool.fleet.Ban;
import dev.guise.pool.fleet.BanKey;
import dev.guise.pool.fleet.FleetStore;
import dev.guise.pool.fleet.FleetStore.Origin;
import dev.guise.pool.fleet.RateLimit;
import dev.guise.testing.RedisServer;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two stores in one JVM on a real redis-server share bans, lifts, strikes and the access lists, two
 * prefixes do not see each other, and values another program wrote under the fleet's keys are
 * skipped.
 */
class RedisFleetStoreTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  static RedisFleetStore open(String prefix) {
    return RedisFleetStore.open(
        RedisSettings.builder(REDIS.server().uri()).keyPrefix(prefix).build());
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  static BanKey key(String host, String ip) throws Exception {
    return BanKey.ofIp(host, 443, InetAddress.getByName(ip));
  }

  static Ban ban(BanKey key, Duration length) {
    // Milliseconds: what the fleet keeps of a ban's times.
    Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
    return new Ban(key, "403 block page", now, now.plus(length));
  }

  @Test
  void aBanReachesTheOtherStoreAndItsListenersAndALiftToo() throws Exception {
    try (RedisFleetStore a = open("t1:");
        RedisFleetStore b = open("t1:")) {
      await("both connected", () -> a.connected() && b.connected());
      List<String> heard = new CopyOnWriteArrayList<>();
      b.addListener(
          new FleetStore.Listener() {
            @Override
            public void banned(Ban ban, Origin origin) {
              heard.add("ban " + ban.key() + " " + origin);
            }

            @Override
            public void banLifted(BanKey key, Origin origin) {
              heard.add("lift " + key + " " + origin);
            }
          });
      BanKey k = key("shop.example", "127.0.1.7");
      Ban ban = ban(k, Duration.ofMinutes(5));
      a.putBan(ban);
      assertEquals(ban, a.ban(k).orElseThrow(), "the local copy shows it at once");
      await("the ban at b", () -> b.ban(k).isPresent());
      assertEquals(ban, b.ban(k).orElseThrow());
      // b's copy shows the ban before its listeners are told: wait for them too.
      await("b's listener heard it", () -> !heard.isEmpty());
      assertEquals(List.of("ban " + k + " FLEET"), heard);
      // Redis keeps it with its own expiry.
      long ttl = (Long) REDIS.server().command("PTTL", "t1:ban:" + k.id());
      assertTrue(ttl > 290_000 && ttl <= 300_000, "TTL " + ttl);

      assertTrue(b.liftBan(k));
      await("the lift at a", () -> a.ban(k).isEmpty());
      assertEquals(null, REDIS.server().command("GET", "t1:ban:" + k.id()));
    }
  }

  @Test
  void strikesAreCountedForTheFleet() throws Exception {
    try (RedisFleetStore a = open("t2:");
        RedisFleetStore b = open("t2:")) {
      await("both connected", () -> a.connected() && b.connected());
      BanKey k = key("shop.example", "127.0.1.8");
      assertEquals(1, a.addStrike(k, Duration.ofMinutes(1)));
      await("a's strike in redis", () -> "1".equals(get("t2:strikes:" + k.id())));
      assertEquals(2, a.addStrike(k, Duration.ofMinutes(1)));
      await("a's second strike in redis", () -> "2".equals(get("t2:strikes:" + k.id())));
      // b has not heard the count yet: its own first strike says 1, and reaches Redis as the 3rd.
      b.addStrike(k, Duration.ofMinutes(1));
      await("b's strike in redis", () -> "3".equals(get("t2:strikes:" + k.id())));
      // b's callback that heard the fleet's 3 runs a moment after Redis counted it.
      Thread.sleep(100);
      assertEquals(4, b.addStrike(k, Duration.ofMinutes(1)), "b now counts the fleet's strikes");
      b.clearStrikes(k);
      await("cleared", () -> get("t2:strikes:" + k.id()) == null);
    }
  }

  @Test
  void accessEntriesAreShared() throws Exception {
    try (RedisFleetStore a = open("t3:");
        RedisFleetStore b = open("t3:")) {
      await("both connected", () -> a.connected() && b.connected());
      AccessEntry deny = AccessEntry.deny("shop.example", InetAddress.getByName("127.0.1.9"));
      AccessEntry allow = AccessEntry.allow(null, InetAddress.getByName("127.0.1.10"));
      assertTrue(a.addAccessEntry(deny));
      assertFalse(a.addAccessEntry(deny), "not new");
      assertTrue(b.addAccessEntry(allow));
      await(
          "both at a and b", () -> a.accessEntries().size() == 2 && b.accessEntries().size() == 2);
      assertTrue(b.removeAccessEntry(deny));
      await("removed at a", () -> a.accessEntries().equals(List.of(allow)));
    }
  }

  @Test
  void twoPrefixesAreTwoFleets() throws Exception {
    try (RedisFleetStore a = open("fleetA:");
        RedisFleetStore b = open("fleetB:");
        RedisFleetStore a2 = open("fleetA:")) {
      await("connected", () -> a.connected() && b.connected() && a2.connected());
      BanKey k = key("shop.example", "127.0.1.11");
      a.putBan(ban(k, Duration.ofMinutes(1)));
      await("a2 has it", () -> a2.ban(k).isPresent());
      Thread.sleep(100);
      assertTrue(b.ban(k).isEmpty(), "the other fleet does not see it");
    }
  }

  @Test
  void garbageUnderTheFleetsKeysIsSkipped() throws Exception {
    BanKey k = key("shop.example", "127.0.1.12");
    REDIS.server().command("SET", "t5:ban:" + k.id(), "not a ban at all");
    REDIS.server().command("SET", "t5:ban:nonsense", "g1|oops|x");
    REDIS.server().command("SET", "t5:ban:shop.example:443|ip|127.0.1.13", "g1|notanumber|1|p|r");
    REDIS.server().command("LPUSH", "t5:ban:shop.example:443|ip|127.0.1.14", "a list");
    // The same names in the fleet's index of bans, where a pull reads, and one that names no ban.
    String later = Long.toString(System.currentTimeMillis() + 3_600_000);
    REDIS
        .server()
        .command(
            "ZADD",
            "t5:bans",
            later,
            "t5:ban:" + k.id(),
            later,
            "t5:ban:nonsense",
            later,
            "t5:ban:shop.example:443|ip|127.0.1.13",
            later,
            "t5:ban:shop.example:443|ip|127.0.1.14",
            later,
            "t5:access");
    REDIS.server().command("SET", "t5:access", "a string, not a set");
    REDIS.server().command("SET", "t5:strikes:" + k.id(), "many");
    REDIS.server().command("SET", "t5:bucket:shop.example", "not a hash");
    try (RedisFleetStore a = open("t5:");
        RedisFleetStore b = open("t5:")) {
      await("connected and loaded", () -> a.reconciliations() > 0 && b.reconciliations() > 0);
      assertTrue(a.bans().isEmpty());
      assertTrue(a.accessEntries().isEmpty());
      assertTrue(a.skippedValues() >= 3, "skipped " + a.skippedValues());
      // Garbage on the channel too.
      REDIS
          .server()
          .command("PUBLISH", "t5:changes", "hello\nban\nshop.example:443|ip|1.2.3.4\ngarbage");
      REDIS.server().command("PUBLISH", "t5:changes", "\u0000\u0001");
      // And the store still works over all of it.
      assertEquals(1, a.addStrike(k, Duration.ofMinutes(1)));
      await("strike counted over garbage", () -> "1".equals(get("t5:strikes:" + k.id())));
      a.putBan(ban(k, Duration.ofMinutes(1)));
      await("ban over garbage reaches b", () -> b.ban(k).isPresent());
      assertTrue(a.addAccessEntry(AccessEntry.deny(null, InetAddress.getByName("127.0.1.15"))));
      await("access over garbage reaches b", () -> b.accessEntries().size() == 1);
      await(
          "a token from a garbage bucket",
          () -> a.takeToken("shop.example", RateLimit.perSecond(100)).isZero());
      assertTrue(b.skippedValues() >= 2, "b skipped the garbage notices");
    }
  }

  @Test
  void liftAllIsOneStepForTheFleet() throws Exception {
    // a lifts every ban while b keeps banning: an observer (c) that changes nothing must end with
    // exactly the bans Redis holds. Deleting key by key and then telling the fleet would let a ban
    // of b's land between the two: kept in Redis, dropped by every process.
    try (RedisFleetStore a = open("t6:");
        RedisFleetStore b = open("t6:");
        RedisFleetStore c = open("t6:")) {
      // Connected and reconciled: a first reconciliation pushes the bans a store holds, and one
      // that ran late would push a's bans back after the lift-all (see docs/redis.md, "Not yet").
      await(
          "reconciled",
          () -> a.reconciliations() > 0 && b.reconciliations() > 0 && c.reconciliations() > 0);
      for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 200; i++) {
          a.putBan(ban(key("shop.example", "127.0.2." + (i + 1)), Duration.ofMinutes(5)));
        }
        await("c has a's bans", () -> c.bans().size() >= 200);
        int r = round;
        Thread banning =
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        for (int i = 0; i < 100; i++) {
                          String ip = "127.0.3." + (i + 1);
                          b.putBan(ban(key("r" + r + ".example", ip), Duration.ofMinutes(5)));
                          Thread.sleep(1);
                        }
                      } catch (Exception e) {
                        throw new AssertionError(e);
                      }
                    });
        Thread.sleep(20);
        a.liftAllBans();
        banning.join(30_000);
        // Settled: both the writers' queues sent, every notice delivered.
        Thread.sleep(500);
        Set<String> inRedis = new TreeSet<>();
        for (Object k : (List<?>) REDIS.server().command("KEYS", "t6:ban:*")) {
          inRedis.add(((String) k).substring("t6:ban:".length()));
        }
        Set<String> atC = new TreeSet<>();
        c.bans().forEach(ban -> atC.add(ban.key().id()));
        assertEquals(inRedis, atC, "round " + round);
        assertTrue(inRedis.stream().noneMatch(id -> id.startsWith("shop.example")), "lifted");
      }
    }
  }

  @Test
  void liftAllAndPullReadOnlyTheFleetsBansWhateverElseTheDatabaseHolds() throws Exception {
    // 300,000 keys of other programs, a thousand of them under the fleet's own prefix, and the
    // index's name taken by a string: the store reads its bans from its index alone.
    String fill = "for i = 1, tonumber(ARGV[1]) do redis.call('SET', ARGV[2] .. i, 'x') end";
    try (RedisServer big = RedisServer.start()) {
      big.command("EVAL", fill, "0", "299000", "other:");
      big.command("EVAL", fill, "0", "1000", "t8:unrelated:");
      big.command("SET", "t8:bans", "not an index");
      big.command("CONFIG", "RESETSTAT");
      RedisSettings settings = RedisSettings.builder(big.uri()).keyPrefix("t8:").build();
      try (RedisFleetStore a = RedisFleetStore.open(settings);
          RedisFleetStore b = RedisFleetStore.open(settings)) {
        await("loaded", () -> a.reconciliations() > 0 && b.reconciliations() > 0);
        assertTrue(a.skippedValues() >= 1, "the index of another type is skipped");
        for (int i = 0; i < 50; i++) {
          a.putBan(ban(key("shop.example", "127.0.2." + (i + 1)), Duration.ofMinutes(5)));
        }
        await("b has a's bans", () -> b.bans().size() == 50);
        assertEquals(50L, big.command("ZCARD", "t8:bans"));
        a.liftAllBans();
        await("b heard the lift-all", () -> b.bans().isEmpty());
        // What the stores ran, before this test's own look at the keys below.
        String stats = (String) big.command("INFO", "commandstats");
        assertEquals(List.of(), big.command("KEYS", "t8:ban:*"));
        assertEquals(300_000L, big.command("DBSIZE"), "every other key is still there");
        assertFalse(stats.contains("cmdstat_scan:"), "no walk of the keyspace:\n" + stats);
        assertFalse(stats.contains("cmdstat_keys:"), stats);
        for (String line : stats.split("\r\n")) {
          if (line.startsWith("cmdstat_eval:") || line.startsWith("cmdstat_del:")) {
            System.out.println("[index] " + line);
          }
        }
      }
    }
  }

  private static String get(String key) {
    try {
      return (String) REDIS.server().command("GET", key);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
