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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's copy of the fleet's state, which every read answers from: the bans, the strikes
 * (this process's own, and the fleet's count as last heard from Redis), the access entries; and the
 * listeners, told of every change once, after the copy shows it. Memory only, no I/O: what the
 * request path touches.
 *
 * <p>Bans and strikes are forgotten once over, by the injected clock, as Redis's TTLs forget them:
 * a sweep at most once a {@link #SWEEP_EVERY_MILLIS}, run by the writes that add to the copy, so a
 * long crawl meeting many short bans holds only those in force (and those that ended within the
 * last sweep interval), whether or not anyone lists them.
 *
 * <p>The fleet's notices arrive in the order Redis ran the writes (one subscription, each notice
 * published by the script that wrote), this process's own included. A key with puts of this process
 * on their way (made here, their notice not back yet) ignores the notices about it: each of them
 * tells of a write Redis ran before this process's put, which will replace it. So a lift-all that
 * Redis runs before a ban made here keeps that ban here, as Redis and every other process keep it;
 * one that Redis runs after drops it, as everywhere else.
 */
final class LocalView {
  private static final Logger LOG = LoggerFactory.getLogger(LocalView.class);

  static final long SWEEP_EVERY_MILLIS = 1000;

  private final Clock clock;
  // When the next sweep is due (the clock's millis); claimed by one caller with a CAS.
  private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);
  private final Map<BanKey, Ban> bans = new ConcurrentHashMap<>();
  // Puts made here whose own notice has not come back, by key. Counted from before the local
  // copy shows a put (so no notice in between can undo it) until its notice arrives, or it is
  // known never to reach Redis. Bounded by the puts in flight: a key leaves at zero.
  private final Map<BanKey, Integer> putsInFlight = new ConcurrentHashMap<>();
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

  /** How many bans and strike counts the copy holds, over or not (for the memory bound's test). */
  int held() {
    return bans.size() + strikes.size();
  }

  /** Puts {@code ban}; tells the listeners when it is new or differs from the one held. */
  boolean putBan(Ban ban, Origin origin) {
    sweep();
    Ban before = bans.put(ban.key(), ban);
    if (ban.equals(before)) {
      return false;
    }
    tell(l -> l.banned(ban, origin));
    return true;
  }

  /** A ban made here: counted in flight first, then shown; tells the listeners as putBan. */
  void putLocalBan(Ban ban) {
    putSending(ban.key());
    putBan(ban, Origin.LOCAL);
  }

  /** A put of {@code key} goes to Redis, to be told back on the channel. */
  void putSending(BanKey key) {
    putsInFlight.merge(key, 1, Integer::sum);
  }

  /** A put of {@code key} made here will not reach Redis (over, dropped, refused at once). */
  void putSettled(BanKey key) {
    putsInFlight.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
  }

  /**
   * Forgets every put in flight: after an outage their notices may never come (published while this
   * process was not subscribed), and the reconciliation pulls what Redis holds anyway.
   */
  void forgetPutsInFlight() {
    putsInFlight.clear();
  }

  /** How many keys have puts in flight (for tests: each leaves when its notice is back). */
  int keysInFlight() {
    return putsInFlight.size();
  }

  boolean liftBan(BanKey key, Origin origin) {
    if (bans.remove(key) == null) {
      return false;
    }
    tell(l -> l.banLifted(key, origin));
    return true;
  }

  int liftAllBans(Origin origin) {
    return liftEach(key -> liftBan(key, origin));
  }

  /** Applies {@code lift} to every key the copy holds now; returns how many it lifted. */
  private int liftEach(Predicate<BanKey> lift) {
    int n = 0;
    for (BanKey key : List.copyOf(bans.keySet())) {
      if (lift.test(key)) {
        n++;
      }
    }
    return n;
  }

  // ---- the fleet's notices, in Redis's order; called from the one subscription thread

  /** This process's own put came back through Redis: later notices about its key apply again. */
  void ownPutNoticed(BanKey key) {
    putSettled(key);
  }

  /** A ban another process stored: shown unless a put made here follows it in Redis. */
  void banNoticed(Ban ban) {
    sweep();
    Ban[] before = new Ban[1];
    boolean[] shown = new boolean[1];
    // The check and the change under the key's lock: a put made here counts itself in flight
    // before it shows, so it either is seen here or replaces this one after.
    bans.compute(
        ban.key(),
        (k, held) -> {
          if (putsInFlight.containsKey(k)) {
            return held;
          }
          before[0] = held;
          shown[0] = true;
          return ban;
        });
    if (shown[0] && !ban.equals(before[0])) {
      tell(l -> l.banned(ban, Origin.FLEET));
    }
  }

  /**
   * A lift Redis ran: what the copy holds of {@code key} goes, unless a put made here follows it in
   * Redis. For the process that lifted ({@code origin} {@link Origin#LOCAL}) this drops a ban it
   * heard of between its own lift and Redis's.
   */
  boolean liftNoticed(BanKey key, Origin origin) {
    boolean[] dropped = new boolean[1];
    bans.computeIfPresent(
        key,
        (k, held) -> {
          if (putsInFlight.containsKey(k)) {
            return held;
          }
          dropped[0] = true;
          return null;
        });
    if (dropped[0]) {
      tell(l -> l.banLifted(key, origin));
    }
    return dropped[0];
  }

  /**
   * A lift-all Redis ran: every ban goes but those of keys with a put made here still in flight,
   * which Redis runs after it and so keeps. Returns how many went.
   */
  int liftAllNoticed(Origin origin) {
    return liftEach(key -> liftNoticed(key, origin));
  }

  // ---- strikes

  /** One more local strike; the count is the larger of this process's and the fleet's + 1. */
  int addStrike(BanKey key, Duration ttl) {
    sweep();
    long now = clock.millis();
    int[] count = new int[1];
    // compute: atomic per key against the sweep, which drops a count whose time is over.
    strikes.compute(
        Objects.requireNonNull(key, "key"),
        (k, s) -> {
          Strikes held = s == null || s.expiresAtMillis <= now ? new Strikes() : s;
          held.local++;
          held.expiresAtMillis = now + ttl.toMillis();
          // The fleet's count as last heard included this process's earlier strikes, not this one.
          count[0] = Math.max(held.local, held.fleet + 1);
          return held;
        });
    return count[0];
  }

  /** The fleet's count after a strike reached Redis. */
  void fleetStrikes(BanKey key, long count) {
    strikes.computeIfPresent(
        key,
        (k, s) -> {
          s.fleet = (int) Math.max(s.fleet, Math.min(Integer.MAX_VALUE, count));
          return s;
        });
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

  /**
   * Forgets the bans and strike counts that are over, at most once a {@link #SWEEP_EVERY_MILLIS}:
   * one caller in that time pays the walk, the others return at once.
   */
  private void sweep() {
    long now = clock.millis();
    long due = nextSweep.get();
    if (now < due || !nextSweep.compareAndSet(due, now + SWEEP_EVERY_MILLIS)) {
      return;
    }
    bans.values().removeIf(b -> b.until().toEpochMilli() <= now);
    for (BanKey key : strikes.keySet()) {
      strikes.computeIfPresent(key, (k, s) -> s.expiresAtMillis <= now ? null : s);
    }
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

  /** One key's strikes; changed only inside the map's compute, so under its lock. */
  private static final class Strikes {
    int local;
    int fleet;
    long expiresAtMillis;
  }
}
