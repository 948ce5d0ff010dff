package dev.guise.redis;

import dev.guise.pool.fleet.AccessEntry;
import dev.guise.pool.fleet.Ban;
import dev.guise.pool.fleet.BanKey;
import dev.guise.pool.fleet.FleetStore;
import dev.guise.pool.fleet.RateLimit;
import dev.guise.redis.internal.RedisFleetState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link FleetStore} in Redis, shared by every crawler process that opens it with the same URL
 * and key prefix: a ban one process makes reaches the others within milliseconds (pub/sub), strikes
 * are counted for the fleet, the allow and deny lists are one, and each host's request rate is one
 * token bucket the whole fleet draws from.
 *
 * <p>Nothing waits on Redis: reads answer from a local copy, writes go to Redis behind the caller
 * on one writer thread, tokens are fetched ahead in small batches. When Redis is slow or down the
 * store goes on with its local copy (and a local token bucket at the same rate), tells its
 * listeners once ({@link Listener#storeFailed}), and when Redis answers again pushes what it
 * learned meanwhile, pulls what the fleet learned, and tells {@link Listener#storeRecovered}. Keys
 * and the change channel are under the settings' prefix; see {@code docs/redis.md} for the layout.
 *
 * <p>Open it with {@link #open(RedisSettings)}, or by name: {@code
 * FleetStores.open("redis:url=redis://127.0.0.1:6379,prefix=fleet1:")}.
 */
public final class RedisFleetStore implements FleetStore {
  private final RedisFleetState state;

  private RedisFleetStore(RedisFleetState state) {
    this.state = state;
  }

  /**
   * Opens a store on the Redis {@code settings} name. Does not wait for Redis: one that is not up
   * yet is an outage, reported to listeners added before it ends, not an exception.
   */
  public static RedisFleetStore open(RedisSettings settings) {
    return open(settings, Clock.systemUTC());
  }

  /** As {@link #open(RedisSettings)}, with the clock bans and strikes are judged by. */
  public static RedisFleetStore open(RedisSettings settings, Clock clock) {
    return new RedisFleetStore(
        RedisFleetState.open(
            Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(clock, "clock")));
  }

  /** Whether Redis answered the last health check in time. */
  public boolean connected() {
    return state.connected();
  }

  /** Values under the fleet's keys or notices on its channel skipped as not Guise's (garbage). */
  public long skippedValues() {
    return state.skipped();
  }

  /** Changes dropped because Redis was away too long to keep them all (bounded queues). */
  public long droppedChanges() {
    return state.dropped();
  }

  /** How many times this store reconciled with Redis (the first load included). */
  public long reconciliations() {
    return state.reconciliations();
  }

  @Override
  public void putBan(Ban ban) {
    state.putBan(Objects.requireNonNull(ban, "ban"));
  }

  @Override
  public Optional<Ban> ban(BanKey key) {
    return Optional.ofNullable(state.ban(key));
  }

  @Override
  public List<Ban> bans() {
    return state.bans();
  }

  @Override
  public boolean liftBan(BanKey key) {
    return state.liftBan(Objects.requireNonNull(key, "key"));
  }

  @Override
  public int liftAllBans() {
    return state.liftAllBans();
  }

  @Override
  public int addStrike(BanKey key, Duration ttl) {
    return state.addStrike(Objects.requireNonNull(key, "key"), Objects.requireNonNull(ttl, "ttl"));
  }

  @Override
  public void clearStrikes(BanKey key) {
    state.clearStrikes(Objects.requireNonNull(key, "key"));
  }

  @Override
  public List<AccessEntry> accessEntries() {
    return state.accessEntries();
  }

  @Override
  public boolean addAccessEntry(AccessEntry entry) {
    return state.access(Objects.requireNonNull(entry, "entry"), true);
  }

  @Override
  public boolean removeAccessEntry(AccessEntry entry) {
    return state.access(Objects.requireNonNull(entry, "entry"), false);
  }

  @Override
  public Duration takeToken(String host, RateLimit limit) {
    return state.takeToken(Objects.requireNonNull(host, "host"), Objects.requireNonNull(limit));
  }

  @Override
  public void addListener(Listener listener) {
    state.addListener(listener);
  }

  @Override
  public void removeListener(Listener listener) {
    state.removeListener(listener);
  }

  @Override
  public String describe() {
    return state.describe();
  }

  @Override
  public void close() {
    state.close();
  }

  @Override
  public String toString() {
    return "RedisFleetStore[" + describe() + "]";
  }
}
