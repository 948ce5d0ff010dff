package dev.guise.pool.internal;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.codec.io.DeadlineWait;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.internal.proxy.ProxyHealth;
import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.stats.HealthReport;
import dev.guise.pool.stats.PoolEventListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The pool side of the pool/entry seam: finds a host's routes, picks one for a request, leases from
 * it or has the {@link Connector} open a connection on it, waits for capacity, bans, and closes.
 * The books of each route's connections are its {@link RoutePool}'s alone; IPs are picked by the
 * host's {@link RouteRotation}; health checks are the {@link HealthChecker}'s.
 *
 * <p>The hot path of an HTTP/1.1 request (pinned, or at the route the rotation offers unlocked)
 * takes an idle connection from the route's idle stack (without the host lock) and puts it back
 * there when done; everything else happens under the host lock. With 64 threads leasing from one
 * host, the single lock was the limit: every release woke the next waiter for it. The locks, the
 * idle stacks and who owns a connection when: {@code docs/concurrency.md}, "The pool".
 *
 * <p>IP choice for a request that names none: the rotation orders the host's routes; banned ones
 * are skipped. The first that can serve the request, over a connection with room or a new one
 * within the limits, does; when none can, the caller waits.
 *
 * <p>Proxies: a host has one {@link HostRoutes} per proxy it is reached through (a lane), each with
 * a route per known IP, its own lock, rotation and limits (each exit is a client of its own to the
 * site). The host's IPs are kept once ({@link #addIps}) and every lane has a route for each. A lane
 * through a proxy that resolves names, for a host with no known IP, has one route without IP: the
 * proxy is asked for the name and Guise resolves nothing.
 *
 * <p>Identities: an identity (a session's) has lanes of its own for each host and proxy, apart from
 * the shared ones, so its connections are never another's ({@link Route}). They are made on its
 * first lease and dropped, their connections closed, by {@link #closeIdentity}.
 *
 * <p>Quiet hosts: a lane without connections for an idle timeout, shared or an identity's, is
 * forgotten by the health check's sweep ({@link #forgetQuietLanes}); a host left with no lane loses
 * the IPs the pool looked up for it.
 */
public final class ConnectionManager implements AutoCloseable {
  private final PoolConfig config;
  private final IpAccessController access;
  private final Clock clock;
  private final RouteLimits limits;
  private final Supplier<RouteRotation> rotations;
  private final PoolEventListener events;
  private final Connector connector;
  private final HealthChecker healthChecker;
  private final HostTimeouts hostTimeouts;
  private final Map<HostKey, HostRoutes> hosts = new ConcurrentHashMap<>();

  /** The lanes through proxies, keyed by {@link Route#exit}. */
  private final Map<Route, HostRoutes> proxied = new ConcurrentHashMap<>();

  /** The lanes of identities, direct and through proxies. */
  private final Map<LaneKey, HostRoutes> isolated = new ConcurrentHashMap<>();

  /** What an identity's lane is kept under. */
  private record LaneKey(HostKey host, Proxy proxy, String identity) {}

  /**
   * Each identity's keys in {@link #isolated}: closing one identity (every session's close) looks
   * up its own lanes rather than scanning every identity's. A key is added inside the lane's
   * creation in {@link #isolated} and the set is taken whole by {@link #closeIdentity}, both as
   * atomic operations of this map, so no lane is made into a set already taken and lost.
   */
  private final Map<String, Set<LaneKey>> identityLanes = new ConcurrentHashMap<>();

  /** Each host's IPs; every lane of the host has a route for each. */
  private final Map<HostKey, KnownIps> knownIps = new ConcurrentHashMap<>();

  /**
   * A host's IPs in the order first given, and whether any came from the user ({@link #addIps})
   * rather than from the pool's own lookup. Changed only inside {@link #knownIps}' computations for
   * the host, so forgetting looked-up IPs cannot race the user giving some.
   */
  private static final class KnownIps {
    final CopyOnWriteArrayList<InetAddress> ips = new CopyOnWriteArrayList<>();
    boolean given;
  }

  /** How long a shared lane stays without connections before it is forgotten: the idle timeout. */
  private final long quietMillis;

  private final long acquireTimeoutNanos;
  private volatile boolean closed;

  /** A manager whose hosts rotate their routes as {@link PoolConfig#ipRotation()} says. */
  public ConnectionManager(
      PoolConfig config,
      ConnectionFactory factory,
      IpAccessController access,
      PoolEventListener events,
      FingerprintSelector selector,
      Executor validationExecutor) {
    this(config, factory, access, events, selector, validationExecutor, (ProxyHealth) null);
  }

  /**
   * @param proxyHealth where connections through proxies are counted, or null without proxies
   */
  public ConnectionManager(
      PoolConfig config,
      ConnectionFactory factory,
      IpAccessController access,
      PoolEventListener events,
      FingerprintSelector selector,
      Executor validationExecutor,
      ProxyHealth proxyHealth) {
    this(
        config,
        factory,
        access,
        events,
        selector,
        validationExecutor,
        proxyHealth,
        HostTimeouts.fixed(config.timeouts()));
  }

  /**
   * @param proxyHealth where connections through proxies are counted, or null without proxies
   * @param hostTimeouts each host's connect timeout (adaptive or as configured)
   */
  public ConnectionManager(
      PoolConfig config,
      ConnectionFactory factory,
      IpAccessController access,
      PoolEventListener events,
      FingerprintSelector selector,
      Executor validationExecutor,
      ProxyHealth proxyHealth,
      HostTimeouts hostTimeouts) {
    this(
        config,
        factory,
        access,
        events,
        selector,
        validationExecutor,
        RouteRotation.of(config.ipRotation()),
        proxyHealth,
        hostTimeouts);
  }

  ConnectionManager(
      PoolConfig config,
      ConnectionFactory factory,
      IpAccessController access,
      PoolEventListener events,
      FingerprintSelector selector,
      Executor validationExecutor,
      Supplier<RouteRotation> rotations) {
    this(
        config,
        factory,
        access,
        events,
        selector,
        validationExecutor,
        rotations,
        null,
        HostTimeouts.fixed(config.timeouts()));
  }

  ConnectionManager(
      PoolConfig config,
      ConnectionFactory factory,
      IpAccessController access,
      PoolEventListener events,
      FingerprintSelector selector,
      Executor validationExecutor,
      Supplier<RouteRotation> rotations,
      ProxyHealth proxyHealth,
      HostTimeouts hostTimeouts) {
    this.config = config;
    this.access = access;
    this.clock = config.clock();
    this.limits = RouteLimits.of(config);
    this.rotations = rotations;
    this.events = events;
    this.connector =
        new Connector(
            config, factory, selector, events, this::applyIpAction, proxyHealth, hostTimeouts);
    this.healthChecker = new HealthChecker(config, connector, validationExecutor);
    this.hostTimeouts = hostTimeouts;
    this.acquireTimeoutNanos = config.timeouts().acquire().toNanos();
    this.quietMillis = config.timeouts().idle().toMillis();
  }

  HostRoutes host(HostKey key) {
    return lane(key, null);
  }

  /**
   * The host's routes through {@code proxy} (null: direct) for {@code identity} (null: the shared
   * ones), created with a route per known IP.
   */
  HostRoutes lane(HostKey key, Proxy proxy, String identity) {
    if (identity == null) {
      return lane(key, proxy);
    }
    LaneKey k = new LaneKey(key, proxy, identity);
    HostRoutes h = isolated.get(k);
    if (h != null) {
      return h;
    }
    return withMissedIps(isolated.computeIfAbsent(k, this::newIdentityLane));
  }

  /** A new lane of an identity, indexed under it. Runs inside {@link #isolated}'s computation. */
  private HostRoutes newIdentityLane(LaneKey k) {
    HostRoutes lane = newLane(k.host(), k.proxy(), k.identity());
    // compute, not computeIfAbsent(...).add: atomic against closeIdentity's remove of the set.
    identityLanes.compute(
        k.identity(),
        (id, keys) -> {
          Set<LaneKey> set = keys != null ? keys : ConcurrentHashMap.newKeySet();
          set.add(k);
          return set;
        });
    return lane;
  }

  /** The host's routes through {@code proxy} (null: direct), created with a route per known IP. */
  HostRoutes lane(HostKey key, Proxy proxy) {
    // get() first: computeIfAbsent on a present key still costs more than a plain read, and this
    // runs on every lease (it was the top frame in PoolAcquire's JFR profile at 64 threads).
    if (proxy == null) {
      HostRoutes h = hosts.get(key);
      return h != null ? h : hosts.computeIfAbsent(key, k -> newLane(k, null, null));
    }
    Route exit = Route.exit(key, proxy);
    HostRoutes h = proxied.get(exit);
    if (h != null) {
      return h;
    }
    return withMissedIps(proxied.computeIfAbsent(exit, k -> newLane(key, proxy, null)));
  }

  /**
   * {@code h}, just made or found on the slow path, with a route for each IP that an addIps between
   * newLane's copy of the IPs and the lane's entry in its map missed. Once per lane and caller.
   */
  private HostRoutes withMissedIps(HostRoutes h) {
    List<InetAddress> known = known(h.key);
    if (h.routes.size() < known.size()) {
      h.lock.lock();
      try {
        for (InetAddress ip : known) {
          h.route(h.routeTo(ip));
        }
      } finally {
        h.lock.unlock();
      }
    }
    return h;
  }

  private HostRoutes newLane(HostKey key, Proxy proxy, String identity) {
    HostRoutes h =
        new HostRoutes(key, proxy, identity, limits, rotations.get(), events, this::isClosed);
    // No other thread sees the lane yet: no lock needed to give it the host's IPs.
    for (InetAddress ip : known(key)) {
      h.route(h.routeTo(ip));
    }
    return h;
  }

  /** The host's known IPs as they are now (a live list: it only grows while the host is known). */
  private List<InetAddress> known(HostKey key) {
    KnownIps k = knownIps.get(key);
    return k == null ? List.of() : k.ips;
  }

  /**
   * Closes every connection of {@code identity} (leased ones when given back) and drops its lanes;
   * a later lease of the identity starts over with new lanes. A lease that still holds a dropped
   * lane finds it closed ({@link HostRoutes#retired}) and fails with {@code CANCELLED}, so no
   * connection is ever left on a lane nobody closes.
   */
  public void closeIdentity(String identity) {
    Set<LaneKey> keys = identityLanes.remove(identity);
    if (keys == null) {
      return;
    }
    List<HostRoutes> gone = new ArrayList<>(keys.size());
    for (LaneKey k : keys) {
      // A lane still being made under this key is waited for here, then retired and removed.
      // Retired before it leaves the map: a lease holding a lane with no route yet adds the IPs it
      // looked up to the lanes in the map, so a lane gone from it must already say why, or the
      // lease would find no IP and report the host blocked.
      isolated.computeIfPresent(
          k,
          (key, h) -> {
            retire(h);
            gone.add(h);
            return null;
          });
    }
    for (HostRoutes h : gone) {
      for (RoutePool route : h.routes) {
        route.closeAll("identity closed");
      }
    }
  }

  private static void retire(HostRoutes h) {
    h.lock.lock();
    try {
      h.retired = true; // under the lock: decide() sees it before it reserves an opening
      h.changed.signalAll(); // waiters see the lane closed and give up
    } finally {
      h.lock.unlock();
    }
  }

  /**
   * Adds IPs the user gives to a host's list (kept in the order first given), and a route to every
   * lane. The pool keeps them for its life, also while the host is quiet.
   */
  public void addIps(HostKey key, Collection<InetAddress> ips) {
    addIps(key, ips, true);
  }

  /**
   * @param given whether the user gave them; IPs the pool looked up itself are forgotten with the
   *     host's lanes ({@link #forgetQuietLanes})
   */
  private void addIps(HostKey key, Collection<InetAddress> ips, boolean given) {
    knownIps.compute(
        key,
        (k, known) -> {
          KnownIps kn = known != null ? known : new KnownIps();
          kn.given |= given;
          kn.ips.addAllAbsent(ips);
          return kn;
        });
    List<HostRoutes> lanes = new ArrayList<>();
    HostRoutes direct = hosts.get(key);
    if (direct != null || config.proxies().isEmpty()) { // through proxies, no direct lane
      lanes.add(host(key));
    }
    proxied.values().stream().filter(h -> h.key.equals(key)).forEach(lanes::add);
    isolated.values().stream().filter(h -> h.key.equals(key)).forEach(lanes::add);
    for (HostRoutes h : lanes) {
      h.lock.lock();
      try {
        for (InetAddress ip : ips) {
          h.route(h.routeTo(ip));
        }
        h.changed.signalAll();
      } finally {
        h.lock.unlock();
      }
    }
  }

  /** The host's known IPs. */
  public List<InetAddress> ips(HostKey key) {
    return List.copyOf(known(key));
  }

  /**
   * Leases a connection to {@code key}: on {@code pinned} when given, else on an IP the pool
   * chooses. Reuses a connection with room (validating it first when it has idled longer than
   * {@code revalidateAfterIdle}), opens one within the limits, or waits for one until the acquire
   * timeout or {@code deadlineNanos}, whichever is first.
   *
   * @param avoidConnection a connection id not to lease (the one a retry's failure came from), or
   *     -1
   * @throws ClassifiedIOException POOL_EXHAUSTED when no connection came in time, IP_BLOCKED when
   *     the pinned IP (or every IP) is banned, or the failure of opening a connection
   */
  public Loan acquire(HostKey key, InetAddress pinned, long avoidConnection, long deadlineNanos)
      throws IOException {
    return acquire(key, pinned, null, false, avoidConnection, deadlineNanos);
  }

  /**
   * Leases a connection to {@code key} through {@code proxy} (null: directly), as {@link
   * #acquire(HostKey, InetAddress, long, long)} does.
   *
   * @param fresh open a new connection and lease no existing one (a proxy with a new tunnel per
   *     request)
   */
  public Loan acquire(
      HostKey key,
      InetAddress pinned,
      Proxy proxy,
      boolean fresh,
      long avoidConnection,
      long deadlineNanos)
      throws IOException {
    return acquire(key, pinned, proxy, null, fresh, avoidConnection, deadlineNanos);
  }

  /**
   * Leases a connection to {@code key} through {@code proxy} for {@code identity} (null: the pool's
   * shared connections), as {@link #acquire(HostKey, InetAddress, Proxy, boolean, long, long)}
   * does: an identity only ever gets connections of its own lanes.
   */
  public Loan acquire(
      HostKey key,
      InetAddress pinned,
      Proxy proxy,
      String identity,
      boolean fresh,
      long avoidConnection,
      long deadlineNanos)
      throws IOException {
    while (true) {
      HostRoutes lane = lane(key, proxy, identity);
      if (avoidConnection < 0 && !fresh) {
        Loan idle = leaseIdle(lane, pinned);
        if (idle != null) {
          return idle;
        }
      }
      if (pinned == null && lane.routes.isEmpty()) {
        if (proxy != null && proxy.kind().resolvesNames() && ips(key).isEmpty()) {
          // The proxy resolves: one route without IP, and no lookup here (fail closed on DNS too).
          lane.lock.lock();
          try {
            lane.route(lane.routeTo(null));
          } finally {
            lane.lock.unlock();
          }
        } else {
          addIps(key, resolve(key), false);
        }
      }
      Decision d = decide(lane, pinned, fresh, avoidConnection, deadlineNanos);
      if (d == Decision.FORGOTTEN) {
        // Forgotten for being quiet before we locked it. The sweep takes it out of its map after
        // letting go of the lock; doing so here too keeps this loop from finding it again.
        unmap(lane);
        continue;
      }
      if (d.loan != null) {
        if (d.loan.needsValidation() && !validateLeased(d.loan)) {
          continue; // it failed validation and was closed; look again
        }
        return d.loan;
      }
      return open(d.openOn, deadlineNanos);
    }
  }

  /**
   * The unlocked lease: an idle HTTP/1.1 connection of {@code pinned}'s route, or of the route the
   * rotation offers when none is pinned (which then hears it served, as under the lock). Returns
   * null when the locked path must decide: nothing idle there, an unknown host or route, no
   * unlocked choice, a ban (the locked path reports it or moves on), a closed pool.
   */
  private Loan leaseIdle(HostRoutes h, InetAddress pinned) {
    RoutePool route;
    int at = -1;
    if (pinned != null) {
      route = h.find(h.routeTo(pinned));
    } else {
      List<RoutePool> routes = h.routes;
      at = h.rotation.firstChoice(routes);
      route = at < 0 ? null : routes.get(at);
    }
    if (route == null) {
      return null;
    }
    while (!closed) {
      long now = clock.millis();
      if (!access.isAllowed(route.route(), now)) {
        return null;
      }
      Loan loan = route.leaseIdle(now);
      if (loan == null) {
        return null;
      }
      if (at >= 0) {
        h.rotation.served(at, h.routes.size());
      }
      if (loan.needsValidation() && !validateLeased(loan)) {
        continue; // it failed validation and was closed; look again
      }
      return loan;
    }
    return null;
  }

  /**
   * A lease found under the lock, or the route to open a connection on (reserved), or {@link
   * #FORGOTTEN}.
   */
  private record Decision(Loan loan, RoutePool openOn) {
    /** The lane was forgotten (quiet): look it up again. */
    static final Decision FORGOTTEN = new Decision(null, null);
  }

  private Decision decide(
      HostRoutes h, InetAddress pinned, boolean fresh, long avoid, long deadlineNanos)
      throws IOException {
    HostKey key = h.key;
    // Made at the first wait: a lease that needs none reads no clock.
    DeadlineWait wait = null;
    boolean waiting = false;
    List<PooledConnection> stale = new ArrayList<>(0);
    h.lock.lock();
    try {
      while (true) {
        if (closed || h.retired) {
          throw new ClassifiedIOException(
              FailureKind.CANCELLED,
              false,
              PoolAction.KEEP,
              closed ? "the pool is closed" : "the identity's connections were closed",
              null);
        }
        if (h.forgotten) {
          return Decision.FORGOTTEN; // no waiter is ever in a forgotten lane: not counted
        }
        long now = clock.millis();
        List<RoutePool> routes = h.routes;
        int[] order;
        if (pinned != null) {
          routes = List.of(allowedPinned(h, pinned, now));
          order = new int[] {0};
        } else {
          order = new int[routes.size()];
          h.rotation.order(routes, order);
        }
        boolean anyAllowed = pinned != null;
        for (int index : order) {
          RoutePool route = routes.get(index);
          if (pinned == null && !access.isAllowed(route.route(), now)) {
            continue;
          }
          anyAllowed = true;
          Loan loan = fresh ? null : route.leaseLocked(avoid, now, stale);
          if (loan != null) {
            served(h, pinned, index, routes.size());
            return new Decision(loan, null);
          }
          if (route.reserveOpening()) {
            served(h, pinned, index, routes.size());
            return new Decision(null, route);
          }
        }
        if (!anyAllowed) {
          throw new ClassifiedIOException(
              FailureKind.IP_BLOCKED,
              false,
              PoolAction.KEEP,
              "every known IP of "
                  + h.key
                  + (h.proxy == null ? "" : " via " + h.proxy)
                  + " is banned or denied ("
                  + routes.size()
                  + " IPs)",
              null);
        }
        // Wait for capacity. A unlocked release pushes a connection and then signals only if it
        // sees a waiter; so a waiter first counts itself and then looks once more, and one of the
        // two always sees the other.
        if (!waiting) {
          waiting = true;
          h.waiters++;
          continue;
        }
        if (wait == null) {
          long until = Math.min(deadlineNanos, System.nanoTime() + acquireTimeoutNanos);
          wait = new DeadlineWait(h.lock, h.changed, until);
        }
        if (wait.expired()) {
          throw new ClassifiedIOException(
              FailureKind.POOL_EXHAUSTED,
              true,
              PoolAction.KEEP,
              "no connection to "
                  + key
                  + (pinned == null ? "" : " at " + pinned.getHostAddress())
                  + " within "
                  + config.timeouts().acquire().toMillis()
                  + " ms (limits: "
                  + limits.perRoute()
                  + " per IP, "
                  + limits.perHost()
                  + " per host)",
              null);
        }
        try {
          wait.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ClassifiedIOException(
              FailureKind.CANCELLED,
              false,
              PoolAction.KEEP,
              "interrupted while waiting for a connection to " + key,
              e);
        }
      }
    } finally {
      if (wait != null) {
        wait.close();
      }
      if (waiting) {
        h.waiters--;
      }
      h.lock.unlock();
      // Connections found unusable on the idle stack were taken off the books above; close them
      // outside the lock (closing may write a close_notify).
      h.close(stale, "retired or no longer usable");
    }
  }

  /** Tells the rotation which route served; pinned requests leave it alone. Lock held. */
  private static void served(HostRoutes h, InetAddress pinned, int index, int size) {
    if (pinned == null) {
      h.rotation.served(index, size);
    }
  }

  /** The route to {@code pinned}, known to the host from now on, unless it is banned. Lock held. */
  private RoutePool allowedPinned(HostRoutes h, InetAddress pinned, long now)
      throws ClassifiedIOException {
    Route route = h.routeTo(pinned);
    if (!access.isAllowed(route, now)) {
      throw new ClassifiedIOException(
          FailureKind.IP_BLOCKED,
          false,
          PoolAction.KEEP,
          pinned.getHostAddress()
              + " is banned or denied for "
              + h.key
              + (h.proxy == null ? "" : " via " + h.proxy),
          null);
    }
    return h.route(route);
  }

  private List<InetAddress> resolve(HostKey key) throws ClassifiedIOException {
    try {
      List<InetAddress> ips = config.resolver().resolve(key.host());
      if (ips.isEmpty()) {
        throw new UnknownHostException(key.host() + " has no addresses");
      }
      return ips;
    } catch (UnknownHostException e) {
      throw new ClassifiedIOException(
          FailureKind.UNKNOWN_HOST,
          false,
          PoolAction.KEEP,
          "cannot resolve " + key.host() + ": " + e.getMessage(),
          e);
    }
  }

  /** Opens a connection on {@code route}, which reserved it, and validates it when configured. */
  private Loan open(RoutePool route, long deadlineNanos) throws IOException {
    Loan loan = connector.open(route, deadlineNanos);
    if (loan.needsValidation() && !validateLeased(loan)) {
      throw new ClassifiedIOException(
          FailureKind.TLS_HANDSHAKE,
          true,
          PoolAction.DISCARD_CONNECTION,
          "new connection to " + loan.endpoint() + " failed validation",
          null);
    }
    return loan;
  }

  /** Validates a leased connection; on failure closes it (releasing the lease). */
  private boolean validateLeased(Loan loan) {
    if (connector.validate(loan.connection).healthy()) {
      return true;
    }
    release(loan, PoolAction.DISCARD_CONNECTION, false);
    return false;
  }

  /** Applies a failure's IP action (strike or ban); a new ban retires the route's connections. */
  public void applyIpAction(Route route, ClassifiedFailure f) {
    String reason =
        route.proxy() == null ? f.message() : "via " + route.proxy() + ": " + f.message();
    IpAccessController.NewBan ban = access.apply(route, f.action(), reason, clock.instant());
    if (ban != null) {
      events.ipBanned(ban.host().host(), ban.ip(), ban.until(), ban.reason());
      if (ban.route().ip() == null) { // a proxy's exit for the host: every route through it
        for (HostRoutes h : lanes()) { // the shared lane and every identity's through the exit
          if (h.key.equals(route.host()) && ban.route().proxy().equals(h.proxy)) {
            for (RoutePool pool : h.routes) {
              pool.retire("proxy exit banned for the host: " + f.message());
            }
          }
        }
        return;
      }
      for (HostRoutes h : lanes()) {
        if (h.key.equals(route.host())) {
          RoutePool pool = h.find(h.routeTo(ban.route().ip()));
          if (pool != null) {
            pool.retire("IP banned: " + f.message());
          }
        }
      }
    }
  }

  /**
   * Retires the connections of every route the access controller now forbids (a ban heard from the
   * fleet, a new deny entry, an allow list that leaves the route out): idle ones close now, leased
   * ones when given back. New leases already skip those routes.
   */
  public void retireForbidden() {
    long now = clock.millis();
    for (HostRoutes h : lanes()) {
      for (RoutePool pool : h.routes) {
        if (!access.isAllowed(pool.route(), now)) {
          pool.retire("IP banned or denied");
        }
      }
    }
  }

  /**
   * Returns a lease. {@code action} decides the connection's fate: KEEP returns it to the pool
   * (unless it became unusable), anything harsher closes it once its last lease is back.
   *
   * @param success whether the exchange succeeded (a failure counts towards the error threshold)
   */
  public void release(Loan loan, PoolAction action, boolean success) {
    loan.connection.pool.release(loan, action, success, clock.millis());
  }

  /**
   * One health-check pass at the clock's current time ({@link HealthChecker}), then a sweep of
   * quiet lanes ({@link #forgetQuietLanes}).
   */
  public HealthReport checkHealth() {
    HealthReport report = healthChecker.check(lanes());
    forgetQuietLanes(clock.millis());
    return report;
  }

  /**
   * Forgets the lanes, shared and identities', direct and through proxies, that have had no
   * connection for an idle timeout, as seen by this sweep and an earlier one with no connection
   * opened between them; then the IPs the pool looked up for hosts left without any lane, the error
   * rates that have faded ({@link HostTimeouts#forgetFaded}) and the bans and strikes that have
   * ended ({@link IpAccessController#forgetEnded}). A pool fed ever new hosts would otherwise keep
   * a lane, a route per IP and the IPs of each for its life. A host's next lease makes a new lane
   * (and looks its IPs up again when the user gave none); bans, tickets and counters are kept
   * elsewhere and stay. An identity that comes back to a forgotten host gets a new lane of its own,
   * as after {@link #closeIdentity}, but its connections elsewhere and its index entry for other
   * hosts stay.
   *
   * <p>A lease holding a lane that is forgotten before the lease locks it sees {@link
   * HostRoutes#forgotten} under the lock and looks the lane up again; the lane had no connection,
   * so none is lost with it, and a lane with an opening or a waiter is never forgotten.
   */
  void forgetQuietLanes(long nowMillis) {
    forgetQuiet(hosts.values(), nowMillis);
    forgetQuiet(proxied.values(), nowMillis);
    forgetQuiet(isolated.values(), nowMillis);
    Set<HostKey> withLanes = new HashSet<>(hosts.keySet());
    proxied.values().forEach(h -> withLanes.add(h.key));
    isolated.values().forEach(h -> withLanes.add(h.key));
    for (HostKey key : knownIps.keySet()) {
      if (!withLanes.contains(key)) {
        // A lane made from these IPs since withLanes was taken keeps its routes; the host is then
        // looked up again by a later lane that finds none.
        knownIps.computeIfPresent(key, (k, known) -> known.given ? known : null);
      }
    }
    hostTimeouts.forgetFaded();
    access.forgetEnded(nowMillis);
  }

  private void forgetQuiet(Collection<HostRoutes> lanes, long nowMillis) {
    for (HostRoutes h : lanes) {
      if (h.forgetIfQuiet(nowMillis, quietMillis)) {
        unmap(h);
      }
    }
  }

  /** Takes a forgotten lane out of its map, unless a newer lane has taken its place. */
  private void unmap(HostRoutes h) {
    if (h.identity != null) {
      unmapIdentityLane(h);
    } else if (h.proxy == null) {
      hosts.remove(h.key, h);
    } else {
      proxied.remove(Route.exit(h.key, h.proxy), h);
    }
  }

  /**
   * Takes a forgotten identity lane out of {@link #isolated} and its key out of the identity's
   * index, both inside the computation on the lane's key. The race is a new lane made under the
   * same key between the two removals: it indexes its key inside that same computation (see {@link
   * #newIdentityLane}), so doing both here, or neither when a newer lane is mapped, never leaves a
   * mapped lane out of the index, where {@link #closeIdentity} would not find it. An identity left
   * with no lane leaves the index too.
   */
  private void unmapIdentityLane(HostRoutes h) {
    isolated.computeIfPresent(
        new LaneKey(h.key, h.proxy, h.identity),
        (k, current) -> {
          if (current != h) {
            return current;
          }
          identityLanes.computeIfPresent(
              k.identity(),
              (id, keys) -> {
                keys.remove(k);
                return keys.isEmpty() ? null : keys;
              });
          return null;
        });
  }

  /** The lanes kept now, shared and identities' (tests: quiet ones are forgotten). */
  int laneCount() {
    return hosts.size() + proxied.size() + isolated.size();
  }

  /** The identities' lanes kept now (tests: a lane left out of the index would stay). */
  int identityLaneCount() {
    return isolated.size();
  }

  /** The identities with lanes indexed (tests: closing an identity leaves nothing behind). */
  int indexedIdentities() {
    return identityLanes.size();
  }

  /** Every lane, direct ones first. */
  private List<HostRoutes> lanes() {
    List<HostRoutes> all = new ArrayList<>(hosts.size() + proxied.size() + isolated.size());
    all.addAll(hosts.values());
    all.addAll(proxied.values());
    all.addAll(isolated.values());
    return all;
  }

  /**
   * A snapshot of each route's books, in the order the routes were added: each route's counts and
   * the connections in its books are consistent; a state may lag by one unlocked lease or release
   * of an HTTP/1.1 connection in flight.
   */
  public List<RouteBooks> books() {
    List<RouteBooks> out = new ArrayList<>();
    for (HostRoutes h : lanes()) {
      for (RoutePool route : h.routes) {
        out.add(route.books());
      }
    }
    return out;
  }

  /** Closes every connection (in use ones too: their exchanges fail) and refuses new leases. */
  @Override
  public void close() {
    // The flag first: a unlocked release reads it after its push (see RoutePool#releaseIdle).
    closed = true;
    for (HostRoutes h : lanes()) {
      for (RoutePool route : h.routes) {
        route.closeAll("pool closed");
      }
      h.lock.lock();
      try {
        h.changed.signalAll(); // waiters see the flag and give up
      } finally {
        h.lock.unlock();
      }
    }
  }

  boolean isClosed() {
    return closed;
  }
}
