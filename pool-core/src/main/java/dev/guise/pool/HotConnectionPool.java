package dev.guise.pool;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsEndpoint;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.fleet.AccessEntry;
import dev.guise.pool.fleet.FleetStore;
import dev.guise.pool.fleet.RateLimit;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.internal.ConnectionFactory;
import dev.guise.pool.internal.ConnectionManager;
import dev.guise.pool.internal.DefaultConnectionFactory;
import dev.guise.pool.internal.FingerprintSelector;
import dev.guise.pool.internal.HostKey;
import dev.guise.pool.internal.HostTimeouts;
import dev.guise.pool.internal.IpAccessController;
import dev.guise.pool.internal.Loan;
import dev.guise.pool.internal.PoolCounters;
import dev.guise.pool.internal.Route;
import dev.guise.pool.internal.TicketRelay;
import dev.guise.pool.internal.fleet.MemoryFleetStore;
import dev.guise.pool.internal.http2.Http2Connection;
import dev.guise.pool.internal.proxy.ProxyHealth;
import dev.guise.pool.internal.proxy.ProxyRouter;
import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyBanTarget;
import dev.guise.pool.proxy.ProxyRouting;
import dev.guise.pool.proxy.ProxyStats;
import dev.guise.pool.proxy.ProxyTarget;
import dev.guise.pool.stats.ConnectionState;
import dev.guise.pool.stats.HealthReport;
import dev.guise.pool.stats.PoolStats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hot pool of TLS connections pinned to chosen IPs of a host, each presenting a browser's TLS and
 * HTTP/2 fingerprint, kept healthy in the background.
 *
 * <ul>
 *   <li>{@link #connectionToIp(URI, InetAddress)} leases a connection to the URL's host at one IP:
 *       a healthy one reused (validated first when it idled longer than {@code
 *       revalidateAfterIdle}), or a new one opened with the configured engine and profile,
 *       validated.
 *   <li>{@link #connection(URI)} lets the pool choose the IP among the host's known, allowed (not
 *       banned) IPs: round robin, or as {@link PoolConfig#ipRotation()} says. IPs come from {@link
 *       #addIps}, {@link #warmUp}, or, when none are known, the configured resolver (the JDK's by
 *       default).
 *   <li>HTTP/2 connections are shared by concurrent leases up to the server's stream limit;
 *       HTTP/1.1 connections are leased to one caller at a time. Per-IP and per-host limits bound
 *       the connections; a caller past them waits at most {@code acquireTimeout}, then fails with
 *       {@link FailureKind#POOL_EXHAUSTED}.
 *   <li>A background health checker closes connections idle past the idle timeout or older than the
 *       maximum lifetime, retires those with too many errors, and revalidates idle ones every
 *       health-check interval. A host left without connections for an idle timeout is forgotten:
 *       its routes and books, and the IPs the resolver gave for it (IPs from {@link #addIps} and
 *       {@link #warmUp} are kept). So a pool that meets ever new hosts keeps only those in use;
 *       bans, tickets and counters are kept apart and are not lost with a host.
 *   <li>With {@link PoolConfig#proxies()} every connection goes through a proxy the routing picks
 *       (never directly); connections are pooled per host, IP and proxy, a ban through a proxy bans
 *       its exit for the host, and {@link #proxyStats()} has each proxy's figures.
 * </ul>
 *
 * <p>Thread-safe; meant to be shared by many (virtual) threads. {@link #close()} closes every
 * connection and stops every background task; nothing of the pool survives it.
 */
public final class HotConnectionPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HotConnectionPool.class);

  private final PoolConfig config;
  private final IpAccessController access;
  private final FleetStore store;

  /** Whether the pool made its store (and so closes it), or was given it. */
  private final boolean ownsStore;

  private final FleetStore.Listener storeReports;
  private final AccessControl accessControl;
  private final HostTimeouts hostTimeouts;
  private final PoolCounters counters;
  private final ConnectionManager manager;
  private final FingerprintSelector selector;
  private final ExecutorService workers;
  private final ScheduledExecutorService healthChecker;
  private final String engineName;
  private final ProxyRouter proxyRouter;

  /** How long a lease may take at most: waiting for room, then opening a connection. */
  private final long leaseTimeoutNanos;

  private HotConnectionPool(
      PoolConfig config,
      ConnectionFactory factory,
      String engineName,
      boolean background,
      UnaryOperator<String> canonicalProfile) {
    this.config = config;
    this.engineName = engineName;
    // The listener exists before the first connection can open, so it hears every event.
    this.counters = new PoolCounters(config.eventListenerFactory().create());
    this.leaseTimeoutNanos =
        config.timeouts().acquire().plus(config.timeouts().connect()).toNanos();
    this.ownsStore = config.fleetStore().isEmpty();
    this.store = config.fleetStore().orElseGet(() -> new MemoryFleetStore(config.clock()));
    this.storeReports = new StoreReports(store.describe(), counters);
    store.addListener(storeReports);
    for (AccessEntry e : config.accessEntries()) {
      store.addAccessEntry(e);
    }
    this.access =
        new IpAccessController(
            config.healthChecks().banDuration(),
            config.healthChecks().strikesToBan(),
            config.proxies().map(ProxyRouting::banTarget).orElse(ProxyBanTarget.EXIT),
            store);
    this.accessControl = new AccessControl(store, config.clock());
    this.hostTimeouts =
        new HostTimeouts(config.timeouts(), config.adaptiveTimeouts().orElse(null), config.clock());
    this.proxyRouter =
        config
            .proxies()
            .map(r -> new ProxyRouter(r, new ProxyHealth(r, config.clock())))
            .orElse(null);
    // Aliases ("chrome") become the names connections report ("chrome-156"), so a response, its
    // lease and its TLS facts all name the profile the same way.
    Map<String, Integer> profiles = new LinkedHashMap<>();
    config
        .profiles()
        .forEach(
            (name, weight) -> profiles.merge(canonicalProfile.apply(name), weight, Integer::sum));
    this.selector = new FingerprintSelector(profiles, config.seed());
    this.workers =
        Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("guise-pool-worker-", 0).factory());
    this.manager =
        new ConnectionManager(
            config,
            factory,
            access,
            counters,
            selector,
            workers,
            proxyRouter == null ? null : proxyRouter.health(),
            hostTimeouts);
    // A ban from the fleet or a new deny entry retires the connections it forbids.
    access.onChange(manager::retireForbidden);
    if (background) {
      healthChecker =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().daemon().name("guise-health-checker").factory());
      long period =
          Math.max(
              100,
              Math.min(
                      config.healthChecks().interval().toMillis(),
                      config.timeouts().idle().toMillis())
                  / 2);
      healthChecker.scheduleWithFixedDelay(
          this::checkHealthQuietly, period, period, TimeUnit.MILLISECONDS);
    } else {
      healthChecker = null;
    }
  }

  /**
   * A pool opening connections with the configured engine.
   *
   * @throws IllegalArgumentException when the engine is unknown or does not offer a configured
   *     profile (naming the engines that do)
   */
  public static HotConnectionPool create(PoolConfig config) {
    DefaultConnectionFactory factory = new DefaultConnectionFactory(config);
    return new HotConnectionPool(
        config,
        factory,
        factory.engine().name(),
        true,
        name -> factory.engine().offer(name).orElseThrow().profile());
  }

  /** A pool over a custom factory, without the background checker (tests drive health checks). */
  static HotConnectionPool withFactory(PoolConfig config, ConnectionFactory factory) {
    return new HotConnectionPool(config, factory, "custom", false, name -> name);
  }

  private void checkHealthQuietly() {
    try {
      manager.checkHealth();
    } catch (RuntimeException e) {
      log.warn("health check failed; will run again", e);
    }
  }

  /** One health-check pass now (the background checker runs them on its own schedule). */
  public HealthReport checkHealth() {
    return manager.checkHealth();
  }

  public PoolConfig config() {
    return config;
  }

  /** The TLS engine's name. */
  public String engine() {
    return engineName;
  }

  /**
   * The allow and deny lists and the bans, to read and change at run time; through the pool's
   * {@linkplain PoolConfig#fleetStore() store}.
   */
  public AccessControl access() {
    return accessControl;
  }

  /** Adds IPs to a host's list, in order; they are kept for the pool's life. */
  public void addIps(String host, int port, List<InetAddress> ips) {
    manager.addIps(new HostKey(host, port), ips);
  }

  /**
   * The host's known IPs: those given, and those the resolver gave while the host is in use (see
   * the health checker above).
   */
  public List<InetAddress> ips(String host, int port) {
    return manager.ips(new HostKey(host, port));
  }

  /**
   * Leases a connection to {@code url}'s host pinned to {@code ip}.
   *
   * @throws ClassifiedIOException IP_BLOCKED when the IP is banned, POOL_EXHAUSTED past the wait
   *     limit, or the classified failure of opening or validating a connection
   */
  public ConnectionLease connectionToIp(URI url, InetAddress ip) throws IOException {
    HostKey key = key(url);
    return lease(key, ip, null, null, null, -1, System.nanoTime() + leaseTimeoutNanos);
  }

  /**
   * Leases a connection to {@code url}'s host pinned to {@code ip} (null: an IP the pool chooses),
   * through {@code proxy} whatever the pool's routing says: a per-request proxy, which may also be
   * one the routing does not list.
   */
  public ConnectionLease connectionVia(URI url, InetAddress ip, Proxy proxy) throws IOException {
    HostKey key = key(url);
    return lease(
        key,
        ip,
        Objects.requireNonNull(proxy),
        null,
        null,
        -1,
        System.nanoTime() + leaseTimeoutNanos);
  }

  /**
   * Leases one of {@code identity}'s connections ({@link HttpRequest.Builder#identity}: a
   * session's) to {@code url}'s host, pinned to {@code ip}, or at an IP the pool chooses when
   * {@code ip} is null: the connection that identity's next request there would take, for example
   * to show what its handshake agreed on before sending. Given back idle, the identity's request
   * then reuses it.
   *
   * @throws ClassifiedIOException as {@link #connectionToIp}
   */
  public ConnectionLease connectionAs(String identity, URI url, InetAddress ip) throws IOException {
    HostKey key = key(url);
    return lease(
        key,
        ip,
        null,
        Objects.requireNonNull(identity, "identity"),
        null,
        -1,
        System.nanoTime() + leaseTimeoutNanos);
  }

  /** Leases a connection to {@code url}'s host at an IP the pool chooses (round robin). */
  public ConnectionLease connection(URI url) throws IOException {
    HostKey key = key(url);
    return lease(key, null, null, null, null, -1, System.nanoTime() + leaseTimeoutNanos);
  }

  /**
   * @param proxy the request's own proxy, or null for the routing's choice (or none)
   * @param identity whose connection it is ({@link HttpRequest#identity()}), or null for the pool's
   *     shared connections
   * @param failedThrough proxies this request failed through, or null when not tracked; the choice
   *     avoids them while others are usable, and a failure to lease adds the proxy it went through
   */
  ConnectionLease lease(
      HostKey key,
      InetAddress ip,
      Proxy proxy,
      String identity,
      Set<Proxy> failedThrough,
      long avoid,
      long deadlineNanos)
      throws IOException {
    RateLimit limit = config.rateLimits().get(key.host());
    if (limit != null) {
      awaitToken(key, limit, deadlineNanos);
    }
    Proxy via =
        proxy != null
            ? proxy
            : chooseProxy(key, ip, failedThrough == null ? Set.of() : failedThrough);
    try {
      return new ConnectionLease(
          this,
          manager.acquire(
              key,
              ip,
              via,
              identity,
              via != null && via.newTunnelPerRequest(),
              avoid,
              deadlineNanos),
          key);
    } catch (ClassifiedIOException e) {
      if (via != null && failedThrough != null) {
        failedThrough.add(via);
      }
      throw e;
    }
  }

  /**
   * Waits for a token of the host's rate limit, shared by the fleet through the store: at most
   * until the deadline, which a wait that could not end in time does not even start.
   */
  private void awaitToken(HostKey key, RateLimit limit, long deadlineNanos)
      throws ClassifiedIOException {
    while (true) {
      Duration wait = store.takeToken(key.host(), limit);
      if (wait.isZero()) {
        return;
      }
      long left = deadlineNanos - System.nanoTime();
      if (wait.toNanos() > left) {
        throw new ClassifiedIOException(
            FailureKind.DEADLINE_EXCEEDED,
            false,
            PoolAction.KEEP,
            "the request's deadline would pass before the rate limit of "
                + key.host()
                + " ("
                + limit.perSecond()
                + "/s) lets it go",
            null);
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClassifiedIOException(
            FailureKind.CANCELLED,
            false,
            PoolAction.KEEP,
            "interrupted while waiting for the rate limit of " + key.host(),
            e);
      }
    }
  }

  /** The routing's proxy for a connection to {@code key} at {@code ip}; null without routing. */
  private Proxy chooseProxy(HostKey key, InetAddress ip, Set<Proxy> failedThrough)
      throws ClassifiedIOException {
    if (proxyRouter == null) {
      return null;
    }
    long now = config.clock().millis();
    return proxyRouter.choose(
        new ProxyTarget(key.host(), key.port(), Optional.ofNullable(ip)),
        p -> access.isAllowed(Route.exit(key, p), now),
        failedThrough);
  }

  /**
   * Closes the connections of {@code identity} ({@link HttpRequest.Builder#identity}), leased ones
   * when given back, and forgets them; the pool's shared connections and other identities' are
   * untouched. A request of the identity sent afterwards opens new connections. TLS sessions the
   * engine keeps for the identity stay until they expire or are pushed out (they are offered to
   * nobody else).
   */
  public void closeIdentity(String identity) {
    manager.closeIdentity(Objects.requireNonNull(identity, "identity"));
  }

  /** Each proxy's figures, in the routing's order; empty when the pool uses no proxies. */
  public List<ProxyStats> proxyStats() {
    return proxyRouter == null ? List.of() : proxyRouter.health().stats();
  }

  static HostKey key(URI url) {
    if (url.getHost() == null) {
      throw new IllegalArgumentException("the URL has no host: " + url);
    }
    return new HostKey(url.getHost(), url.getPort() < 0 ? 443 : url.getPort());
  }

  /**
   * Opens (and validates, when a validator is configured) a connection to each of {@code ips}, at
   * most {@code limits().warmUpParallelism()} at once, and adds the IPs to the host's list. An IP
   * that already has a connection counts as ready. Blocks until every IP is done; each IP takes at
   * most the connect timeout plus the validation timeout.
   *
   * <p>With TLS resumption on, the connections resume as a browser's later connections to a host
   * do: the first IP's connection opens alone and reads its tickets; then workers open the other
   * IPs, each one after another, so that a worker's next connection takes the ticket its last one
   * brought in (tickets are used once, and every connection receives new ones). A ticket beyond
   * that one starts one more worker: against a server that sends two per handshake (OpenSSL,
   * BoringSSL) the workers double each round up to {@code limits().warmUpParallelism()}, and every
   * connection after the first resumes; against one that sends one, a single worker resumes its way
   * through the IPs. The relay of tickets is over once none has come in for as long as the first
   * connection took, or after four times that, and the remaining workers then start at once (see
   * {@code docs/profiles.md}). A first connection that brought no ticket (a server that sends none,
   * an engine that keeps none) and connections that read nothing during warm-up (HTTP/1.1 without a
   * validator) start every worker at once.
   *
   * <p>Interrupting the calling thread stops the warm-up from opening further IPs: the workers end
   * after the IP each is on, and {@link InterruptedException} is thrown.
   */
  public WarmUpSummary warmUp(String host, int port, List<InetAddress> ips, WarmUpProgress progress)
      throws InterruptedException {
    HostKey key = new HostKey(host, port);
    manager.addIps(key, ips);
    long started = System.nanoTime();
    AtomicInteger done = new AtomicInteger();
    AtomicInteger ready = new AtomicInteger();
    Map<FailureKind, Integer> failures = new ConcurrentHashMap<>();
    // Whether the connections can read their tickets during warm-up: an HTTP/2 connection reads
    // the server's SETTINGS (the TLS 1.3 tickets come before them), a validated one its exchange.
    // An HTTP/1.1-only pool without a validator reads nothing, so waiting for tickets is useless.
    boolean readsTickets =
        config.tlsResumption()
            && ips.size() > 1
            && (config.validator().isPresent()
                || config.alpn().isEmpty()
                || config.alpn().contains("h2"));
    WarmTask[] tasks = new WarmTask[ips.size()];
    for (int i = 0; i < ips.size(); i++) {
      InetAddress ip = ips.get(i);
      tasks[i] =
          () -> {
            ClassifiedFailure failure = null;
            try {
              int tickets = warmOne(key, ip, readsTickets);
              ready.incrementAndGet();
              return tickets;
            } catch (IOException | RuntimeException e) {
              failure = classify(e, new TlsEndpoint(host, ip, port));
              failures.merge(failure.kind(), 1, Integer::sum);
              return 0;
            } finally {
              try {
                progress.ipDone(ip, failure, done.incrementAndGet(), ips.size());
              } catch (RuntimeException e) {
                log.warn("warm-up progress listener threw; ignored", e);
              }
            }
          };
    }
    AtomicInteger next = new AtomicInteger();
    TicketRelay relay = null;
    if (readsTickets) {
      // Opened all at once, no connection would have a ticket to offer: the host's first
      // connection goes alone and reads its tickets before the next opens (one handshake's wait).
      long firstStarted = System.nanoTime();
      int tickets = tasks[next.getAndIncrement()].run();
      if (tickets > 0) {
        // On loopback with a warm JVM the first connection can take a few milliseconds, less than
        // one GC pause or thread wake-up: the floors keep the relay from ending on such noise (seen
        // in CI: 6 of 7 resumed), at a bounded cost when tickets stop coming (one patience's wait).
        long took = System.nanoTime() - firstStarted;
        relay =
            new TicketRelay(
                tickets,
                Math.max(took, RELAY_PATIENCE_FLOOR_NANOS),
                Math.max(RELAY_BUDGET_FULL_HANDSHAKES * took, RELAY_BUDGET_FLOOR_NANOS));
      }
    }
    // Each worker opens one IP after another, so its next connection takes the ticket its last one
    // brought in; a ticket beyond that one is a credit for one more worker (see TicketRelay).
    TicketRelay pacing = relay;
    Runnable worker =
        () -> {
          for (int i = next.getAndIncrement(); i < tasks.length; i = next.getAndIncrement()) {
            int tickets = tasks[i].run();
            if (pacing != null) {
              pacing.ticketsIn(tickets);
            }
          }
          if (pacing != null) {
            pacing.end(); // no worker is wanted any more: the warm-up thread stops waiting
          }
        };
    List<Future<?>> futures = new ArrayList<>();
    try {
      while (futures.size() < config.limits().warmUpParallelism() && next.get() < tasks.length) {
        if (relay != null) {
          relay.awaitTicket(); // at most the relay's patience; nothing once it is over
        }
        futures.add(workers.submit(worker));
      }
      for (var f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("warm-up task failed unexpectedly", e.getCause());
        }
      }
    } catch (InterruptedException e) {
      next.set(tasks.length); // cancelled: the workers end after the IP they are on
      throw e;
    }
    return new WarmUpSummary(
        host, ips.size(), ready.get(), failures, Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * How long warm-up relays tickets at most, in times the first connection took: the bound on how
   * much slower than opening everything at once warm-up may be for the sake of resuming.
   */
  private static final int RELAY_BUDGET_FULL_HANDSHAKES = 4;

  /** The least a connection waits for a ticket, however fast the first connection was. */
  private static final long RELAY_PATIENCE_FLOOR_NANOS = 50_000_000L;

  /** The least time the relay runs, however fast the first connection was. */
  private static final long RELAY_BUDGET_FLOOR_NANOS = 500_000_000L;

  /**
   * One IP's warm-up; returns the tickets its connection brought in (see {@link #warmOne}), 0 when
   * it failed.
   */
  @FunctionalInterface
  private interface WarmTask {
    int run();
  }

  /**
   * Opens (and validates) one warm connection to {@code ip} and puts it in the pool. With {@code
   * readTickets}, an HTTP/2 connection is kept until it has read the server's SETTINGS, by when the
   * TLS 1.3 tickets sent before them are in the engine's cache; a validated connection read them in
   * its exchange.
   *
   * @return the tickets the connection brought in: as many as its engine kept, 1 when the engine
   *     cannot tell and the connection read what the server sent after the handshake, 0 when it
   *     read nothing (an HTTP/1.1 connection without a validator)
   */
  private int warmOne(HostKey key, InetAddress ip, boolean readTickets) throws IOException {
    long deadline =
        System.nanoTime()
            + config.timeouts().connect().plus(config.timeouts().validation()).toNanos();
    Proxy via = chooseProxy(key, ip, Set.of());
    boolean fresh = via != null && via.newTunnelPerRequest();
    Loan l = manager.acquire(key, ip, via, fresh, -1, deadline);
    try {
      if (!readTickets || fresh) {
        return 0; // a new tunnel per request is a new exit each time: nothing to resume
      }
      boolean read;
      if (l.http() instanceof Http2Connection h2) {
        try {
          long left = Math.max(0, deadline - System.nanoTime());
          read = h2.awaitPeerSettings(Duration.ofNanos(left));
        } catch (InterruptedException e) {
          // The caller's warm-up was cancelled: keep the connection, stop waiting for the ticket.
          Thread.currentThread().interrupt();
          return 0;
        }
      } else {
        read = config.validator().isPresent(); // its validation exchange read the response
      }
      return read ? l.http().ticketsKept().orElse(1) : 0;
    } finally {
      // A new-tunnel-per-request proxy's warm-up only checks the way: nothing to keep.
      manager.release(l, fresh ? PoolAction.DISCARD_CONNECTION : PoolAction.KEEP, true);
    }
  }

  /** A snapshot of the pool's connections and counters. */
  public PoolStats stats() {
    Map<ConnectionState, Integer> byState = new EnumMap<>(ConnectionState.class);
    List<PoolStats.IpStats> ips = new ArrayList<>();
    for (var b : manager.books()) {
      b.states().forEach((s, n) -> byState.merge(s, n, Integer::sum));
      ips.add(
          new PoolStats.IpStats(
              b.host().toString(), b.ip(), b.states(), b.opened(), b.closed(), b.failedOpens()));
    }
    var now = config.clock().instant();
    List<PoolStats.ActiveBan> bans =
        access.bans(now).stream()
            .map(
                b ->
                    new PoolStats.ActiveBan(
                        new HostKey(b.key().host(), b.key().port()).toString(),
                        b.key().isProxyExit() ? Route.UNRESOLVED : b.key().ip(),
                        b.until(),
                        b.reason()))
            .toList();
    return new PoolStats(
        byState,
        ips,
        counters.handshakesCount(),
        counters.failedHandshakesCount(),
        counters.requestsCount(),
        counters.reusedRequestsCount(),
        counters.retriesCount(),
        counters.retriedRequestsSucceededCount(),
        counters.retriedRequestsCount(),
        counters.failuresByKind(),
        counters.bansCount(),
        bans);
  }

  // Plumbing for ConnectionLease and GuiseClient.

  PoolCounters counters() {
    return counters;
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

  void applyIpAction(Route route, ClassifiedFailure f) {
    manager.applyIpAction(route, f);
  }

  void succeeded(Route route) {
    access.succeeded(route);
  }

  /** The host's timeouts: adaptive, or as configured. */
  HostTimeouts hostTimeouts() {
    return hostTimeouts;
  }

  void release(Loan lease, PoolAction action, boolean success) {
    manager.release(lease, action, success);
  }

  /**
   * Passes a shared store's outage and its return to the pool's events (log, the user's listener):
   * once per outage, even from a store that tells of it more than once.
   */
  private static final class StoreReports implements FleetStore.Listener {
    private final String store;
    private final PoolCounters counters;
    private final AtomicBoolean failing = new AtomicBoolean();

    StoreReports(String store, PoolCounters counters) {
      this.store = store;
      this.counters = counters;
    }

    @Override
    public void storeFailed(String message, Throwable cause) {
      if (failing.compareAndSet(false, true)) {
        counters.storeFailed(store, message);
      }
    }

    @Override
    public void storeRecovered() {
      if (failing.compareAndSet(true, false)) {
        counters.storeRecovered(store);
      }
    }
  }

  /**
   * Whether every thread the pool started has ended (after {@link #close()}). The workers are
   * virtual threads, which thread listings do not show, so tests ask the executors.
   */
  boolean isTerminated() {
    return workers.isTerminated() && (healthChecker == null || healthChecker.isTerminated());
  }

  /** Closes every connection, stops the health checker and the worker threads. Idempotent. */
  @Override
  public void close() {
    if (healthChecker != null) {
      healthChecker.shutdownNow();
    }
    manager.close();
    access.detach();
    store.removeListener(storeReports);
    if (ownsStore) {
      store.close();
    }
    workers.shutdownNow();
    try {
      if (healthChecker != null) {
        healthChecker.awaitTermination(5, TimeUnit.SECONDS);
      }
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
