package dev.guise.pool.internal.fleet;

import dev.guise.pool.fleet.AccessEntry;
import dev.guise.pool.fleet.Ban;
import dev.guise.pool.fleet.BanKey;
import dev.guise.pool.fleet.FleetStore;
import dev.guise.pool.fleet.RateLimit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet store of one process: everything in this JVM's memory, nothing shared. The default
 * store of every pool. Nothing here does I/O, so no call blocks beyond a short monitor; listeners
 * are called on the caller's thread, after the change is visible. Time (bucket refills, strike
 * expiry, forgetting expired bans) follows the clock it is given.
 */
public final class MemoryFleetStore implements FleetStore {
  private static final Logger log = LoggerFactory.getLogger(MemoryFleetStore.class);

  private final Clock clock;
  private final Map<BanKey, Ban> bans = new ConcurrentHashMap<>();
  private final Map<BanKey, Strikes> strikes = new ConcurrentHashMap<>();
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /** Guarded by itself; {@link #accessSnapshot} is its copy, read without a lock. */
  private final Set<AccessEntry> access = new LinkedHashSet<>();

  private volatile List<AccessEntry> accessSnapshot = List.of();

  public MemoryFleetStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void putBan(Ban ban) {
    bans.put(ban.key(), ban);
    for (Listener l : listeners) {
      try {
        l.banned(ban, Origin.LOCAL);
      } catch (RuntimeException e) {
        log.warn("fleet store listener threw; ignored", e);
      }
    }
  }

  @Override
  public Optional<Ban> ban(BanKey key) {
    return Optional.ofNullable(bans.get(key));
  }

  @Override
  public List<Ban> bans() {
    Instant now = clock.instant();
    // Expired bans are forgotten here, as a Redis TTL would forget them.
    bans.values().removeIf(b -> !b.inForceAt(now));
    return List.copyOf(bans.values());
  }

  @Override
  public boolean liftBan(BanKey key) {
    if (bans.remove(key) == null) {
      return false;
    }
    lifted(key);
    return true;
  }

  @Override
  public int liftAllBans() {
    int n = 0;
    for (BanKey key : List.copyOf(bans.keySet())) {
      if (bans.remove(key) != null) {
        n++;
        lifted(key);
      }
    }
    return n;
  }

  private void lifted(BanKey key) {
    for (Listener l : listeners) {
      try {
        l.banLifted(key, Origin.LOCAL);
      } catch (RuntimeException e) {
        log.warn("fleet store listener threw; ignored", e);
      }
    }
  }

  @Override
  public int addStrike(BanKey key, Duration ttl) {
    long now = clock.millis();
    Strikes s = strikes.computeIfAbsent(Objects.requireNonNull(key, "key"), k -> new Strikes());
    synchronized (s) {
      if (s.expiresAtMillis <= now) {
        s.count = 0;
      }
      s.count++;
      s.expiresAtMillis = now + ttl.toMillis();
      return s.count;
    }
  }

  @Override
  public void clearStrikes(BanKey key) {
    strikes.remove(key);
  }

  @Override
  public List<AccessEntry> accessEntries() {
    return accessSnapshot;
  }

  @Override
  public boolean addAccessEntry(AccessEntry entry) {
    Objects.requireNonNull(entry, "entry");
    synchronized (access) {
      if (!access.add(entry)) {
        return false;
      }
      accessSnapshot = List.copyOf(access);
    }
    accessChanged(entry, true);
    return true;
  }

  @Override
  public boolean removeAccessEntry(AccessEntry entry) {
    synchronized (access) {
      if (!access.remove(entry)) {
        return false;
      }
      accessSnapshot = List.copyOf(access);
    }
    accessChanged(entry, false);
    return true;
  }

  private void accessChanged(AccessEntry entry, boolean added) {
    for (Listener l : listeners) {
      try {
        l.accessChanged(entry, added, Origin.LOCAL);
      } catch (RuntimeException e) {
        log.warn("fleet store listener threw; ignored", e);
      }
    }
  }

  @Override
  public Duration takeToken(String host, RateLimit limit) {
    TokenBucket b = buckets.computeIfAbsent(host, h -> new TokenBucket());
    return b.take(limit, clock.instant());
  }

  @Override
  public void addListener(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void removeListener(Listener listener) {
    listeners.remove(listener);
  }

  @Override
  public String describe() {
    return "memory";
  }

  @Override
  public void close() {
    listeners.clear();
  }

  @Override
  public String toString() {
    return "MemoryFleetStore";
  }

  private static final class Strikes {
    int count;
    long expiresAtMillis;
  }

  /** A token bucket; starts full. Its own monitor guards it. */
  static final class TokenBucket {
    private double tokens = Double.NaN;
    private Instant last;

    synchronized Duration take(RateLimit limit, Instant now) {
      if (Double.isNaN(tokens)) {
        tokens = limit.burst();
        last = now;
      } else if (now.isAfter(last)) {
        double seconds = Duration.between(last, now).toNanos() / 1e9;
        tokens = Math.min(limit.burst(), tokens + seconds * limit.perSecond());
        last = now;
      }
      if (tokens >= 1) {
        tokens -= 1;
        return Duration.ZERO;
      }
      long nanos = (long) Math.ceil((1 - tokens) / limit.perSecond() * 1e9);
      return Duration.ofNanos(Math.max(1, nanos));
    }
  }
}
