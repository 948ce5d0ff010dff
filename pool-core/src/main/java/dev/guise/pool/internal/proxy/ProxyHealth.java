package dev.guise.pool.internal.proxy;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyRouting;
import dev.guise.pool.proxy.ProxyStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Each proxy's tunnels, failures and connect time, and its rest: {@code restAfter} failures of the
 * proxy itself in a row rest it for {@code restFor}; a tunnel that opens ends the row. A failure
 * about the site (the target refused, unreachable or silent through the proxy, a TLS alert from it)
 * is counted but does not rest the proxy. Thread-safe: one monitor per proxy, held for a few field
 * updates.
 */
public final class ProxyHealth {
  private static final Set<FailureKind> PROXY_FAULTS =
      EnumSet.of(
          FailureKind.PROXY_UNREACHABLE,
          FailureKind.PROXY_TIMEOUT,
          FailureKind.PROXY_PROTOCOL_ERROR,
          FailureKind.PROXY_REJECTED,
          FailureKind.PROXY_AUTH_FAILED);

  private final Clock clock;
  private final int restAfter;
  private final Duration restFor;
  private final Map<Proxy, Books> books = new LinkedHashMap<>();

  private static final class Books {
    long tunnels;
    long failures;
    long connectNanos;
    int inARow;
    Instant restingUntil;
  }

  public ProxyHealth(ProxyRouting routing, Clock clock) {
    this.clock = clock;
    this.restAfter = routing.restAfter();
    this.restFor = routing.restFor();
    for (Proxy p : routing.proxies()) {
      books.put(p, new Books());
    }
  }

  private Books of(Proxy p) {
    Books b = books.get(p);
    if (b == null) { // a per-request proxy outside the routing: counted, on its own books
      synchronized (books) {
        b = books.computeIfAbsent(p, k -> new Books());
      }
    }
    return b;
  }

  /** A connection through {@code p} opened (tunnel and TLS) in {@code took}. */
  public void opened(Proxy p, Duration took) {
    Books b = of(p);
    synchronized (b) {
      b.tunnels++;
      b.connectNanos += took.toNanos();
      b.inARow = 0;
    }
  }

  /**
   * A tunnel through {@code p} failed with {@code failure}. Only the proxy's own faults count
   * towards its rest: a failure that strikes the site's IP ({@code PENALISE_IP}: the proxy told us
   * the target is unreachable, refused or silent) is the site's, whatever its kind.
   *
   * @return when this failure started a rest, its end; else empty
   */
  public Optional<Instant> failed(Proxy p, ClassifiedFailure failure) {
    Books b = of(p);
    synchronized (b) {
      b.failures++;
      if (!PROXY_FAULTS.contains(failure.kind()) || failure.action() == PoolAction.PENALISE_IP) {
        return Optional.empty();
      }
      b.inARow++;
      Instant now = clock.instant();
      if (b.inARow >= restAfter && (b.restingUntil == null || !now.isBefore(b.restingUntil))) {
        b.restingUntil = now.plus(restFor);
        b.inARow = 0;
        return Optional.of(b.restingUntil);
      }
      return Optional.empty();
    }
  }

  /** Whether {@code p} rests now. */
  public boolean resting(Proxy p) {
    Books b = of(p);
    synchronized (b) {
      return b.restingUntil != null && clock.instant().isBefore(b.restingUntil);
    }
  }

  /** Every proxy's figures, the routing's first, in order. */
  public List<ProxyStats> stats() {
    List<Map.Entry<Proxy, Books>> entries;
    synchronized (books) {
      entries = List.copyOf(books.entrySet());
    }
    Instant now = clock.instant();
    return entries.stream()
        .map(
            e -> {
              Books b = e.getValue();
              synchronized (b) {
                return new ProxyStats(
                    e.getKey(),
                    b.tunnels,
                    b.failures,
                    b.tunnels == 0 ? Duration.ZERO : Duration.ofNanos(b.connectNanos / b.tunnels),
                    b.restingUntil != null && now.isBefore(b.restingUntil)
                        ? Optional.of(b.restingUntil)
                        : Optional.empty());
              }
            })
        .toList();
  }
}
