package dev.guise.pool.internal;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.ValidationResult;
import dev.guise.api.spi.ConnectionValidator;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.internal.exchange.HttpConnection;
import dev.guise.pool.internal.proxy.ProxyHealth;
import dev.guise.pool.stats.PoolEventListener;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Opens and validates connections, and knows nothing of leases: opens a connection on a route (the
 * profile from the rotation, the deadline cut to the connect timeout), reports it, and hands it to
 * the route's {@link RoutePool} for the books; runs the validator over a leased connection. Never
 * holds a lock while it does I/O.
 */
final class Connector {
  private final PoolConfig config;
  private final ConnectionFactory factory;
  private final FingerprintSelector selector;
  private final PoolEventListener events;
  private final Clock clock;
  private final BiConsumer<Route, ClassifiedFailure> ipAction;
  private final ProxyHealth proxyHealth;
  private final AtomicLong ids = new AtomicLong();
  private final HostTimeouts hostTimeouts;

  /**
   * @param ipAction applies a failed opening's IP action (a strike or a ban) to its route
   * @param proxyHealth counts openings through proxies; null when the pool uses none
   * @param hostTimeouts each host's connect timeout
   */
  Connector(
      PoolConfig config,
      ConnectionFactory factory,
      FingerprintSelector selector,
      PoolEventListener events,
      BiConsumer<Route, ClassifiedFailure> ipAction,
      ProxyHealth proxyHealth,
      HostTimeouts hostTimeouts) {
    this.config = config;
    this.hostTimeouts = hostTimeouts;
    this.factory = factory;
    this.selector = selector;
    this.events = events;
    this.clock = config.clock();
    this.ipAction = ipAction;
    this.proxyHealth = proxyHealth;
  }

  /**
   * Opens a connection on the route of {@code pool}, which reserved the opening ({@link
   * RoutePool#reserveOpening}), and returns it leased to the caller, not yet validated.
   *
   * @throws ClassifiedIOException the classified failure of opening (the books, the events and the
   *     IP's standing already know of it), or CANCELLED when the pool closed meanwhile
   */
  Loan open(RoutePool pool, long deadlineNanos) throws IOException {
    Route route = pool.route();
    TlsEndpoint endpoint = route.endpoint();
    String profile = selector.next();
    long started = System.nanoTime();
    long openDeadline =
        Math.min(deadlineNanos, started + hostTimeouts.connect(route.host().host()).toNanos());
    HttpConnection http;
    try {
      http = factory.open(route, profile, openDeadline);
    } catch (IOException | RuntimeException e) {
      ClassifiedFailure f = classify(e, endpoint);
      if (route.proxy() != null && proxyHealth != null) {
        proxyHealth.failed(route.proxy(), f);
      }
      pool.openFailed();
      events.connectionFailed(endpoint, f, Duration.ofNanos(System.nanoTime() - started));
      ipAction.accept(route, f);
      throw e instanceof ClassifiedIOException c ? c : new ClassifiedIOException(f);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    if (route.proxy() != null && proxyHealth != null) {
      proxyHealth.opened(route.proxy(), took);
    }
    events.connectionOpened(endpoint, profile, took);
    PooledConnection c =
        new PooledConnection(ids.incrementAndGet(), route, http, profile, clock.millis());
    Loan loan = pool.register(c);
    if (loan == null) {
      http.close();
      throw new ClassifiedIOException(
          FailureKind.CANCELLED, false, PoolAction.KEEP, "the pool is closed", null);
    }
    return loan;
  }

  /** Runs the validator over {@code c}, which the caller holds a lease on; records a success. */
  ValidationResult validate(PooledConnection c) {
    ConnectionValidator v = config.validator().orElseThrow();
    ValidationResult r =
        v.validate(new ConnectionProbe(c, clock, config), config.timeouts().validation());
    if (r.healthy()) {
      c.pool.validated(c, clock.millis());
    }
    return r;
  }

  ClassifiedFailure classify(Throwable e, TlsEndpoint endpoint) {
    return config
        .classifier()
        .classify(e, endpoint)
        .orElseGet(
            () ->
                ClassifiedFailure.of(
                    FailureKind.UNKNOWN,
                    false,
                    PoolAction.DISCARD_CONNECTION,
                    String.valueOf(e.getMessage()),
                    e));
  }
}
