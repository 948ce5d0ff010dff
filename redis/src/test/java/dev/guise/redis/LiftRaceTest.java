package dev.guise.redis;

import static dev.guise.redis.Races.await;
import static dev.guise.redis.Races.loaded;
import static dev.guise.redis.Races.open;
import static dev.guise.redis.RedisFleetStoreTest.ban;
import static dev.guise.redis.RedisFleetStoreTest.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.pool.fleet.BanKey;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The write-behind races around lifts, forced on a real redis-server: one process's commands are
 * held in a relay so that Redis runs them after another process's lift, while the first process
 * already shows its change and hears the lift's notice. Every process must end with the bans Redis
 * holds: the one that banned keeps a ban Redis ran after a lift-all (or a lift), and the one that
 * lifted drops a ban it heard of between its own lift and Redis's.
 */
class LiftRaceTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static boolean inRedis(String prefix, BanKey key) {
    try {
      return REDIS.server().command("GET", prefix + "ban:" + key.id()) != null;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Set<String> redisBans(String prefix) throws IOException {
    Set<String> ids = new TreeSet<>();
    for (Object k : (List<?>) REDIS.server().command("KEYS", prefix + "ban:*")) {
      ids.add(((String) k).substring((prefix + "ban:").length()));
    }
    return ids;
  }

  private static Set<String> bans(RedisFleetStore store) {
    Set<String> ids = new TreeSet<>();
    store.bans().forEach(b -> ids.add(b.key().id()));
    return ids;
  }

  /** Waits for the notices in flight, then checks every store shows what Redis holds. */
  private static void assertAllAgree(String prefix, RedisFleetStore... stores) throws Exception {
    Set<String> truth = redisBans(prefix);
    for (RedisFleetStore s : stores) {
      await("a store to show what redis holds " + truth, () -> bans(s).equals(truth));
    }
    // And it stays so: nothing undoes it once the notices are in.
    Thread.sleep(300);
    for (RedisFleetStore s : stores) {
      assertEquals(truth, bans(s));
    }
  }

  @Test
  void aBanRedisRunsAfterAnotherProcesssLiftAllIsKeptByTheProcessThatMadeIt() throws Exception {
    String prefix = "race1:";
    try (HoldingRelay relay = new HoldingRelay(REDIS.server().port());
        RedisFleetStore a = open(relay.uri(), prefix);
        RedisFleetStore b = open(REDIS.server().uri(), prefix);
        RedisFleetStore c = open(REDIS.server().uri(), prefix)) {
      await("loaded", () -> loaded(a) && loaded(b) && loaded(c));
      BanKey old = key("shop.example", "127.0.1.20");
      c.putBan(ban(old, Duration.ofMinutes(5)));
      await("everyone has the old ban", () -> a.ban(old).isPresent() && b.ban(old).isPresent());

      relay.hold();
      BanKey k = key("shop.example", "127.0.1.21");
      a.putBan(ban(k, Duration.ofMinutes(5))); // shown at a at once; its command waits
      assertTrue(a.ban(k).isPresent());
      b.liftAllBans();
      // Redis ran the lift-all, and a heard it (its notices are not held), before a's ban.
      await("the lift-all's notice at a", () -> a.ban(old).isEmpty());
      await("the lift-all's notice at c", () -> c.ban(old).isEmpty());
      assertTrue(!inRedis(prefix, k), "a's ban has not reached redis yet");
      assertTrue(a.ban(k).isPresent(), "a keeps its ban: redis runs it after the lift-all");

      relay.release();
      await("a's ban in redis", () -> inRedis(prefix, k));
      await("a's ban at c", () -> c.ban(k).isPresent());
      assertAllAgree(prefix, a, b, c);
      assertEquals(Set.of(k.id()), bans(a));
    }
  }

  @Test
  void aBanRedisRunsAfterAnotherProcesssLiftIsKeptByTheProcessThatMadeIt() throws Exception {
    String prefix = "race2:";
    try (HoldingRelay relay = new HoldingRelay(REDIS.server().port());
        RedisFleetStore a = open(relay.uri(), prefix);
        RedisFleetStore b = open(REDIS.server().uri(), prefix);
        RedisFleetStore c = open(REDIS.server().uri(), prefix)) {
      await("loaded", () -> loaded(a) && loaded(b) && loaded(c));
      BanKey k = key("shop.example", "127.0.1.22");
      c.putBan(ban(k, Duration.ofMinutes(5)));
      await("everyone has c's ban", () -> a.ban(k).isPresent() && b.ban(k).isPresent());

      relay.hold();
      a.putBan(ban(k, Duration.ofMinutes(7))); // a longer ban of the same key, held
      b.liftBan(k);
      await("the lift at c", () -> c.ban(k).isEmpty());
      // Notices arrive in Redis's order: once a shows a ban c made after the lift, a has heard
      // the lift's notice too.
      BanKey marker = key("shop.example", "127.0.1.26");
      c.putBan(ban(marker, Duration.ofMinutes(5)));
      await("the marker at a", () -> a.ban(marker).isPresent());
      assertTrue(a.ban(k).isPresent(), "a keeps its ban: redis runs it after the lift");

      relay.release();
      await("a's ban in redis", () -> inRedis(prefix, k));
      assertAllAgree(prefix, a, b, c);
      assertEquals(Duration.ofMinutes(7), lengthAt(c, k), "c holds a's ban, not its own");
    }
  }

  private static Duration lengthAt(RedisFleetStore s, BanKey k) {
    var ban = s.ban(k).orElseThrow();
    return Duration.between(ban.at(), ban.until());
  }

  @Test
  void theProcessThatLiftsAllDropsWhatItHeardBeforeRedisRanItsLift() throws Exception {
    String prefix = "race3:";
    try (HoldingRelay relay = new HoldingRelay(REDIS.server().port());
        RedisFleetStore a = open(REDIS.server().uri(), prefix);
        RedisFleetStore b = open(relay.uri(), prefix);
        RedisFleetStore c = open(REDIS.server().uri(), prefix)) {
      await("loaded", () -> loaded(a) && loaded(b) && loaded(c));
      BanKey old = key("shop.example", "127.0.1.23");
      a.putBan(ban(old, Duration.ofMinutes(5)));
      await("everyone has the old ban", () -> b.ban(old).isPresent() && c.ban(old).isPresent());

      relay.hold();
      b.liftAllBans(); // b's copy is empty at once; the script waits
      assertTrue(b.bans().isEmpty());
      BanKey k = key("shop.example", "127.0.1.24");
      c.putBan(ban(k, Duration.ofMinutes(5))); // Redis runs it before b's lift-all
      await("c's ban at b", () -> b.ban(k).isPresent());
      assertTrue(inRedis(prefix, k));

      relay.release();
      await("the lift-all in redis", () -> !inRedis(prefix, k) && !inRedis(prefix, old));
      assertAllAgree(prefix, a, b, c);
      assertTrue(bans(b).isEmpty(), "b dropped the ban its lift-all lifted in redis");
    }
  }

  @Test
  void theProcessThatLiftsDropsWhatItHeardBeforeRedisRanItsLift() throws Exception {
    String prefix = "race4:";
    try (HoldingRelay relay = new HoldingRelay(REDIS.server().port());
        RedisFleetStore b = open(relay.uri(), prefix);
        RedisFleetStore c = open(REDIS.server().uri(), prefix)) {
      await("loaded", () -> loaded(b) && loaded(c));
      BanKey k = key("shop.example", "127.0.1.25");
      c.putBan(ban(k, Duration.ofMinutes(5)));
      await("c's ban at b", () -> b.ban(k).isPresent());

      relay.hold();
      assertTrue(b.liftBan(k));
      c.putBan(ban(k, Duration.ofMinutes(9))); // again, before Redis runs b's lift
      await("c's new ban at b", () -> b.ban(k).isPresent());

      relay.release();
      await("the lift in redis", () -> !inRedis(prefix, k));
      assertAllAgree(prefix, b, c);
      assertNull(b.ban(k).orElse(null));
    }
  }
}
