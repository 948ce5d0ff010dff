package dev.guise.redis.internal;

import dev.guise.pool.fleet.AccessEntry;
import dev.guise.pool.fleet.Ban;
import dev.guise.pool.fleet.BanKey;
import dev.guise.pool.fleet.FleetStore.Listener;
import dev.guise.pool.fleet.FleetStore.Origin;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's copy of the fleet's state, which every read answers from: the bans, the strikes
 * (this process's own, and the fleet's count as last heard from Redis), the access entries; and the
 * listeners, told of every change once, after the copy shows it. Memory only, no I/O: what the
 * request path touches.
 */
final class LocalView {
  private static final Logger LOG = LoggerFactory.getLogger(LocalView.class);

  private final Clock clock;
  private final Map<BanKey, Ban> bans = new ConcurrentHashMap<>();
  private final Map<BanKey, Strikes> strikes = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  // Guarded by itself; accessSnapshot is its copy, read without a lock.
  private final Set<AccessEntry> access = new LinkedHashSet<>();
  private volatile List<AccessEntry> accessSnapshot = List.of();

  LocalView(Clock clock) {
    this.clock = clock;
  }

  Clock clock() {
    return clock;
  }

  // ---- bans

  Ban ban(BanKey key) {
    return bans.get(Objects.requireNonNull(key, "key"));
  }

  List<Ban> bans() {
    long now = clock.millis();
    // Forgotten once over, as Redis's TTL forgets them.
    bans.values().removeIf(b -> b.until().toEpochMilli() <= now);
    return List.copyOf(bans.values());
  }

  /** Puts {@code ban}; tells the listeners when it is new or differs from the one held. */
  boolean putBan(Ban ban, Origin origin) {
    Ban before = bans.put(ban.key(), ban);
    if (ban.equals(before)) {
      return false;
    }
    tell(l -> l.banned(ban, origin));
    return true;
  }

  boolean liftBan(BanKey key, Origin origin) {
    if (bans.remove(key) == null) {
      return false;
    }
    tell(l -> l.banLifted(key, origin));
    return true;
  }

  int liftAllBans(Origin origin) {
    int n = 0;
    for (BanKey key : List.copyOf(bans.keySet())) {
      if (liftBan(key, origin)) {
        n++;
      }
    }
    return n;
  }

  // ---- strikes

  /** One more local strike; the count is the larger of this process's and the fleet's + 1. */
  int addStrike(BanKey key, Duration ttl) {
    long now = clock.millis();
    Strikes s = strikes.computeIfAbsent(Objects.requireNonNull(key, "key"), k -> new Strikes());
    synchronized (s) {
      if (s.expiresAtMillis <= now) {
        s.local = 0;
        s.fleet = 0;
      }
      s.local++;
      s.expiresAtMillis = now + ttl.toMillis();
      // The fleet's count as last heard included this process's earlier strikes, not this one.
      return Math.max(s.local, s.fleet + 1);
    }
  }

  /** The fleet's count after a strike reached Redis. */
  void fleetStrikes(BanKey key, long count) {
    Strikes s = strikes.get(key);
    if (s != null) {
      synchronized (s) {
        s.fleet = (int) Math.max(s.fleet, Math.min(Integer.MAX_VALUE, count));
      }
    }
  }

  void clearStrikes(BanKey key) {
    strikes.remove(key);
  }

  // ---- access entries

  List<AccessEntry> accessEntries() {
    return accessSnapshot;
  }

  boolean access(AccessEntry entry, boolean add, Origin origin) {
    Objects.requireNonNull(entry, "entry");
    synchronized (access) {
      if (add ? !access.add(entry) : !access.remove(entry)) {
        return false;
      }
      accessSnapshot = List.copyOf(access);
    }
    tell(l -> l.accessChanged(entry, add, origin));
    return true;
  }

  // ---- listeners

  void addListener(Listener l) {
    listeners.add(Objects.requireNonNull(l, "listener"));
  }

  void removeListener(Listener l) {
    listeners.remove(l);
  }

  void clearListeners() {
    listeners.clear();
  }

  void tell(Consumer<Listener> call) {
    for (Listener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("fleet store listener threw; ignored", e);
      }
    }
  }

  private static final class Strikes {
    int local;
    int fleet;
    long expiresAtMillis;
  }
}
