package dev.guise.pool.internal;

import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.stats.PoolEventListener;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One host's routes through one proxy (or directly, when {@link #proxy} is null): their {@link
 * RoutePool}s in the order first given, the host lock they share, the host-wide connection count
 * (for the per-host limit) and the host's {@link RouteRotation}.
 *
 * <p>One lock guards the books of every route of the host, except the idle stacks of HTTP/1.1
 * connections, which unlocked leases and releases use without it. Critical sections only move
 * records between lists and never do I/O, so the lock is held for microseconds. Waiters for a
 * connection wait on {@link #changed}, signalled whenever capacity may have appeared. All the
 * rules: {@code docs/concurrency.md}, "The pool".
 */
final class HostRoutes {
  final HostKey key;

  /** The proxy every route here goes through; null for direct routes. */
  final Proxy proxy;

  /** The identity whose connections these are (see {@link Route}); null for the shared ones. */
  final String identity;

  final ReentrantLock lock = new ReentrantLock();
  final Condition changed = lock.newCondition();
  final RouteLimits limits;
  final RouteRotation rotation;
  final PoolEventListener events;
  private final BooleanSupplier poolClosed;

  /** Every route's pool. Written under the lock; read without it by the unlocked lease. */
  private final Map<Route, RoutePool> byRoute = new ConcurrentHashMap<>();

  /** The routes in the order first given; only grows. Written under the lock, read without it. */
  final List<RoutePool> routes = new CopyOnWriteArrayList<>();

  /**
   * Callers waiting on {@link #changed}. Written under the lock; a unlocked release reads it after
   * pushing a connection and signals only when someone waits.
   */
  volatile int waiters;

  /** Open and connecting connections of every route, for the per-host limit. Guarded by lock. */
  int connections;

  HostRoutes(
      HostKey key,
      Proxy proxy,
      String identity,
      RouteLimits limits,
      RouteRotation rotation,
      PoolEventListener events,
      BooleanSupplier poolClosed) {
    this.key = key;
    this.proxy = proxy;
    this.identity = identity;
    this.limits = limits;
    this.rotation = rotation;
    this.events = events;
    this.poolClosed = poolClosed;
  }

  /** This lane's route to {@code ip} (null: one the proxy resolves). */
  Route routeTo(InetAddress ip) {
    return new Route(key, ip, proxy, identity);
  }

  /** The pool of {@code route} (one of this host's), created on first use. Lock held. */
  RoutePool route(Route route) {
    RoutePool r = byRoute.get(route);
    if (r == null) {
      r = new RoutePool(route, this);
      byRoute.put(route, r);
      routes.add(r);
    }
    return r;
  }

  /** The pool of {@code route}, or null when it is unknown. Unlocked. */
  RoutePool find(Route route) {
    return byRoute.get(route);
  }

  /**
   * Set when the lane's identity is closed and the lane dropped: a lease or connection that still
   * reaches the lane finds it closed, as after the pool's close.
   */
  volatile boolean retired;

  /**
   * Set, under the lock, when the lane is forgotten for being quiet ({@link #forgetIfQuiet}): it
   * had no connection then, and a lease that still holds it looks the lane up again rather than
   * open a connection here.
   */
  volatile boolean forgotten;

  private static final long NOT_QUIET = Long.MIN_VALUE;

  /**
   * When a sweep first saw the lane without connections, openings or waiters ({@link #NOT_QUIET}
   * since it last had any). Guarded by lock.
   */
  private long quietSince = NOT_QUIET;

  /** A connection is being opened here: the lane is not quiet. Lock held. */
  void opening() {
    quietSince = NOT_QUIET;
  }

  /**
   * One sweep's look at the lane: forgets it (sets {@link #forgotten}) when it has had no
   * connection, no opening and no waiter for {@code quietMillis} as the sweeps saw it, and no
   * opening since the first sweep that saw it so. Returns whether it did. Takes the lock.
   */
  boolean forgetIfQuiet(long nowMillis, long quietMillis) {
    lock.lock();
    try {
      if (forgotten) {
        return true;
      }
      if (connections > 0 || waiters > 0) {
        quietSince = NOT_QUIET;
        return false;
      }
      if (quietSince == NOT_QUIET) {
        quietSince = nowMillis;
        return false;
      }
      if (nowMillis - quietSince < quietMillis) {
        return false;
      }
      forgotten = true;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether the pool (or this lane, {@link #retired}) is closed; read after a unlocked push, which
   * is why it is a supplier.
   */
  boolean poolClosed() {
    return retired || poolClosed.getAsBoolean();
  }

  /** Wakes the callers waiting for capacity, if any. Unlocked callers only; takes the lock. */
  void signalWaiters() {
    if (waiters > 0) {
      lock.lock();
      try {
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Closes connections taken off the books and reports them. Never with the lock held. */
  void close(List<PooledConnection> cs, String reason) {
    for (PooledConnection c : cs) {
      close(c, reason);
    }
  }

  void close(PooledConnection c, String reason) {
    c.http.close();
    events.connectionClosed(c.endpoint, reason);
  }
}
