package dev.guise.redis;

import static dev.guise.redis.RedisFleetStoreTest.await;
import static dev.guise.redis.RedisFleetStoreTest.ban;
import static dev.guise.redis.RedisFleetStoreTest.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.fleet.BanKey;
import dev.guise.pool.fleet.FleetStore;
import dev.guise.pool.fleet.FleetStores;
import dev.guise.pool.fleet.RateLimit;
import dev.guise.pool.stats.PoolEventListener;
import dev.guise.testing.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Redis killed, slow, behind a password and TLS: the store's calls never throw and never wait on
 * it, the outage is told once, and when Redis comes back (empty, as after a crash) the fleet's
 * state is rebuilt from what the processes hold.
 */
class RedisOutageTest {

  /** Records what a store tells about its backend. */
  static final class Health implements FleetStore.Listener {
    final List<String> told = new CopyOnWriteArrayList<>();

    @Override
    public void storeFailed(String message, Throwable cause) {
      told.add("failed: " + message);
    }

    @Override
    public void storeRecovered() {
      told.add("recovered");
    }
  }

  static String get(RedisServer redis, String key) {
    try {
      return (String) redis.command("GET", key);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Runs {@code call} and returns how long it took, in ms. */
  static long timed(Runnable call) {
    long t = System.nanoTime();
    call.run();
    return (System.nanoTime() - t) / 1_000_000;
  }

  @Test
  void redisKilledMidCrawlThenBackReconciles() throws Exception {
    assumeTrue(RedisServer.installed(), RedisServer.MISSING);
    try (RedisServer redis = RedisServer.start();
        RedisFleetStore a =
            RedisFleetStore.open(RedisSettings.builder(redis.uri()).keyPrefix("o1:").build());
        RedisFleetStore b =
            RedisFleetStore.open(RedisSettings.builder(redis.uri()).keyPrefix("o1:").build())) {
      Health health = new Health();
      a.addListener(health);
      await("connected", () -> a.reconciliations() > 0 && b.reconciliations() > 0);
      BanKey before = key("shop.example", "127.0.3.1");
      a.putBan(ban(before, Duration.ofMinutes(5)));
      await("b has the first ban", () -> b.ban(before).isPresent());

      redis.kill();
      await("a sees the outage", () -> !a.connected());
      // Crawling goes on: every call answers at once from local state, none throws.
      BanKey during = key("shop.example", "127.0.3.2");
      long slowest = 0;
      int tokens = 0;
      for (int i = 0; i < 200; i++) {
        slowest = Math.max(slowest, timed(() -> a.addStrike(during, Duration.ofMinutes(1))));
        slowest = Math.max(slowest, timed(() -> a.ban(before)));
        long t = System.nanoTime();
        if (a.takeToken("shop.example", RateLimit.perSecond(1000)).isZero()) {
          tokens++;
        }
        slowest = Math.max(slowest, (System.nanoTime() - t) / 1_000_000);
        Thread.sleep(1);
      }
      slowest = Math.max(slowest, timed(() -> a.putBan(ban(during, Duration.ofMinutes(5)))));
      // A call that waited on Redis would take the command timeout (500 ms) or a connect attempt;
      // the bound leaves room for a loaded machine's scheduling.
      assertTrue(slowest < 250, "a call waited on the dead Redis: " + slowest + " ms");
      assertTrue(tokens > 50, "the local bucket goes on handing out tokens: " + tokens);
      assertTrue(a.ban(during).isPresent() && a.ban(before).isPresent());
      Thread.sleep(1000); // several heartbeats: still told once
      assertEquals(1, health.told.size(), health.told.toString());
      assertTrue(
          health.told.get(0).startsWith("failed: fleet store redis redis://127.0.0.1:"),
          health.told.get(0));

      redis.restart(); // empty, as after a crash
      await("recovered", () -> health.told.contains("recovered"));
      // a pushed its bans (the one from before and the one made during the outage); b gets the
      // new one, and Redis holds both again.
      await("b has the outage's ban", () -> b.ban(during).isPresent());
      assertTrue(redis.command("GET", "o1:ban:" + before.id()) != null);
      assertTrue(redis.command("GET", "o1:ban:" + during.id()) != null);
      // The 200 strikes made while Redis was away were kept and sent: the fleet counts them.
      await(
          "the outage's strikes in redis",
          () -> "200".equals(get(redis, "o1:strikes:" + during.id())));
      long strikeTtl = (Long) redis.command("PTTL", "o1:strikes:" + during.id());
      assertTrue(strikeTtl > 0 && strikeTtl <= 60_000, "what is left of a minute: " + strikeTtl);
      assertEquals(List.of(health.told.get(0), "recovered"), health.told);
    }
  }

  @Test
  void aBanMadeElsewhereDuringAnOutageIsPulledOnReturn() throws Exception {
    assumeTrue(RedisServer.installed(), RedisServer.MISSING);
    try (RedisServer redis = RedisServer.start();
        RedisFleetStore a =
            RedisFleetStore.open(RedisSettings.builder(redis.uri()).keyPrefix("o2:").build())) {
      await("connected", () -> a.reconciliations() > 0);
      redis.kill();
      await("down", () -> !a.connected());
      redis.restart();
      // Another process (here: redis-cli's way) wrote a ban while a was away, and indexed it.
      BanKey k = key("shop.example", "127.0.3.3");
      long until = System.currentTimeMillis() + 60_000;
      redis.command(
          "SET",
          "o2:ban:" + k.id(),
          "g1|" + until + "|" + System.currentTimeMillis() + "|x|r",
          "PX",
          "60000");
      redis.command("ZADD", "o2:bans", Long.toString(until), "o2:ban:" + k.id());
      await("pulled", () -> a.ban(k).isPresent());
    }
  }

  @Test
  void redisAnsweringSlowlyBlocksNoCall() throws Exception {
    assumeTrue(RedisServer.installed(), RedisServer.MISSING);
    try (RedisServer redis = RedisServer.start();
        RedisFleetStore a =
            RedisFleetStore.open(
                RedisSettings.builder(redis.uri())
                    .keyPrefix("o3:")
                    .commandTimeout(Duration.ofMillis(500))
                    .build())) {
      Health health = new Health();
      a.addListener(health);
      await("connected", () -> a.reconciliations() > 0);
      redis.pause(Duration.ofSeconds(4));
      long slowest = 0;
      long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      int i = 0;
      while (System.nanoTime() < end) {
        BanKey k = key("shop.example", "127.0.3." + (10 + i++ % 200));
        slowest = Math.max(slowest, timed(() -> a.putBan(ban(k, Duration.ofMinutes(1)))));
        slowest = Math.max(slowest, timed(() -> a.addStrike(k, Duration.ofMinutes(1))));
        slowest =
            Math.max(slowest, timed(() -> a.takeToken("shop.example", RateLimit.perSecond(500))));
        Thread.sleep(2);
      }
      assertTrue(slowest < 250, "a call waited on the slow Redis: " + slowest + " ms");
      await("the slowness told", () -> !health.told.isEmpty());
      await("recovered after the pause", () -> health.told.contains("recovered"));
      assertEquals(1, health.told.stream().filter(s -> s.startsWith("failed")).count());
    }
  }

  @Test
  void passwordAndTlsAndNoSecretInAnyText() throws Exception {
    assumeTrue(RedisServer.installed(), RedisServer.MISSING);
    String secret = "s3cret-Pa55";
    try (RedisServer redis = RedisServer.start(secret, true)) {
      String url = redis.tlsUri().replace("rediss://", "rediss://:" + secret + "@");
      RedisSettings settings =
          RedisSettings.builder(url)
              .trustedCertificate(redis.certificate())
              .keyPrefix("o4:")
              .build();
      assertFalse(settings.toString().contains(secret), settings.toString());
      assertEquals("rediss://:***@127.0.0.1:" + redis.tlsPort(), settings.maskedUri());
      try (RedisFleetStore a = RedisFleetStore.open(settings);
          FleetStore b =
              FleetStores.open(
                  "redis:url="
                      + redis.tlsUri()
                      + ",password="
                      + secret
                      + ",trust="
                      + redis.certificate()
                      + ",prefix=o4:")) {
        assertFalse(a.toString().contains(secret) || b.describe().contains(secret));
        await("connected over TLS with the password", () -> a.reconciliations() > 0);
        BanKey k = key("shop.example", "127.0.3.4");
        a.putBan(ban(k, Duration.ofMinutes(1)));
        await("b has it over TLS", () -> b.ban(k).isPresent());
      }
      // A wrong password: an outage, told without the password.
      Health health = new Health();
      String wrong = "wr0ng-Pa55";
      try (RedisFleetStore c =
          RedisFleetStore.open(
              RedisSettings.builder(redis.uri().replace("redis://", "redis://:" + wrong + "@"))
                  .keyPrefix("o4:")
                  .build())) {
        c.addListener(health);
        Thread.sleep(1500);
        assertFalse(c.connected());
        for (String told : health.told) {
          assertFalse(told.contains(wrong), told);
        }
      }
      // A bad URL: the error shows it masked.
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> FleetStores.open("redis:url=http://:" + secret + "@127.0.0.1:1"));
      assertFalse(e.getMessage().contains(secret), e.getMessage());
    }
  }

  @Test
  void aPoolsEventListenerHearsTheOutageOnceAndTheReturnWithoutTheSecret() throws Exception {
    assumeTrue(RedisServer.installed(), RedisServer.MISSING);
    String secret = "s3cret-Pa55";
    List<String> heard = new CopyOnWriteArrayList<>();
    PoolEventListener events =
        new PoolEventListener() {
          @Override
          public void storeFailed(String store, String message) {
            heard.add("failed " + store + ": " + message);
          }

          @Override
          public void storeRecovered(String store) {
            heard.add("recovered " + store);
          }
        };
    try (RedisServer redis = RedisServer.start(secret, false);
        RedisFleetStore store =
            RedisFleetStore.open(
                RedisSettings.builder(redis.uri().replace("redis://", "redis://:" + secret + "@"))
                    .keyPrefix("o5:")
                    .build());
        HotConnectionPool pool =
            HotConnectionPool.create(
                PoolConfig.builder()
                    .engine("jdk")
                    .fleetStore(store)
                    .eventListener(events)
                    .build())) {
      await("connected", () -> store.reconciliations() > 0);
      assertEquals(List.of(), heard, "the first connection is no recovery");
      redis.kill();
      await("the outage heard", () -> !heard.isEmpty());
      Thread.sleep(1000); // four heartbeats: still heard once
      redis.restart();
      await("the return heard", () -> heard.size() == 2);
      Thread.sleep(500);
      assertEquals(2, heard.size(), heard.toString());
      assertTrue(heard.get(0).startsWith("failed redis redis://:***@127.0.0.1:"), heard.get(0));
      assertTrue(heard.get(1).startsWith("recovered redis redis://:***@127.0.0.1:"), heard.get(1));
      for (String h : heard) {
        assertFalse(h.contains(secret), h);
      }
      // A second outage is heard again, once.
      redis.kill();
      await("the second outage heard", () -> heard.size() == 3);
      redis.restart();
      await("the second return heard", () -> heard.size() == 4);
    }
  }
}
