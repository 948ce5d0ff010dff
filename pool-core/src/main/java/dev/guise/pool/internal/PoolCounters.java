package dev.guise.pool.internal;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.FailureKind;
import dev.guise.api.TlsEndpoint;
import dev.guise.pool.internal.jfr.JfrEvents;
import dev.guise.pool.stats.PoolEventListener;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's own {@link PoolEventListener}: it counts what {@code PoolStats} reports, and passes
 * every event on to JFR ({@link JfrEvents}), the log (DEBUG, but bans at INFO: see the README's
 * logging section) and the user's listener from the configuration. The {@code attempt...} and
 * {@code requestEnded} methods are finer than the listener's: the client reports each attempt here,
 * and this class turns them into the listener's per-request events. Thread-safe and non-blocking.
 */
public final class PoolCounters implements PoolEventListener {
  private static final Logger log = LoggerFactory.getLogger("dev.guise.pool");

  final LongAdder handshakes = new LongAdder();
  final LongAdder failedHandshakes = new LongAdder();
  final LongAdder requests = new LongAdder();
  final LongAdder reusedRequests = new LongAdder();
  final LongAdder retries = new LongAdder();
  final LongAdder retriedRequests = new LongAdder();
  final LongAdder retriedRequestsSucceeded = new LongAdder();
  final LongAdder bans = new LongAdder();
  private final Map<FailureKind, LongAdder> failures = new EnumMap<>(FailureKind.class);
  private final PoolEventListener listener;
  private final AtomicBoolean listenerFailureLogged = new AtomicBoolean();

  /**
   * @param listener the user's listener, made by the configuration's factory for this pool
   */
  public PoolCounters(PoolEventListener listener) {
    this.listener = listener;
    for (FailureKind k : FailureKind.values()) {
      failures.put(k, new LongAdder());
    }
  }

  private void each(Consumer<PoolEventListener> call) {
    // A listener's bug must not fail the pool's work, which runs on the same thread.
    try {
      call.accept(listener);
    } catch (RuntimeException e) {
      // Once at WARN with the trace: a listener that throws on every request would otherwise
      // flood the log at a level meant for what an operator should act on.
      if (listenerFailureLogged.compareAndSet(false, true)) {
        log.warn("pool listener {} threw; ignored (further failures at DEBUG)", listener, e);
      } else {
        log.debug("pool listener {} threw; ignored", listener, e);
      }
    }
  }

  @Override
  public void connectionOpened(TlsEndpoint endpoint, String profile, Duration handshake) {
    handshakes.increment();
    var e = new JfrEvents.Handshake();
    if (e.shouldCommit()) {
      e.host = endpoint.host();
      e.ip = endpoint.ip().getHostAddress();
      e.profile = profile;
      e.handshakeNanos = handshake.toNanos();
      e.commit();
    }
    log.debug("opened {} as {} in {} ms", endpoint, profile, handshake.toMillis());
    each(l -> l.connectionOpened(endpoint, profile, handshake));
  }

  @Override
  public void connectionFailed(TlsEndpoint endpoint, ClassifiedFailure failure, Duration took) {
    failedHandshakes.increment();
    failures.get(failure.kind()).increment();
    var e = new JfrEvents.Handshake();
    if (e.shouldCommit()) {
      e.host = endpoint.host();
      e.ip = endpoint.ip().getHostAddress();
      e.handshakeNanos = took.toNanos();
      e.failure = failure.toString();
      e.commit();
    }
    log.debug("could not open {}: {}", endpoint, failure);
    each(l -> l.connectionFailed(endpoint, failure, took));
  }

  @Override
  public void connectionClosed(TlsEndpoint endpoint, String reason) {
    var e = new JfrEvents.Eviction();
    if (e.shouldCommit()) {
      e.host = endpoint.host();
      e.ip = endpoint.ip().getHostAddress();
      e.reason = reason;
      e.commit();
    }
    log.debug("closed {}: {}", endpoint, reason);
    each(l -> l.connectionClosed(endpoint, reason));
  }

  @Override
  public void ipBanned(String host, InetAddress ip, Instant until, String reason) {
    bans.increment();
    var e = new JfrEvents.Ban();
    if (e.shouldCommit()) {
      e.host = host;
      e.ip = ip.getHostAddress();
      e.until = until.toString();
      e.reason = reason;
      e.commit();
    }
    // INFO: a ban changes what the pool does for minutes and is rare (one per blocked IP, not per
    // request); an operator wants to see it without turning on DEBUG.
    log.info("banned {} for {} until {}: {}", ip.getHostAddress(), host, until, reason);
    each(l -> l.ipBanned(host, ip, until, reason));
  }

  @Override
  public void storeFailed(String store, String message) {
    log.warn("fleet store {} failed, going on with local state: {}", store, message);
    each(l -> l.storeFailed(store, message));
  }

  @Override
  public void storeRecovered(String store) {
    log.info("fleet store {} is back and reconciled", store);
    each(l -> l.storeRecovered(store));
  }

  /** One attempt got a response. */
  public void attemptAnswered(
      TlsEndpoint endpoint, String method, int status, boolean reused, Duration took) {
    requests.increment();
    if (reused) {
      reusedRequests.increment();
    }
    var e = new JfrEvents.Request();
    if (e.shouldCommit()) {
      e.host = endpoint.host();
      e.ip = endpoint.ip().getHostAddress();
      e.method = method;
      e.status = status;
      e.reused = reused;
      e.commit();
    }
    each(l -> l.requestCompleted(endpoint, status, took, reused));
  }

  /** One attempt failed (a failure response or an exception). */
  public void attemptFailed(TlsEndpoint endpoint, String method, ClassifiedFailure failure) {
    failures.get(failure.kind()).increment();
    var e = new JfrEvents.Request();
    if (e.shouldCommit()) {
      if (endpoint != null) {
        e.host = endpoint.host();
        e.ip = endpoint.ip().getHostAddress();
      }
      e.method = method;
      e.status = failure.status().orElse(0);
      e.failure = failure.toString();
      e.commit();
    }
  }

  public void retrying(String host, int attempt, ClassifiedFailure failure, Duration delay) {
    retries.increment();
    var e = new JfrEvents.Retry();
    if (e.shouldCommit()) {
      e.host = host;
      e.attempt = attempt;
      e.failure = failure.toString();
      e.delayMillis = delay.toMillis();
      e.commit();
    }
    log.debug(
        "retrying {} (attempt {} failed: {}) after {} ms",
        host,
        attempt,
        failure,
        delay.toMillis());
    each(l -> l.retrying(host, attempt, failure, delay));
  }

  /**
   * A request ended; {@code attempts} counts its tries, {@code took} all of them; {@code last} is
   * the last attempt's failure, null when the request succeeded.
   */
  public void requestEnded(String host, int attempts, ClassifiedFailure last, Duration took) {
    if (attempts > 1) {
      retriedRequests.increment();
      if (last == null) {
        retriedRequestsSucceeded.increment();
      }
    }
    if (last == null) {
      each(l -> l.requestSucceeded(host, attempts, took));
    } else {
      log.debug("request to {} failed after {} attempts: {}", host, attempts, last);
      each(l -> l.requestFailed(host, last, attempts, took));
    }
  }

  public long handshakesCount() {
    return handshakes.sum();
  }

  public long failedHandshakesCount() {
    return failedHandshakes.sum();
  }

  public long requestsCount() {
    return requests.sum();
  }

  public long reusedRequestsCount() {
    return reusedRequests.sum();
  }

  public long retriesCount() {
    return retries.sum();
  }

  public long retriedRequestsCount() {
    return retriedRequests.sum();
  }

  public long retriedRequestsSucceededCount() {
    return retriedRequestsSucceeded.sum();
  }

  public long bansCount() {
    return bans.sum();
  }

  public Map<FailureKind, Long> failuresByKind() {
    Map<FailureKind, Long> out = new EnumMap<>(FailureKind.class);
    failures.forEach(
        (k, v) -> {
          long n = v.sum();
          if (n > 0) {
            out.put(k, n);
          }
        });
    return out;
  }
}
