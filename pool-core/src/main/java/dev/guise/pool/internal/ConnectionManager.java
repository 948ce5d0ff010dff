package dev.guise.pool.internal;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.HttpProtocol;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.ValidationResult;
import dev.guise.api.spi.ConnectionValidator;
import dev.guise.api.spi.FailureClassifier;
import dev.guise.pool.stats.ConnectionState;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.stats.PoolEventListener;
import dev.guise.pool.internal.HostEntry.IpSlot;
import dev.guise.pool.internal.http.HttpConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds the connections per (host, IP) and the host-to-IPs mapping, and moves connections through
 * their {@link ConnectionState}s.
 *
 * <p>Guarantees: an HTTP/1.1 connection is never leased twice at once; a closed connection is never
 * leased; every connection opened is in exactly one IP's list until it is closed, and then counted
 * as closed (the books balance: opened = closed + open, per IP). I/O (connecting, validating,
 * closing) always happens outside the lock.
 *
 * <p>Most transitions happen under the host's lock. The exception is the hot path of an HTTP/1.1
 * request (pinned, or at the IP whose round-robin turn it is), which takes an idle connection from
 * that IP's lock-free idle stack and puts it back there when done (see {@link HostEntry.IpSlot#idle} for the ownership rule that keeps the
 * guarantees without the lock). With 64 threads leasing from one host, the single lock was the
 * limit: every release woke the next waiter for it.
 *
 * <p>IP choice for a request that names none: round robin over the host's allowed (not banned)
 * IPs. The IP whose turn it is serves the request over a connection with room, or a new one within
 * the limits; when it can do neither, the next IP is asked; when none can, the caller waits.
 */
public final class ConnectionManager implements AutoCloseable {
  private final PoolConfig config;
  private final ConnectionFactory factory;
  private final IpAccessController access;
  private final PoolEventListener events;
  private final Clock clock;
  private final FingerprintSelector selector;
  private final Executor validationExecutor;
  private final Map<HostKey, HostEntry> hosts = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile boolean closed;
  private final long revalidateAfterIdleMillis;
  private final long maxLifetimeMillis;
  private final long idleTimeoutMillis;
  private final long healthCheckIntervalMillis;
  private final long acquireTimeoutNanos;

  public ConnectionManager(PoolConfig config, ConnectionFactory factory, IpAccessController access,
      PoolEventListener events, FingerprintSelector selector, Executor validationExecutor) {
    this.config = config;
    this.factory = factory;
    this.access = access;
    this.events = events;
    this.clock = config.clock();
    this.selector = selector;
    this.validationExecutor = validationExecutor;
    this.revalidateAfterIdleMillis = config.healthChecks().revalidateAfterIdle().toMillis();
    this.maxLifetimeMillis = config.timeouts().maxLifetime().toMillis();
    this.idleTimeoutMillis = config.timeouts().idle().toMillis();
    this.healthCheckIntervalMillis = config.healthChecks().interval().toMillis();
    this.acquireTimeoutNanos = config.timeouts().acquire().toNanos();
  }

  /** A lease on a connection, returned by {@link #acquire}; give it back with {@link #release}. */
  public static final class Lease {
    final PooledConnection connection;
    final boolean reused;
    private boolean released;

    Lease(PooledConnection connection, boolean reused) {
      this.connection = connection;
      this.reused = reused;
    }

    public HttpConnection http() {
      return connection.http;
    }

    public TlsEndpoint endpoint() {
      return connection.endpoint;
    }

    public String profile() {
      return connection.profile;
    }

    public long connectionId() {
      return connection.id;
    }

    /** Whether the connection had carried an exchange or validation before this lease. */
    public boolean reused() {
      return reused;
    }
  }

  HostEntry host(HostKey key) {
    // get() first: computeIfAbsent on a present key still costs more than a plain read, and this
    // runs on every lease (it was the top frame in PoolAcquire's JFR profile at 64 threads).
    HostEntry h = hosts.get(key);
    return h != null ? h : hosts.computeIfAbsent(key, HostEntry::new);
  }

  /** Adds IPs to a host's list (kept in the order first given). */
  public void addIps(HostKey key, Collection<InetAddress> ips) {
    HostEntry h = host(key);
    h.lock.lock();
    try {
      for (InetAddress ip : ips) {
        h.slot(ip);
      }
      h.changed.signalAll();
    } finally {
      h.lock.unlock();
    }
  }

  /** The host's known IPs. */
  public List<InetAddress> ips(HostKey key) {
    HostEntry h = hosts.get(key);
    if (h == null) {
      return List.of();
    }
    h.lock.lock();
    try {
      return List.copyOf(h.order);
    } finally {
      h.lock.unlock();
    }
  }

  /**
   * Leases a connection to {@code key}: on {@code pinned} when given, else on an IP the pool
   * chooses. Reuses a connection with room (validating it first when it has idled longer than
   * {@code revalidateAfterIdle}), opens one within the limits, or waits for one until the acquire
   * timeout or {@code deadlineNanos}, whichever is first.
   *
   * @param avoidConnection a connection id not to lease (the one a retry's failure came from), or -1
   * @throws ClassifiedIOException POOL_EXHAUSTED when no connection came in time, IP_BLOCKED when
   *     the pinned IP (or every IP) is banned, or the failure of opening a connection
   */
  public Lease acquire(HostKey key, InetAddress pinned, long avoidConnection, long deadlineNanos)
      throws IOException {
    if (avoidConnection < 0) {
      Lease idle = leaseIdleHttp1(key, pinned);
      if (idle != null) {
        return idle;
      }
    }
    if (pinned == null && ips(key).isEmpty()) {
      addIps(key, resolve(key));
    }
    while (true) {
      Decision d = decide(key, pinned, avoidConnection, deadlineNanos);
      if (d.lease != null) {
        if (d.validate && !validateLeased(d.lease)) {
          continue; // it failed validation and was closed; look again
        }
        return d.lease;
      }
      return open(key, d.openOn, deadlineNanos);
    }
  }

  /**
   * The lock-free lease: pops the most recently idled HTTP/1.1 connection of {@code pinned}, or of
   * the IP at the round-robin cursor when none is pinned (and then moves the cursor on, as the
   * locked path would have). Popping it makes the caller its only owner, so its fields are written
   * without the lock. Returns null when the locked path must decide: nothing idle at that IP, an
   * unknown host or IP, a ban (the locked path reports it or moves on), a closed pool.
   */
  private Lease leaseIdleHttp1(HostKey key, InetAddress pinned) throws IOException {
    HostEntry h = hosts.get(key);
    if (h == null) {
      return null;
    }
    InetAddress ip = pinned;
    int at = -1;
    if (ip == null) {
      List<InetAddress> order = h.order;
      int n = order.size(); // only grows, so a position below n stays valid
      at = h.cursor;
      if (n == 0 || at >= n) {
        return null;
      }
      ip = order.get(at);
    }
    IpSlot slot = h.ips.get(ip);
    if (slot == null) {
      return null;
    }
    while (!closed) {
      long now = clock.millis();
      if (!access.isAllowed(key, ip, now)) {
        return null;
      }
      PooledConnection c = slot.idle.pollLast();
      if (c == null) {
        return null;
      }
      if (c.leases != 0 || !c.canTakeLease()) {
        discardOwned(h, slot, c, "retired or no longer usable");
        continue;
      }
      boolean idleTooLong = now - c.lastUsedAt > revalidateAfterIdleMillis;
      boolean reused = c.uses > 0;
      c.lease();
      c.uses++;
      if (at >= 0) {
        h.cursor = (at + 1) % h.order.size();
      }
      Lease lease = new Lease(c, reused);
      if (idleTooLong && config.validator().isPresent() && !validateLeased(lease)) {
        continue; // it failed validation and was closed; look again
      }
      return lease;
    }
    return null;
  }

  /**
   * Closes an idle HTTP/1.1 connection the caller removed from its idle stack (and so owns) because
   * it may not be leased any more. Closes and reports it only if it was still in the books: the
   * pool's close may have counted it already.
   */
  private void discardOwned(HostEntry h, IpSlot slot, PooledConnection c, String reason) {
    boolean inBooks;
    h.lock.lock();
    try {
      inBooks = removeLocked(h, slot, c);
      h.changed.signalAll(); // room under the limits
    } finally {
      h.lock.unlock();
    }
    if (inBooks) {
      closeAll(List.of(c), reason);
    } else {
      c.http.close();
    }
  }

  private record Decision(Lease lease, boolean validate, InetAddress openOn) {}

  private Decision decide(HostKey key, InetAddress pinned, long avoid, long deadlineNanos)
      throws IOException {
    HostEntry h = host(key);
    long waitUntil = Long.MIN_VALUE; // set at the first wait: a lease that needs none reads no clock
    boolean waiting = false;
    List<PooledConnection> stale = new ArrayList<>(0);
    h.lock.lock();
    try {
      while (true) {
        if (closed) {
          throw new ClassifiedIOException(FailureKind.CANCELLED, false, PoolAction.KEEP,
              "the pool is closed", null);
        }
        long now = clock.millis();
        List<InetAddress> candidates = pinned == null ? h.order : List.of(allowedPinned(h, pinned, now));
        // Round robin: the allowed IP at the cursor serves the request if it can, over a connection
        // with room or a new one; otherwise the next allowed IP is asked. Load spreads over all the
        // host's IPs, which is the point of having many.
        int n = candidates.size();
        if (h.cursor >= n) {
          h.cursor = 0;
        }
        boolean anyAllowed = pinned != null;
        for (int i = 0; i < n; i++) {
          InetAddress ip = candidates.get((h.cursor + i) % n);
          if (pinned == null && !access.isAllowed(h.key, ip, now)) {
            continue;
          }
          anyAllowed = true;
          IpSlot slot = h.slot(ip);
          PooledConnection c = leasable(h, slot, avoid, stale);
          if (c != null) {
            boolean idleTooLong = c.leases == 0 && now - c.lastUsedAt > revalidateAfterIdleMillis;
            boolean reused = c.uses > 0;
            c.lease();
            c.uses++;
            advanceCursor(h, pinned, i, n);
            return new Decision(new Lease(c, reused), idleTooLong && config.validator().isPresent(),
                null);
          }
          // While a first connection to this IP is still being opened, wait for it rather than
          // open more: it will most likely be HTTP/2 and serve everyone, as a browser's single
          // connection per host does.
          boolean mayMultiplex = slot.protocol != HttpProtocol.HTTP_1_1;
          if (mayMultiplex && slot.connecting > 0) {
            continue;
          }
          if (slot.count() < config.limits().maxConnectionsPerIp()
              && h.connections < config.limits().maxConnectionsPerHost()) {
            slot.connecting++;
            h.connections++;
            advanceCursor(h, pinned, i, n);
            return new Decision(null, false, slot.ip);
          }
        }
        if (!anyAllowed) {
          throw new ClassifiedIOException(FailureKind.IP_BLOCKED, false, PoolAction.KEEP,
              "every known IP of " + h.key + " is banned (" + n + " IPs)", null);
        }
        // Wait for capacity. A lock-free release pushes a connection and then signals only if it
        // sees a waiter; so a waiter first counts itself and then looks once more, and one of the
        // two always sees the other.
        if (!waiting) {
          waiting = true;
          h.waiters++;
          continue;
        }
        if (waitUntil == Long.MIN_VALUE) {
          waitUntil = Math.min(deadlineNanos, System.nanoTime() + acquireTimeoutNanos);
        }
        long left = waitUntil - System.nanoTime();
        if (left <= 0) {
          throw new ClassifiedIOException(FailureKind.POOL_EXHAUSTED, true, PoolAction.KEEP,
              "no connection to " + key + (pinned == null ? "" : " at " + pinned.getHostAddress())
                  + " within " + config.timeouts().acquire().toMillis() + " ms (limits: "
                  + config.limits().maxConnectionsPerIp() + " per IP, "
                  + config.limits().maxConnectionsPerHost()
                  + " per host)", null);
        }
        try {
          h.changed.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ClassifiedIOException(FailureKind.CANCELLED, false, PoolAction.KEEP,
              "interrupted while waiting for a connection to " + key, e);
        }
      }
    } finally {
      if (waiting) {
        h.waiters--;
      }
      h.lock.unlock();
      // Connections found unusable on the idle stack were taken off the books above; close them
      // outside the lock (closing may write a close_notify).
      closeAll(stale, "retired or no longer usable");
    }
  }

  /**
   * A connection of {@code slot} that can take a lease now: the most recently idled HTTP/1.1
   * connection, else (HTTP/2) one with a free stream. Idle HTTP/1.1 connections found unusable are
   * taken off the books and added to {@code stale}, for the caller to close. Lock held.
   */
  private static PooledConnection leasable(HostEntry h, IpSlot slot, long avoid,
      List<PooledConnection> stale) {
    PooledConnection skipped = null;
    PooledConnection c;
    while ((c = slot.idle.pollLast()) != null) {
      if (c.leases == 0 && c.canTakeLease()) {
        if (c.id != avoid) {
          if (skipped != null) {
            slot.idle.addLast(skipped);
          }
          return c;
        }
        skipped = c; // the connection a retry must avoid stays idle for others
      } else if (removeLocked(h, slot, c)) {
        stale.add(c); // popped, so ours: it may not serve again
      }
    }
    if (skipped != null) {
      slot.idle.addLast(skipped);
    }
    if (slot.protocol == HttpProtocol.HTTP_1_1) {
      return null; // every idle HTTP/1.1 connection is on the stack
    }
    for (PooledConnection s : slot.connections) {
      if (s.id != avoid && s.canTakeLease()) {
        return s;
      }
    }
    return null;
  }

  /** Moves the round-robin cursor past the IP just chosen; pinned requests leave it alone. */
  private static void advanceCursor(HostEntry h, InetAddress pinned, int chosen, int n) {
    if (pinned == null) {
      h.cursor = (h.cursor + chosen + 1) % n;
    }
  }

  /** {@code pinned}, known to the host from now on, unless it is banned. Lock held. */
  private InetAddress allowedPinned(HostEntry h, InetAddress pinned, long now)
      throws ClassifiedIOException {
    if (!access.isAllowed(h.key, pinned, now)) {
      throw new ClassifiedIOException(FailureKind.IP_BLOCKED, false, PoolAction.KEEP,
          pinned.getHostAddress() + " is banned for " + h.key, null);
    }
    h.slot(pinned);
    return pinned;
  }

  private List<InetAddress> resolve(HostKey key) throws ClassifiedIOException {
    try {
      List<InetAddress> ips = config.resolver().resolve(key.host());
      if (ips.isEmpty()) {
        throw new java.net.UnknownHostException(key.host() + " has no addresses");
      }
      return ips;
    } catch (java.net.UnknownHostException e) {
      throw new ClassifiedIOException(FailureKind.UNKNOWN_HOST, false, PoolAction.KEEP,
          "cannot resolve " + key.host() + ": " + e.getMessage(), e);
    }
  }

  private Lease open(HostKey key, InetAddress ip, long deadlineNanos) throws IOException {
    TlsEndpoint endpoint = new TlsEndpoint(key.host(), ip, key.port());
    String profile = selector.next();
    long started = System.nanoTime();
    long openDeadline = Math.min(deadlineNanos, started + config.timeouts().connect().toNanos());
    HttpConnection http;
    try {
      http = factory.open(endpoint, profile, openDeadline);
    } catch (IOException | RuntimeException e) {
      ClassifiedFailure f = classify(e, endpoint);
      HostEntry h = host(key);
      h.lock.lock();
      try {
        IpSlot slot = h.slot(ip);
        slot.connecting--;
        slot.failedOpens++;
        h.connections--;
        h.changed.signalAll();
      } finally {
        h.lock.unlock();
      }
      events.connectionFailed(endpoint, f);
      applyIpAction(key, ip, f);
      throw e instanceof ClassifiedIOException c ? c : new ClassifiedIOException(f);
    }
    events.connectionOpened(endpoint, profile, Duration.ofNanos(System.nanoTime() - started));
    PooledConnection c = new PooledConnection(ids.incrementAndGet(), key, endpoint, http, profile,
        clock.millis());
    HostEntry h = host(key);
    boolean closeNow;
    h.lock.lock();
    try {
      IpSlot slot = h.slot(ip);
      slot.connecting--;
      slot.opened++;
      slot.protocol = http.protocol();
      closeNow = closed;
      if (!closeNow) {
        c.owner = h;
        c.slot = slot;
        slot.connections.add(c);
        c.lease(); // IN_USE for the caller that opened it
        c.uses++;
      } else {
        slot.closed++;
        h.connections--;
        c.state = ConnectionState.CLOSED;
      }
      h.changed.signalAll(); // an HTTP/2 connection has room for the waiters
    } finally {
      h.lock.unlock();
    }
    if (closeNow) {
      http.close();
      throw new ClassifiedIOException(FailureKind.CANCELLED, false, PoolAction.KEEP, "the pool is closed", null);
    }
    Lease lease = new Lease(c, false);
    if (config.validator().isPresent() && !validateLeased(lease)) {
      throw new ClassifiedIOException(FailureKind.TLS_HANDSHAKE, true, PoolAction.DISCARD_CONNECTION,
          "new connection to " + endpoint + " failed validation", null);
    }
    return lease;
  }

  /** Validates a leased connection; on failure closes it (releasing the lease). */
  private boolean validateLeased(Lease lease) {
    ValidationResult r = validate(lease.connection);
    if (r.healthy()) {
      return true;
    }
    release(lease, PoolAction.DISCARD_CONNECTION, false);
    return false;
  }

  ValidationResult validate(PooledConnection c) {
    ConnectionValidator v = config.validator().orElseThrow();
    ValidationResult r =
        v.validate(new ConnectionProbe(c, clock, config), config.timeouts().validation());
    if (r.healthy()) {
      HostEntry h = c.owner;
      h.lock.lock();
      try {
        c.lastValidatedAt = clock.millis();
        c.uses++;
      } finally {
        h.lock.unlock();
      }
    }
    return r;
  }

  private ClassifiedFailure classify(Throwable e, TlsEndpoint endpoint) {
    FailureClassifier classifier = config.classifier();
    return classifier.classify(e, endpoint).orElseGet(() -> ClassifiedFailure.of(FailureKind.UNKNOWN,
        false, PoolAction.DISCARD_CONNECTION, String.valueOf(e.getMessage()), e));
  }

  /** Applies a failure's IP action (strike or ban); a new ban retires the IP's connections. */
  public void applyIpAction(HostKey key, InetAddress ip, ClassifiedFailure f) {
    IpAccessController.Ban ban = access.apply(key, ip, f.action(), f.message(), clock.instant());
    if (ban != null) {
      events.ipBanned(ban.host().host(), ban.ip(), ban.until(), ban.reason());
      retireIp(key, ip, "IP banned: " + f.message());
    }
  }

  private void retireIp(HostKey key, InetAddress ip, String reason) {
    List<PooledConnection> toClose = new ArrayList<>();
    HostEntry h = host(key);
    h.lock.lock();
    try {
      IpSlot slot = h.ips.get(ip);
      if (slot == null) {
        return;
      }
      for (PooledConnection c : List.copyOf(slot.connections)) {
        // The flag first, then the attempt to take it: a lock-free release pushes the connection
        // and then reads the flag, so either it sees the flag or this sees it on the idle stack.
        c.retireWhenIdle = true;
        if (claimIdle(slot, c)) {
          removeLocked(h, slot, c);
          toClose.add(c);
        }
      }
    } finally {
      h.lock.unlock();
    }
    closeAll(toClose, reason);
  }

  /**
   * Returns a lease. {@code action} decides the connection's fate: KEEP returns it to the pool
   * (unless it became unusable), anything harsher closes it once its last lease is back.
   *
   * @param success whether the exchange succeeded (a failure counts towards the error threshold)
   */
  public void release(Lease lease, PoolAction action, boolean success) {
    if (lease.released) {
      throw new IllegalStateException("lease on " + lease.connection + " released twice");
    }
    lease.released = true;
    PooledConnection c = lease.connection;
    if (action == PoolAction.KEEP && success && c.http.protocol() == HttpProtocol.HTTP_1_1
        && releaseIdleHttp1(c)) {
      return;
    }
    HostEntry h = c.owner;
    boolean close = false;
    h.lock.lock();
    try {
      long now = clock.millis();
      c.unlease(now);
      if (!success) {
        c.errors++;
      }
      if (action.compareTo(PoolAction.DISCARD_CONNECTION) >= 0 || !c.http.isUsable()) {
        c.retireWhenIdle = true;
        if (c.state == ConnectionState.IDLE || c.state == ConnectionState.IN_USE) {
          c.state = c.leases == 0 ? ConnectionState.UNHEALTHY : c.state;
        }
      }
      if (now - c.openedAt >= maxLifetimeMillis) {
        c.retireWhenIdle = true;
      }
      IpSlot slot = c.slot;
      if (c.retireWhenIdle && c.leases == 0) {
        removeLocked(h, slot, c);
        close = true;
      } else if (c.leases == 0 && c.http.protocol() == HttpProtocol.HTTP_1_1) {
        slot.idle.addLast(c);
      }
      h.changed.signalAll();
    } finally {
      h.lock.unlock();
    }
    if (close) {
      closeAll(List.of(c), action == PoolAction.KEEP ? "retired" : "discarded after failure");
    }
  }

  /**
   * The lock-free release of a healthy HTTP/1.1 connection after a successful exchange: back on
   * its IP's idle stack, where the next lease (locked or not) finds it. Returns false, having
   * changed nothing, when the locked path must decide (the connection is retiring, broken or past
   * its lifetime).
   */
  private boolean releaseIdleHttp1(PooledConnection c) {
    long now = clock.millis();
    if (c.leases != 1 || c.state != ConnectionState.IN_USE || c.retireWhenIdle
        || now - c.openedAt >= maxLifetimeMillis || !c.http.isUsable()) {
      return false;
    }
    HostEntry h = c.owner;
    IpSlot slot = c.slot;
    c.lastUsedAt = now;
    c.leases = 0;
    c.state = ConnectionState.IDLE;
    slot.idle.addLast(c);
    // A ban (retireIp) or the pool's close may have looked for this connection between the checks
    // above and the push, and not found it idle. Both set their flag before they look, so reading
    // the flags after the push catches them; whoever removes the connection from the stack closes it.
    if ((c.retireWhenIdle || closed) && slot.idle.remove(c)) {
      discardOwned(h, slot, c, closed ? "pool closed" : "retired");
      return true;
    }
    if (h.waiters > 0) {
      h.lock.lock();
      try {
        h.changed.signalAll();
      } finally {
        h.lock.unlock();
      }
    }
    return true;
  }

  /**
   * Takes an idle connection for the caller, who holds the host lock: an HTTP/1.1 one by removing
   * it from the idle stack (a lock-free lease may have popped it first), an HTTP/2 one when it has
   * no lease (HTTP/2 leases are only ever taken under the lock).
   */
  private static boolean claimIdle(IpSlot slot, PooledConnection c) {
    return c.http.protocol() == HttpProtocol.HTTP_1_1 ? slot.idle.remove(c) : c.leases == 0;
  }

  /**
   * Removes {@code c} from the books as closed; returns whether it was still in them. Host lock
   * held.
   */
  private static boolean removeLocked(HostEntry h, IpSlot slot, PooledConnection c) {
    slot.idle.remove(c);
    boolean inBooks = slot.connections.remove(c);
    if (inBooks) {
      slot.closed++;
      h.connections--;
    }
    c.state = ConnectionState.CLOSED;
    return inBooks;
  }

  private void closeAll(List<PooledConnection> cs, String reason) {
    for (PooledConnection c : cs) {
      c.http.close();
      events.connectionClosed(c.endpoint, reason);
    }
  }

  /** What one health-check pass did. */
  public record HealthReport(int closedIdle, int closedOld, int closedBroken, int markedUnhealthy,
      int validated, int failedValidation) {}

  /**
   * One health-check pass at the clock's current time: closes idle connections past the idle
   * timeout or the maximum lifetime, closes broken or half-closed ones, marks unhealthy (and closes)
   * those with at least {@code errorThreshold} errors, and revalidates idle ones not validated for a
   * health-check interval (on {@code validationExecutor}; the report counts validations finished).
   */
  public HealthReport checkHealth() {
    int idle = 0, old = 0, broken = 0, unhealthy = 0;
    List<PooledConnection> toClose = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    List<PooledConnection> toValidate = new ArrayList<>();
    long now = clock.millis();
    for (HostEntry h : hosts.values()) {
      h.lock.lock();
      try {
        for (IpSlot slot : h.ips.values()) {
          for (PooledConnection c : List.copyOf(slot.connections)) {
            if (c.leases > 0 || !claimIdle(slot, c)) {
              continue; // only idle connections are judged; busy ones are judged on release
            }
            // Ours now (an HTTP/1.1 one is off its idle stack): no lease takes it while it is
            // judged, and the probe below never reads while an exchange does.
            String reason = null;
            if (now - c.openedAt >= maxLifetimeMillis) {
              reason = "past its maximum lifetime";
              old++;
            } else if (now - c.lastUsedAt >= idleTimeoutMillis) {
              reason = "idle longer than the idle timeout";
              idle++;
            } else if (c.errors >= config.healthChecks().errorThreshold()) {
              c.state = ConnectionState.UNHEALTHY;
              reason = "unhealthy: " + c.errors + " errors";
              unhealthy++;
            } else if (!c.http.isUsable() || c.http.hasUnexpectedInput()) {
              reason = "closed or half-closed by the peer";
              broken++;
            }
            if (reason != null) {
              removeLocked(h, slot, c);
              toClose.add(c);
              reasons.add(reason);
            } else if (config.validator().isPresent()
                && now - c.lastValidatedAt >= healthCheckIntervalMillis) {
              c.lease(); // IN_USE by the validator: no request may take it meanwhile
              toValidate.add(c);
            } else if (c.http.protocol() == HttpProtocol.HTTP_1_1) {
              slot.idle.addLast(c); // healthy: back where leases find it
            }
          }
        }
        h.changed.signalAll();
      } finally {
        h.lock.unlock();
      }
    }
    for (int i = 0; i < toClose.size(); i++) {
      PooledConnection c = toClose.get(i);
      c.http.close();
      events.connectionClosed(c.endpoint, reasons.get(i));
    }
    int[] validated = new int[2];
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(toValidate.size());
    for (PooledConnection c : toValidate) {
      validationExecutor.execute(() -> {
        try {
          boolean ok = validate(c).healthy();
          synchronized (validated) {
            validated[ok ? 0 : 1]++;
          }
          release(new Lease(c, true), ok ? PoolAction.KEEP : PoolAction.DISCARD_CONNECTION, ok);
        } finally {
          done.countDown();
        }
      });
    }
    try {
      done.await(config.timeouts().validation().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (validated) {
      return new HealthReport(idle, old, broken, unhealthy, validated[0], validated[1]);
    }
  }

  /** Per-IP books and states, for statistics. */
  public record IpBooks(HostKey host, InetAddress ip, long opened, long closed, long failedOpens,
      Map<ConnectionState, Integer> states) {
    public int open() {
      return states.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /**
   * A snapshot of each IP's books, in the order the IPs were added: counts and the connections in
   * the books are consistent (read under the host lock); a state may lag by one lock-free lease or
   * release of an HTTP/1.1 connection in flight.
   */
  public List<IpBooks> books() {
    List<IpBooks> out = new ArrayList<>();
    for (HostEntry h : hosts.values()) {
      h.lock.lock();
      try {
        for (InetAddress ip : h.order) {
          IpSlot slot = h.ips.get(ip);
          Map<ConnectionState, Integer> states = new java.util.EnumMap<>(ConnectionState.class);
          for (PooledConnection c : slot.connections) {
            states.merge(c.state, 1, Integer::sum);
          }
          if (slot.connecting > 0) {
            states.merge(ConnectionState.CONNECTING, slot.connecting, Integer::sum);
          }
          out.add(new IpBooks(h.key, slot.ip, slot.opened, slot.closed, slot.failedOpens, states));
        }
      } finally {
        h.lock.unlock();
      }
    }
    return out;
  }

  /** Closes every connection (in use ones too: their exchanges fail) and refuses new leases. */
  @Override
  public void close() {
    closed = true;
    List<PooledConnection> toClose = new ArrayList<>();
    for (HostEntry h : hosts.values()) {
      h.lock.lock();
      try {
        for (IpSlot slot : h.ips.values()) {
          for (PooledConnection c : List.copyOf(slot.connections)) {
            removeLocked(h, slot, c);
            toClose.add(c);
          }
        }
        h.changed.signalAll();
      } finally {
        h.lock.unlock();
      }
    }
    closeAll(toClose, "pool closed");
  }

  boolean isClosed() {
    return closed;
  }

}
