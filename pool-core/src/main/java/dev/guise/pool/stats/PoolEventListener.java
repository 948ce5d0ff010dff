package dev.guise.pool.stats;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.TlsEndpoint;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;

/**
 * Hears what a pool does: the one event interface of the pool. The pool's own counters (behind
 * {@link PoolStats}), its JFR events and its debug log hear the same calls. Every method has an
 * empty default, so a listener overrides what it needs.
 *
 * <p>Give the listener to the configuration ({@code PoolConfig.Builder#eventListener} or {@code
 * #eventListenerFactory}): the pool creates it before it opens anything, so it hears the very first
 * connection.
 *
 * <p>Calls come from the threads doing the work, often many at once: implementations must be
 * thread-safe and quick, and must not block or throw (an exception is logged and ignored).
 */
public interface PoolEventListener {
  /** Hears nothing. */
  PoolEventListener NONE = new PoolEventListener() {};

  /** A connection finished its handshake. */
  default void connectionOpened(TlsEndpoint endpoint, String profile, Duration handshake) {}

  /** A connection could not be opened; {@code took} is how long the attempt took to fail. */
  default void connectionFailed(TlsEndpoint endpoint, ClassifiedFailure failure, Duration took) {}

  /** A connection was closed (evicted, discarded, retired, pool closed). */
  default void connectionClosed(TlsEndpoint endpoint, String reason) {}

  /**
   * One attempt of a request got a response (which the classifier may still call a failure, such as
   * a block page): called for each attempt, so a retried request is heard more than once.
   */
  default void requestCompleted(
      TlsEndpoint endpoint, int status, Duration took, boolean reusedConnection) {}

  /**
   * A request ended with a response, after {@code attempts} tries; {@code took} covers them all,
   * the waits between them included. Each request ends once: here or in {@link #requestFailed}.
   */
  default void requestSucceeded(String host, int attempts, Duration took) {}

  /**
   * A request ended with a failure, after its retries; {@code took} covers every attempt and the
   * waits between them. Each request ends once: here or in {@link #requestSucceeded}.
   */
  default void requestFailed(String host, ClassifiedFailure failure, int attempts, Duration took) {}

  /** A failed attempt will be retried after {@code delay}. */
  default void retrying(String host, int attempt, ClassifiedFailure failure, Duration delay) {}

  /** An IP was banned for a host until {@code until}. */
  default void ipBanned(String host, InetAddress ip, Instant until, String reason) {}

  /**
   * The pool's shared fleet store (bans, strikes, access lists, rate limits kept in Redis, say)
   * failed: the pool goes on with the store's local copy. Heard once per outage, however long it
   * lasts; {@link #storeRecovered} ends it.
   *
   * @param store the store as {@code FleetStore.describe()} has it (a password masked)
   * @param message what failed, never a secret
   */
  default void storeFailed(String store, String message) {}

  /**
   * The pool's fleet store answers again after {@link #storeFailed}, and has reconciled: what this
   * process learned meanwhile is shared, and what the fleet learned is here.
   */
  default void storeRecovered(String store) {}

  /**
   * Makes the listener of each pool built from a configuration, as the pool is created: a
   * configuration may build several pools, and each may want its own listener (its own counters,
   * its own label), the way OkHttp's {@code EventListener.Factory} gives each call its own.
   */
  @FunctionalInterface
  interface Factory {
    /** Called once per pool, before its first connection opens. */
    PoolEventListener create();

    /** A factory giving every pool the same (thread-safe) listener. */
    static Factory of(PoolEventListener listener) {
      if (listener == null) {
        throw new NullPointerException("listener");
      }
      return () -> listener;
    }
  }
}
