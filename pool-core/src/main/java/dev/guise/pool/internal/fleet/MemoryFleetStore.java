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
import java.util.concurrent.atomic.AtomicLong;
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
    int[] count = new int[1];
    // Inside the map's computation, so a sweep cannot drop the entry between a lookup and a count.
    strikes.compute(
        Objects.requireNonNull(key, "key"),
        (k, s) -> {
          Strikes st = s != null ? s : new Strikes();
          if (st.expiresAtMillis <= now) {
            st.count = 0;
          }
          st.count++;
          st.expiresAtMillis = now + ttl.toMillis();
          count[0] = st.count;
          return st;
        });
    sweep(now);
    return count[0];
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
    Instant now = clock.instant();
    Duration[] wait = new Duration[1];
    buckets.compute(
        host,
        (h, b) -> {
          TokenBucket bucket = b != null ? b : new TokenBucket();
          wait[0] = bucket.take(limit, now);
          return bucket;
        });
    sweep(now.toEpochMilli());
    return wait[0];
  }

  /** How often, at most, the writes sweep what is over (by the clock). */
  static final long SWEEP_EVERY_MILLIS = 1000;

  /** When the next sweep is due (the clock's millis); claimed by one caller with a CAS. */
  private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);

  /**
   * Forgets the buckets that have refilled (a new one starts full, so nothing changes), the strike
   * counts that have lapsed and the bans that have ended, at most once a {@link
   * #SWEEP_EVERY_MILLIS}: one writer in that time pays the walk, the others return at once. So a
   * process that meets ever new hosts keeps only what still counts. Each bucket and count is
   * dropped inside the map's computation for its key, where it is written too.
   */
  private void sweep(long nowMillis) {
    long due = nextSweep.get();
    if (nowMillis < due || !nextSweep.compareAndSet(due, nowMillis + SWEEP_EVERY_MILLIS)) {
      return;
    }
    for (String host : buckets.keySet()) {
      buckets.computeIfPresent(host, (h, b) -> b.fullAt(nowMillis) ? null : b);
    }
    for (BanKey key : strikes.keySet()) {
      strikes.computeIfPresent(key, (k, s) -> s.expiresAtMillis <= nowMillis ? null : s);
    }
    Instant at = Instant.ofEpochMilli(nowMillis);
    bans.values().removeIf(b -> !b.inForceAt(at));
  }

  /** Buckets and strike counts kept now (tests). */
  int entriesKept() {
    return buckets.size() + strikes.size();
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
    private RateLimit limit; // the last one taken with

    /** Whether it would be full at {@code nowMillis}, as a new bucket is. */
    synchronized boolean fullAt(long nowMillis) {
      if (Double.isNaN(tokens)) {
        return true;
      }
      double seconds = Math.max(0, nowMillis - last.toEpochMilli()) / 1e3;
      return tokens + seconds * limit.perSecond() >= limit.burst();
    }

    synchronized Duration take(RateLimit limit, Instant now) {
      this.limit = limit;
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
