package dev.guise.pool.internal;

import dev.guise.api.HttpProtocol;
import dev.guise.api.TlsEndpoint;
import dev.guise.pool.internal.exchange.HttpConnection;
import dev.guise.pool.stats.ConnectionState;

/**
 * The pool's record of one connection (the entry, in Jetty's pool/entry terms): the HTTP connection
 * and its bookkeeping. Only its {@link RoutePool} changes the mutable fields, under the host lock,
 * with one exception: an idle HTTP/1.1 connection taken from the route's idle stack is owned by
 * whoever took it, and the owner's unlocked lease and release write {@code leases}, {@code state},
 * {@code uses} and {@code lastUsedAt} without the lock. Those fields are volatile so that the
 * locked readers (statistics, the health check) see them; the health check re-checks ownership by
 * removing the connection from the idle stack before it acts on what it read. All the rules: {@code
 * docs/concurrency.md}, "The pool".
 */
final class PooledConnection {
  final long id;
  final Route route;
  final TlsEndpoint endpoint;
  final HttpConnection http;
  final String profile;

  /** Epoch milliseconds of the pool's clock; longs, so that the lease path allocates nothing. */
  final long openedAt;

  /** The books this connection is kept in; set once when it is registered. */
  RoutePool pool;

  // Written under the host lock, or by the owner of an idle HTTP/1.1 connection (see above).
  volatile ConnectionState state = ConnectionState.IN_USE;
  volatile int leases;
  volatile long lastUsedAt;
  long lastValidatedAt;
  int errors;

  /** Exchanges and validations carried; more than zero means a request reuses the connection. */
  long uses;

  /**
   * Set when the connection must close once its last lease returns (banned IP, past its lifetime).
   * Volatile: a unlocked release reads it after pushing the connection on the idle stack, and a ban
   * sets it before looking for the connection there, so one of the two always sees the other.
   */
  volatile boolean retireWhenIdle;

  PooledConnection(long id, Route route, HttpConnection http, String profile, long openedAt) {
    this.id = id;
    this.route = route;
    this.endpoint = route.endpoint();
    this.http = http;
    this.profile = profile;
    this.openedAt = openedAt;
    this.lastUsedAt = openedAt;
    this.lastValidatedAt = openedAt;
  }

  /** Whether one more lease may be taken now. Host lock held, or the caller owns it. */
  boolean canTakeLease() {
    if (state != ConnectionState.IDLE && state != ConnectionState.IN_USE) {
      return false;
    }
    if (retireWhenIdle || !http.isUsable()) {
      return false;
    }
    int limit = isHttp1() ? 1 : Math.max(1, http.maxConcurrentStreams());
    return leases < limit;
  }

  boolean isHttp1() {
    return http.protocol() == HttpProtocol.HTTP_1_1;
  }

  /**
   * Takes a lease. Host lock held (or the caller owns the idle HTTP/1.1 connection); {@link
   * #canTakeLease()} was true.
   */
  void lease() {
    leases++;
    state = ConnectionState.IN_USE;
  }

  /** Returns a lease; the connection becomes IDLE when it was the last. Host lock held. */
  void unlease(long now) {
    if (leases <= 0) {
      throw new IllegalStateException("connection " + id + " released more often than leased");
    }
    leases--;
    lastUsedAt = now;
    if (leases == 0 && state == ConnectionState.IN_USE) {
      state = ConnectionState.IDLE;
    }
  }

  @Override
  public String toString() {
    return "conn#" + id + "(" + endpoint + ", " + state + ", leases=" + leases + ")";
  }
}
