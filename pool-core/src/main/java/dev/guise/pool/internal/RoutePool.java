package dev.guise.pool.internal;

import dev.guise.api.HttpProtocol;
import dev.guise.api.PoolAction;
import dev.guise.pool.stats.ConnectionState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The connections of one {@link Route} and the only code that changes their books: the counts
 * (connecting, opened, closed, failed opens, and the host-wide count), the idle stack, the leases,
 * and the ownership rule of HTTP/1.1 connections. The {@link ConnectionManager} and the {@link
 * HealthChecker} ask it; they never touch its fields or a connection's bookkeeping.
 *
 * <p>The ownership rule: an idle HTTP/1.1 connection sits exactly once on its route's {@link #idle}
 * stack, and whoever removes it ({@code pollLast} or {@code remove} returning it) is its only
 * owner: a lease, the health check, a ban or the pool's close. Nobody takes an idle HTTP/1.1
 * connection any other way. Everything else is guarded by the host lock of {@link HostRoutes}; each
 * method says whether it takes the lock, expects it held, or needs none. All the rules: {@code
 * docs/concurrency.md}, "The pool".
 *
 * <p>Guarantees: an HTTP/1.1 connection is never leased twice at once; a closed connection is never
 * leased; every connection opened is in {@link #connections} until it is closed, and then counted
 * as closed (the books balance: opened = closed + open). Connections taken off the books are closed
 * outside the lock (closing may write a close_notify).
 */
final class RoutePool {
  private final Route route;
  private final HostRoutes host;

  // Guarded by the host lock.
  private final List<PooledConnection> connections = new ArrayList<>();
  private int connecting;
  private long opened;
  private long closed;
  private long failedOpens;

  /** The protocol the last connection of this route negotiated; null until one did. */
  private HttpProtocol protocol;

  /**
   * The idle HTTP/1.1 connections, most recent last: a lease pops one in O(1), and the warmest
   * connection serves first (as the peers' LIFO pools do). Used without the host lock; see the
   * ownership rule above.
   */
  private final IdleStack idle = new IdleStack();

  RoutePool(Route route, HostRoutes host) {
    this.route = route;
    this.host = host;
  }

  Route route() {
    return route;
  }

  // ---- Leases without the lock

  /**
   * The unlocked lease: pops the most recently idled HTTP/1.1 connection, which makes the caller
   * its only owner, so its fields are written without the lock. A popped connection that may not
   * serve any more is taken off the books and closed, and the next one is tried. Null when none is
   * idle.
   */
  Loan leaseIdle(long now) {
    PooledConnection c;
    while ((c = idle.pollLast()) != null) {
      if (c.leases != 0 || !c.canTakeLease()) {
        dropOwned(c, "retired or no longer usable");
        continue;
      }
      return lend(c, now);
    }
    return null;
  }

  /** Leases {@code c}, which the caller owns (popped) or may lease (host lock held). */
  private Loan lend(PooledConnection c, long now) {
    boolean idleTooLong =
        c.leases == 0 && now - c.lastUsedAt > host.limits.revalidateAfterIdleMillis();
    boolean reused = c.uses > 0;
    c.lease();
    c.uses++;
    return new Loan(c, reused, idleTooLong && host.limits.validates());
  }

  /**
   * Closes an idle HTTP/1.1 connection the caller removed from the idle stack (and so owns) because
   * it may not be leased any more. Reports it only if it was still in the books: the pool's close
   * may have counted it already. Takes the lock.
   */
  private void dropOwned(PooledConnection c, String reason) {
    boolean inBooks;
    host.lock.lock();
    try {
      inBooks = removeLocked(c);
      host.changed.signalAll(); // room under the limits
    } finally {
      host.lock.unlock();
    }
    if (inBooks) {
      host.close(c, reason);
    } else {
      c.http.close();
    }
  }

  // ---- Leases under the lock

  /**
   * A lease on a connection that can take one now: the most recently idled HTTP/1.1 connection,
   * else (HTTP/2) one with a free stream; never connection {@code avoid}. Idle HTTP/1.1 connections
   * found unusable are taken off the books and added to {@code stale}, for the caller to close once
   * it has let go of the lock. Null when no connection has room. Lock held.
   */
  Loan leaseLocked(long avoid, long now, List<PooledConnection> stale) {
    PooledConnection skipped = null;
    PooledConnection c;
    while ((c = idle.pollLast()) != null) {
      if (c.leases == 0 && c.canTakeLease()) {
        if (c.id != avoid) {
          if (skipped != null) {
            idle.addLast(skipped);
          }
          return lend(c, now);
        }
        skipped = c; // the connection a retry must avoid stays idle for others
      } else if (removeLocked(c)) {
        stale.add(c); // popped, so ours: it may not serve again
      }
    }
    if (skipped != null) {
      idle.addLast(skipped);
    }
    if (protocol == HttpProtocol.HTTP_1_1) {
      return null; // every idle HTTP/1.1 connection is on the stack
    }
    for (PooledConnection s : connections) {
      if (s.id != avoid && s.canTakeLease()) {
        return lend(s, now);
      }
    }
    return null;
  }

  /**
   * Reserves the opening of a new connection when the limits allow it (counting it as connecting
   * from now on); the caller then opens it and reports with {@link #register} or {@link
   * #openFailed}. While a first connection that may turn out HTTP/2 is still being opened, reserves
   * nothing: that one will most likely serve everyone, as a browser's single connection per host
   * does. Lock held.
   */
  boolean reserveOpening() {
    boolean mayMultiplex = protocol != HttpProtocol.HTTP_1_1;
    if (mayMultiplex && connecting > 0) {
      return false;
    }
    if (connections.size() + connecting < host.limits.perRoute()
        && host.connections < host.limits.perHost()) {
      connecting++;
      host.connections++;
      host.opening();
      return true;
    }
    return false;
  }

  /** A reserved opening failed. Takes the lock. */
  void openFailed() {
    host.lock.lock();
    try {
      connecting--;
      failedOpens++;
      host.connections--;
      host.changed.signalAll();
    } finally {
      host.lock.unlock();
    }
  }

  /**
   * Takes a connection opened on a reservation into the books, leased to the caller that opened it.
   * When the pool closed meanwhile, counts it as closed instead and returns null: the caller closes
   * it. Takes the lock.
   */
  Loan register(PooledConnection c) {
    host.lock.lock();
    try {
      connecting--;
      opened++;
      protocol = c.http.protocol();
      host.changed.signalAll(); // an HTTP/2 connection has room for the waiters
      if (host.poolClosed()) {
        closed++;
        host.connections--;
        c.state = ConnectionState.CLOSED;
        return null;
      }
      c.pool = this;
      connections.add(c);
      c.lease(); // IN_USE for the caller that opened it
      c.uses++;
      return new Loan(c, false, host.limits.validates());
    } finally {
      host.lock.unlock();
    }
  }

  /** Records that {@code c}, leased to the caller, passed validation. Takes the lock. */
  void validated(PooledConnection c, long now) {
    host.lock.lock();
    try {
      c.lastValidatedAt = now;
      c.uses++;
    } finally {
      host.lock.unlock();
    }
  }

  // ---- Releases

  /**
   * Returns a lease. {@code action} decides the connection's fate: KEEP returns it to the pool
   * (unless it became unusable or too old), anything harsher closes it once its last lease is back.
   * A healthy HTTP/1.1 connection after a success goes back on the idle stack without the lock;
   * everything else takes it.
   *
   * @param success whether the exchange succeeded (a failure counts towards the error threshold)
   */
  void release(Loan loan, PoolAction action, boolean success, long now) {
    loan.markReleased();
    PooledConnection c = loan.connection;
    if (action == PoolAction.KEEP && success && c.isHttp1() && releaseIdle(c, now)) {
      return;
    }
    boolean close = false;
    host.lock.lock();
    try {
      c.unlease(now);
      if (!success) {
        c.errors++;
      }
      if (action.compareTo(PoolAction.DISCARD_CONNECTION) >= 0 || !c.http.isUsable()) {
        c.retireWhenIdle = true;
        if (c.state == ConnectionState.IDLE || c.state == ConnectionState.IN_USE) {
          c.state = c.leases == 0 ? ConnectionState.UNHEALTHY : c.state;
        }
      }
      if (now - c.openedAt >= host.limits.maxLifetimeMillis()) {
        c.retireWhenIdle = true;
      }
      if (c.retireWhenIdle && c.leases == 0) {
        removeLocked(c);
        close = true;
      } else if (c.leases == 0 && c.isHttp1()) {
        idle.addLast(c);
      }
      host.changed.signalAll();
    } finally {
      host.lock.unlock();
    }
    if (close) {
      host.close(c, action == PoolAction.KEEP ? "retired" : "discarded after failure");
    }
  }

  /**
   * The unlocked release of a healthy HTTP/1.1 connection after a successful exchange: back on the
   * idle stack, where the next lease (locked or not) finds it. Returns false, having changed
   * nothing, when the locked path must decide (the connection is retiring, broken or past its
   * lifetime).
   */
  private boolean releaseIdle(PooledConnection c, long now) {
    if (c.leases != 1
        || c.state != ConnectionState.IN_USE
        || c.retireWhenIdle
        || now - c.openedAt >= host.limits.maxLifetimeMillis()
        || !c.http.isUsable()) {
      return false;
    }
    c.lastUsedAt = now;
    c.leases = 0;
    c.state = ConnectionState.IDLE;
    idle.addLast(c);
    // A ban (retire) or the pool's close may have looked for this connection between the checks
    // above and the push, and not found it idle. Both set their flag before they look, so reading
    // the flags after the push catches them; whoever removes the connection from the stack closes
    // it.
    boolean poolClosed = host.poolClosed();
    if ((c.retireWhenIdle || poolClosed) && idle.remove(c)) {
      dropOwned(c, poolClosed ? "pool closed" : "retired");
      return true;
    }
    host.signalWaiters();
    return true;
  }

  // ---- Retiring, checking, closing

  /**
   * Retires every connection of the route (its IP was banned): idle ones close now, busy ones when
   * their last lease is back. Takes the lock.
   */
  void retire(String reason) {
    List<PooledConnection> toClose = new ArrayList<>();
    host.lock.lock();
    try {
      for (PooledConnection c : List.copyOf(connections)) {
        // The flag first, then the attempt to take it: a unlocked release pushes the connection
        // and then reads the flag, so either it sees the flag or this sees it on the idle stack.
        c.retireWhenIdle = true;
        if (claimIdle(c)) {
          removeLocked(c);
          toClose.add(c);
        }
      }
    } finally {
      host.lock.unlock();
    }
    host.close(toClose, reason);
  }

  /** What the health check decides about an idle connection it owns. Called with the lock held. */
  interface IdleCheck {
    /** Why {@code c} must close now, or null to keep it. */
    String closeReason(PooledConnection c);

    /** Whether {@code c}, kept, is due for revalidation. */
    boolean dueForValidation(PooledConnection c);
  }

  /**
   * One health-check pass over the route: claims each idle connection (so no lease takes it while
   * it is judged, and a probe never reads while an exchange does), closes the ones {@code check}
   * condemns, leases those due for validation to the checker (returned; give each back with {@link
   * #release}) and puts the rest back. Busy connections are judged on release instead. Takes the
   * lock.
   */
  List<Loan> check(IdleCheck check) {
    List<PooledConnection> toClose = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    List<Loan> toValidate = new ArrayList<>();
    host.lock.lock();
    try {
      for (PooledConnection c : List.copyOf(connections)) {
        if (c.leases > 0 || !claimIdle(c)) {
          continue;
        }
        String reason = check.closeReason(c);
        if (reason != null) {
          removeLocked(c);
          toClose.add(c);
          reasons.add(reason);
        } else if (check.dueForValidation(c)) {
          c.lease(); // IN_USE by the validator: no request may take it meanwhile
          toValidate.add(new Loan(c, true, false));
        } else if (c.isHttp1()) {
          idle.addLast(c); // healthy: back where leases find it
        }
      }
      host.changed.signalAll();
    } finally {
      host.lock.unlock();
    }
    for (int i = 0; i < toClose.size(); i++) {
      host.close(toClose.get(i), reasons.get(i));
    }
    return toValidate;
  }

  /** Closes every connection (busy ones too: their exchanges fail). Takes the lock. */
  void closeAll(String reason) {
    List<PooledConnection> toClose;
    host.lock.lock();
    try {
      toClose = List.copyOf(connections);
      for (PooledConnection c : toClose) {
        removeLocked(c);
      }
      host.changed.signalAll();
    } finally {
      host.lock.unlock();
    }
    host.close(toClose, reason);
  }

  /**
   * Takes an idle connection for the caller, who holds the lock: an HTTP/1.1 one by removing it
   * from the idle stack (a unlocked lease may have popped it first), an HTTP/2 one when it has no
   * lease (HTTP/2 leases are only ever taken under the lock).
   */
  private boolean claimIdle(PooledConnection c) {
    return c.isHttp1() ? idle.remove(c) : c.leases == 0;
  }

  /** Takes {@code c} off the books as closed; returns whether it was still in them. Lock held. */
  private boolean removeLocked(PooledConnection c) {
    idle.remove(c);
    boolean inBooks = connections.remove(c);
    if (inBooks) {
      closed++;
      host.connections--;
    }
    c.state = ConnectionState.CLOSED;
    return inBooks;
  }

  // ---- Reading the books

  /**
   * How busy the route is: leases held plus connections being opened, for rotations that prefer the
   * least loaded route. Lock held (a unlocked lease in flight may be missed: a hint).
   */
  int load() {
    int load = connecting;
    for (PooledConnection c : connections) {
      load += c.leases;
    }
    return load;
  }

  /**
   * A snapshot of the route's books: counts and the connections in them are consistent; a state may
   * lag by one unlocked lease or release in flight. Takes the lock.
   */
  RouteBooks books() {
    host.lock.lock();
    try {
      Map<ConnectionState, Integer> states = new EnumMap<>(ConnectionState.class);
      for (PooledConnection c : connections) {
        states.merge(c.state, 1, Integer::sum);
      }
      if (connecting > 0) {
        states.merge(ConnectionState.CONNECTING, connecting, Integer::sum);
      }
      return new RouteBooks(route, opened, closed, failedOpens, states);
    } finally {
      host.lock.unlock();
    }
  }
}
