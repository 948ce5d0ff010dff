package dev.guise.api;

/**
 * What the pool should do with the connection and the IP after a failure. Ordered from mildest to
 * harshest; when several classifiers or failures disagree, the pool applies the harshest.
 */
public enum PoolAction {
  /** The connection is fine; return it to the pool. */
  KEEP,
  /** Close the connection; the IP stays in good standing. */
  DISCARD_CONNECTION,
  /** Close the connection and count a strike against the IP (enough strikes lead to a ban). */
  PENALISE_IP,
  /** Close the connection and ban the IP for the configured ban time. */
  BAN_IP
}
