package dev.guise.pool.stats;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.TlsEndpoint;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;

/**
 * Hears what a pool does. Every method has an empty default, so a listener overrides what it needs.
 *
 * <p>Calls come from the threads doing the work, often many at once: implementations must be
 * thread-safe and quick, and must not block or throw (an exception is logged and ignored).
 */
public interface PoolListener {
  /** A connection finished its handshake. */
  default void connectionOpened(TlsEndpoint endpoint, String profile, Duration handshake) {}

  /** A connection could not be opened. */
  default void connectionFailed(TlsEndpoint endpoint, ClassifiedFailure failure) {}

  /** A connection was closed (evicted, discarded, retired, pool closed). */
  default void connectionClosed(TlsEndpoint endpoint, String reason) {}

  /** A request ended with a response. */
  default void requestCompleted(TlsEndpoint endpoint, int status, Duration took, boolean reusedConnection) {}

  /** A request ended with a failure, after its retries. */
  default void requestFailed(String host, ClassifiedFailure failure, int attempts) {}

  /** A failed attempt will be retried after {@code delay}. */
  default void retrying(String host, int attempt, ClassifiedFailure failure, Duration delay) {}

  /** An IP was banned for a host until {@code until}. */
  default void ipBanned(String host, InetAddress ip, Instant until, String reason) {}
}
