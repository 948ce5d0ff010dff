package dev.guise.micrometer.internal;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.TlsEndpoint;
import dev.guise.pool.stats.PoolEventListener;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics' listener and the user's from the configuration, both hearing every event: the
 * metrics first, guarded, so that a metrics failure never keeps an event from the user's listener.
 * The user's listener is not guarded here: the pool guards it and logs its failures by its name.
 */
public final class ListenerPair implements PoolEventListener {
  private static final Logger log = LoggerFactory.getLogger("dev.guise.micrometer");

  private final PoolEventListener metrics;
  private final PoolEventListener user;
  private final AtomicBoolean warned = new AtomicBoolean();

  public ListenerPair(PoolEventListener metrics, PoolEventListener user) {
    this.metrics = metrics;
    this.user = user;
  }

  private void both(Consumer<PoolEventListener> call) {
    try {
      call.accept(metrics);
    } catch (RuntimeException e) {
      // Once at WARN: a broken registry would otherwise log on every event.
      if (warned.compareAndSet(false, true)) {
        log.warn("recording a Guise metric failed; further failures are logged at DEBUG", e);
      } else {
        log.debug("recording a Guise metric failed", e);
      }
    }
    call.accept(user);
  }

  @Override
  public void connectionOpened(TlsEndpoint endpoint, String profile, Duration handshake) {
    both(l -> l.connectionOpened(endpoint, profile, handshake));
  }

  @Override
  public void connectionFailed(TlsEndpoint endpoint, ClassifiedFailure failure, Duration took) {
    both(l -> l.connectionFailed(endpoint, failure, took));
  }

  @Override
  public void connectionClosed(TlsEndpoint endpoint, String reason) {
    both(l -> l.connectionClosed(endpoint, reason));
  }

  @Override
  public void requestCompleted(
      TlsEndpoint endpoint, int status, Duration took, boolean reusedConnection) {
    both(l -> l.requestCompleted(endpoint, status, took, reusedConnection));
  }

  @Override
  public void requestSucceeded(String host, int attempts, Duration took) {
    both(l -> l.requestSucceeded(host, attempts, took));
  }

  @Override
  public void requestFailed(String host, ClassifiedFailure failure, int attempts, Duration took) {
    both(l -> l.requestFailed(host, failure, attempts, took));
  }

  @Override
  public void retrying(String host, int attempt, ClassifiedFailure failure, Duration delay) {
    both(l -> l.retrying(host, attempt, failure, delay));
  }

  @Override
  public void ipBanned(String host, InetAddress ip, Instant until, String reason) {
    both(l -> l.ipBanned(host, ip, until, reason));
  }

  @Override
  public void storeFailed(String store, String message) {
    both(l -> l.storeFailed(store, message));
  }

  @Override
  public void storeRecovered(String store) {
    both(l -> l.storeRecovered(store));
  }

  @Override
  public String toString() {
    return user + " (with Guise metrics)";
  }
}
