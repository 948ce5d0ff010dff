package dev.guise.pool.internal;

import dev.guise.api.TlsEndpoint;
import dev.guise.pool.internal.exchange.HttpConnection;

/**
 * The pool's record of one lease of a {@link PooledConnection}: made by its {@link RoutePool},
 * given back with {@link ConnectionManager#release}. The public face a caller holds is the pool's
 * {@code ConnectionLease}, which wraps one of these (its {@code reused()} is {@link #reused()}) and
 * adds sending, classification and the release on close.
 */
public final class Loan {
  final PooledConnection connection;
  private final boolean reused;
  private final boolean needsValidation;
  private boolean released;

  Loan(PooledConnection connection, boolean reused, boolean needsValidation) {
    this.connection = connection;
    this.reused = reused;
    this.needsValidation = needsValidation;
  }

  public HttpConnection http() {
    return connection.http;
  }

  public TlsEndpoint endpoint() {
    return connection.endpoint;
  }

  public Route route() {
    return connection.route;
  }

  public String profile() {
    return connection.profile;
  }

  public long connectionId() {
    return connection.id;
  }

  /** Whether the connection had carried an exchange or validation before this lease. */
  public boolean reused() {
    return reused;
  }

  /**
   * Whether the connection must pass the validator before the lease is handed out: it is new, or it
   * idled longer than {@code revalidateAfterIdle} (only when a validator is configured).
   */
  boolean needsValidation() {
    return needsValidation;
  }

  /** Marks the lease given back; a second release is a bug, reported as such. */
  void markReleased() {
    if (released) {
      throw new IllegalStateException("lease on " + connection + " released twice");
    }
    released = true;
  }
}
