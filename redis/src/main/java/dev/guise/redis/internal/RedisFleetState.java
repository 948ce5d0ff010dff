package dev.guise.redis.internal;

import dev.guise.pool.fleet.AccessEntry;
import dev.guise.pool.fleet.Ban;
import dev.guise.pool.fleet.BanKey;
import dev.guise.pool.fleet.FleetStore.Listener;
import dev.guise.pool.fleet.FleetStore.Origin;
import dev.guise.pool.fleet.RateLimit;
import dev.guise.redis.RedisSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * What {@code RedisFleetStore} is made of: the {@link LocalView} every call reads and writes, the
 * {@link Replicator} that keeps it in step with Redis behind the callers, the {@link SharedBuckets}
 * and the {@link RedisLink}. Every method returns without waiting on Redis.
 */
public final class RedisFleetState {
  private final RedisSettings settings;
  private final LocalView view;
  private final RedisLink link;
  private final Replicator replicator;
  private final SharedBuckets buckets;

  private RedisFleetState(RedisSettings settings, Clock clock) {
    this.settings = settings;
    this.view = new LocalView(clock);
    Keys keys = new Keys(settings.keyPrefix());
    // This process in the fleet's notices: it skips its own.
    String origin =
        ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    Replicator[] r = new Replicator[1];
    this.link =
        new RedisLink(
            settings,
            keys.channel(),
            new RedisLink.Listener() {
              @Override
              public void down(String why) {
                r[0].down(why);
              }

              @Override
              public void up() {
                r[0].up();
              }

              @Override
              public void message(String message) {
                r[0].message(message);
              }
            });
    this.replicator =
        new Replicator(
            link,
            keys,
            view,
            origin,
            describe(),
            () -> view.tell(Listener::storeRecovered),
            (message, cause) -> view.tell(l -> l.storeFailed(message, cause)));
    r[0] = replicator;
    this.buckets = new SharedBuckets(link, keys, System::nanoTime);
  }

  /** A state that connects in the background: returns at once. */
  public static RedisFleetState open(RedisSettings settings, Clock clock) {
    RedisFleetState s = new RedisFleetState(settings, clock);
    s.replicator.start();
    s.link.start();
    return s;
  }

  public boolean connected() {
    return link.up();
  }

  public long skipped() {
    return replicator.skipped();
  }

  public long dropped() {
    return replicator.dropped();
  }

  public long reconciliations() {
    return replicator.reconciliations();
  }

  public void putBan(Ban ban) {
    view.putLocalBan(ban);
    replicator.putBan(ban);
  }

  public Ban ban(BanKey key) {
    return view.ban(key);
  }

  public List<Ban> bans() {
    return view.bans();
  }

  public boolean liftBan(BanKey key) {
    boolean had = view.liftBan(key, Origin.LOCAL);
    replicator.liftBan(key); // the fleet may hold it even when this process does not
    return had;
  }

  public int liftAllBans() {
    int n = view.liftAllBans(Origin.LOCAL);
    replicator.liftAllBans();
    return n;
  }

  public int addStrike(BanKey key, Duration ttl) {
    int n = view.addStrike(key, ttl);
    replicator.addStrike(key, ttl.toMillis());
    return n;
  }

  public void clearStrikes(BanKey key) {
    view.clearStrikes(key);
    replicator.clearStrikes(key);
  }

  public List<AccessEntry> accessEntries() {
    return view.accessEntries();
  }

  public boolean access(AccessEntry entry, boolean add) {
    replicator.accessPending(entry);
    boolean changed = view.access(entry, add, Origin.LOCAL);
    if (changed) {
      replicator.access(entry, add);
    } else {
      replicator.accessSettled(entry);
    }
    return changed;
  }

  public Duration takeToken(String host, RateLimit limit) {
    return buckets.take(host, limit);
  }

  public void addListener(Listener l) {
    view.addListener(l);
  }

  public void removeListener(Listener l) {
    view.removeListener(l);
  }

  public String describe() {
    return "redis " + settings.maskedUri() + " prefix=" + settings.keyPrefix();
  }

  public void close() {
    replicator.close(settings.commandTimeout().toMillis() * 2);
    link.close();
    view.clearListeners();
  }
}
