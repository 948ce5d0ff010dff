package dev.guise.pool.internal;

import dev.guise.api.HttpProtocol;
import dev.guise.api.TlsEndpoint;
import dev.guise.pool.stats.ConnectionState;
import dev.guise.pool.internal.http.HttpConnection;

/**
 * The pool's record of one connection: the HTTP connection and its bookkeeping. Every mutable
 * field is guarded by the lock of the {@link HostEntry} that owns the record; methods that change
 * state document that they must be called with it held.
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

  // Guarded by the host lock.
  ConnectionState state = ConnectionState.IN_USE;
  int leases;
  long lastUsedAt;
  long lastValidatedAt;
  int errors;
  /** Exchanges and validations this connection has carried; more than zero means a request reuses it. */
  long uses;
  /** Set when the connection must close once its last lease returns (banned IP, past its lifetime). */
  boolean retireWhenIdle;

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

  /** Takes a lease. Host lock held; {@link #canTakeLease()} was true. */
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
