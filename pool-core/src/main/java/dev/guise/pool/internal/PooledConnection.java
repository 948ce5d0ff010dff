package dev.guise.pool.internal;

import dev.guise.api.HttpProtocol;
import dev.guise.api.TlsEndpoint;
import dev.guise.pool.stats.ConnectionState;
import dev.guise.pool.internal.exchange.HttpConnection;

/**
 * The pool's record of one connection: the HTTP connection and its bookkeeping. Mutable fields are
 * written under the lock of the {@link HostEntry} that owns the record, with one exception: an
 * idle HTTP/1.1 connection taken from its slot's idle stack is owned by whoever took it (see
 * {@link HostEntry.IpSlot#idle}), and the owner's lock-free lease and release write {@code leases},
 * {@code state}, {@code uses} and {@code lastUsedAt} without the lock. Those fields are volatile so
 * that the locked readers (statistics, the health check) see them; the health check re-checks
 * ownership by removing the connection from the idle stack before it acts on what it read.
 */
final class PooledConnection {
  final long id;
  final HostKey host;
  final TlsEndpoint endpoint;
  final HttpConnection http;
  final String profile;
  /** Epoch milliseconds of the pool's clock; kept as longs so that the lease path allocates nothing. */
  final long openedAt;

  /** The host and IP books this connection is kept in; set once when it is registered. */
  HostEntry owner;
  HostEntry.IpSlot slot;

  // Written under the host lock, or by the owner of an idle HTTP/1.1 connection (see above).
  volatile ConnectionState state = ConnectionState.IN_USE;
  volatile int leases;
  volatile long lastUsedAt;
  long lastValidatedAt;
  int errors;
  /** Exchanges and validations this connection has carried; more than zero means a request reuses it. */
  long uses;
  /**
   * Set when the connection must close once its last lease returns (banned IP, past its lifetime).
   * Volatile: a lock-free release reads it after pushing the connection on the idle stack, and a
   * ban sets it before looking for the connection there, so one of the two always sees the other.
   */
  volatile boolean retireWhenIdle;

  PooledConnection(long id, HostKey host, TlsEndpoint endpoint, HttpConnection http, String profile,
      long openedAt) {
    this.id = id;
    this.host = host;
    this.endpoint = endpoint;
    this.http = http;
    this.profile = profile;
    this.openedAt = openedAt;
    this.lastUsedAt = openedAt;
    this.lastValidatedAt = openedAt;
  }

  /** Whether one more lease may be taken now. Host lock held. */
  boolean canTakeLease() {
    if (state != ConnectionState.IDLE && state != ConnectionState.IN_USE) {
      return false;
    }
    if (retireWhenIdle || !http.isUsable()) {
      return false;
    }
    int limit = http.protocol() == HttpProtocol.HTTP_1_1 ? 1 : Math.max(1, http.maxConcurrentStreams());
    return leases < limit;
  }

  /** Takes a lease. Host lock held (or the caller owns the idle HTTP/1.1 connection); {@link #canTakeLease()} was true. */
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
