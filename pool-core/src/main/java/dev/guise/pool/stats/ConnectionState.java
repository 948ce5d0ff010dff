package dev.guise.pool.stats;

/**
 * Where a pooled connection is in its life. Transitions (all made under the pool's lock for the
 * host, so each is atomic):
 *
 * <pre>
 * CONNECTING -> IN_USE (opened for a caller) | CLOSED (open or validation failed)
 * IDLE       -> IN_USE (leased, or being validated) | UNHEALTHY | CLOSED
 * IN_USE     -> IDLE (last lease returned) | UNHEALTHY | CLOSED
 * UNHEALTHY  -> CLOSED
 * </pre>
 *
 * An HTTP/1.1 connection is IN_USE by at most one lease; an HTTP/2 connection by up to the peer's
 * stream limit. A CLOSED connection is never handed out again.
 */
public enum ConnectionState {
  CONNECTING,
  IDLE,
  IN_USE,
  UNHEALTHY,
  CLOSED
}
