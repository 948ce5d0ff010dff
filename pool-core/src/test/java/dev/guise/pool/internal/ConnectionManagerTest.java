package dev.guise.pool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.HttpProtocol;
import dev.guise.api.PoolAction;
import dev.guise.api.ProbeRequest;
import dev.guise.api.ValidationResult;
import dev.guise.api.ValidationTarget;
import dev.guise.api.spi.ConnectionValidator;
import dev.guise.pool.config.IpRotation;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import dev.guise.pool.stats.ConnectionState;
import dev.guise.pool.stats.PoolEventListener;
import dev.guise.testing.MutableClock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The connection manager's rules over scripted connections, with an injected clock: no test sleeps
 * to make time pass. Real connections are exercised by the pool's integration tests.
 */
class ConnectionManagerTest {
  private static final HostKey HOST = new HostKey("example.test", 443);
  private final MutableClock clock = new MutableClock();
  private final List<FakeHttpConnection> opened = new ArrayList<>();
  private HttpProtocol protocol = HttpProtocol.HTTP_1_1;
  private final Set<InetAddress> refusing = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean validatorSaysHealthy = new AtomicBoolean(true);
  private final AtomicInteger validations = new AtomicInteger();

  private static InetAddress ip(int last) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) last});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private final ConnectionValidator validator =
      new ConnectionValidator() {
        @Override
        public String name() {
          return "scripted";
        }

        @Override
        public ValidationResult validate(ValidationTarget target, Duration timeout) {
          validations.incrementAndGet();
          return validatorSaysHealthy.get()
              ? ValidationResult.ok("fine", Duration.ZERO)
              : ValidationResult.unhealthy(ValidationResult.Reason.STATUS, "503", Duration.ZERO);
        }
      };

  private ConnectionManager manager(PoolConfig.Builder b) {
    PoolConfig config = b.clock(clock).build();
    ConnectionFactory factory =
        (endpoint, profile, deadline) -> {
          if (refusing.contains(endpoint.ip())) {
            throw new ConnectException("Connection refused");
          }
          var c = new FakeHttpConnection(endpoint, protocol, profile, 100);
          synchronized (opened) {
            opened.add(c);
          }
          return c;
        };
    return new ConnectionManager(
        config,
        factory,
        new IpAccessController(
            config.healthChecks().banDuration(), config.healthChecks().strikesToBan()),
        PoolEventListener.NONE,
        new FingerprintSelector(config.profiles(), 1),
        Runnable::run);
  }

  private static long deadline() {
    return System.nanoTime() + Duration.ofSeconds(5).toNanos();
  }

  private static void assertBooksBalance(ConnectionManager m) {
    for (var b : m.books()) {
      assertEquals(b.opened(), b.closed() + b.open(), "books of " + b.ip() + ": " + b);
    }
  }

  /** The books balance, and every connection still open is in them, and only those. */
  private static void assertOpenOnesAreInTheBooks(
      ConnectionManager m, List<FakeHttpConnection> all) {
    assertBooksBalance(m);
    long openInBooks = m.books().stream().mapToLong(RouteBooks::open).sum();
    long openForReal = all.stream().filter(c -> !c.closed).count();
    assertEquals(
        openInBooks, openForReal, "every connection still open is in the books, and only those");
  }

  private List<FakeHttpConnection> openedSoFar() {
    synchronized (opened) {
      return List.copyOf(opened);
    }
  }

  /**
   * A platform thread that runs {@code step} with a seeded random over and over until stopped or a
   * failure is recorded, recording its own.
   */
  private static Thread housekeeper(
      AtomicBoolean stop, List<Throwable> failures, Consumer<Random> step) {
    return Thread.ofPlatform()
        .start(
            () -> {
              Random random = new Random(99);
              while (!stop.get() && failures.isEmpty()) {
                try {
                  step.accept(random);
                } catch (Throwable e) {
                  failures.add(e);
                }
              }
            });
  }

  /** Waits for the callers (failing if one is stuck), then stops the housekeeper. */
  private static void joinCallersThenStop(
      List<Thread> callers, AtomicBoolean stop, Thread housekeeper) throws InterruptedException {
    for (Thread t : callers) {
      t.join(60_000);
      assertFalse(t.isAlive(), "a caller is stuck");
    }
    stop.set(true);
    housekeeper.join(10_000);
  }

  /** One caller's lease and release, given its own seeded random. */
  @FunctionalInterface
  private interface LeaseStep {
    void run(Random random) throws Exception;
  }

  /**
   * {@code n} platform threads, each running {@code step} with a random seeded by its number until
   * the sweeps have had their chances (3,000 of them), 20 s have passed or a failure is recorded; a
   * step's failure is recorded.
   */
  private static List<Thread> racingCallers(
      int n, AtomicInteger sweeps, List<Throwable> failures, LeaseStep step) {
    long endBy = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      Random random = new Random(t);
      callers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (sweeps.get() < 3_000
                        && System.nanoTime() < endBy
                        && failures.isEmpty()) {
                      try {
                        step.run(random);
                      } catch (Throwable e) {
                        failures.add(e);
                      }
                    }
                  }));
    }
    return callers;
  }

  /** The race tests' manager: two IPs per host, idle after 1 s, so the sweeps forget often. */
  private ConnectionManager racedManager() {
    return manager(
        PoolConfig.builder()
            .resolver(host -> List.of(ip(1), ip(2)))
            .timeouts(
                t -> t.withIdle(Duration.ofSeconds(1)).withMaxLifetime(Duration.ofMinutes(10)))
            .timeouts(t -> t.withAcquire(Duration.ofSeconds(5))));
  }

  /** Hosts h0.test ... h{n-1}.test. */
  private static List<HostKey> hostNames(int n) {
    List<HostKey> hosts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      hosts.add(new HostKey("h" + i + ".test", 443));
    }
    return hosts;
  }

  /** Gives {@code l} back, one time in four as a failed connection to discard. */
  private static void releaseOrDiscard(ConnectionManager m, Loan l, Random random) {
    m.release(l, random.nextInt(4) == 0 ? PoolAction.DISCARD_CONNECTION : PoolAction.KEEP, true);
  }

  /** The sweeping housekeeper of the race tests: moves the clock on, checks health, counts. */
  private Thread sweeper(
      ConnectionManager m,
      AtomicBoolean stop,
      List<Throwable> failures,
      AtomicInteger sweeps,
      Consumer<Random> extra) {
    return housekeeper(
        stop,
        failures,
        random -> {
          clock.advance(Duration.ofMillis(random.nextInt(1_500)));
          m.checkHealth();
          extra.accept(random);
          sweeps.incrementAndGet();
        });
  }

  @Test
  void anIdentityHasConnectionsOfItsOwnAndClosingItClosesOnlyThose() throws Exception {
    protocol = HttpProtocol.HTTP_2; // shared by concurrent leases: the strictest case
    var m = manager(PoolConfig.builder());
    var shared = m.acquire(HOST, ip(1), null, null, false, -1, deadline());
    var a = m.acquire(HOST, ip(1), null, "a", false, -1, deadline());
    var b = m.acquire(HOST, ip(1), null, "b", false, -1, deadline());
    var a2 = m.acquire(HOST, ip(1), null, "a", false, -1, deadline());
    assertEquals(3, opened.size(), "one connection each for the pool, a and b");
    assertEquals(a.connectionId(), a2.connectionId(), "a shares its own connection with itself");
    assertNotEquals(a.connectionId(), b.connectionId());
    assertNotEquals(a.connectionId(), shared.connectionId());
    assertEquals("a", a.connection.route.identity());
    for (var l : List.of(shared, a, b, a2)) {
      m.release(l, PoolAction.KEEP, true);
    }

    m.closeIdentity("a");
    assertTrue(opened.get(1).closed, "a's connection is closed");
    assertFalse(opened.get(0).closed || opened.get(2).closed, "the others' stay open");
    var again = m.acquire(HOST, ip(1), null, "a", false, -1, deadline());
    assertEquals(4, opened.size(), "a lease after the close opens a new connection");
    m.release(again, PoolAction.KEEP, true);
    m.close();
    assertBooksBalance(m);
  }

  /**
   * Closing an identity finds its lanes through the identity's own index, not by scanning every
   * identity's: each of many identities with lanes on two hosts closes exactly its own connections,
   * and leaves no index entry behind.
   */
  @Test
  void closingOneOfManyIdentitiesClosesItsLanesOnEveryHostAndNoOthers() throws Exception {
    protocol = HttpProtocol.HTTP_2;
    var m = manager(PoolConfig.builder());
    HostKey other = new HostKey("other.test", 443);
    int identities = 50;
    for (int i = 0; i < identities; i++) {
      for (HostKey host : List.of(HOST, other)) {
        var lease = m.acquire(host, ip(1 + i % 3), null, "id" + i, false, -1, deadline());
        m.release(lease, PoolAction.KEEP, true);
      }
    }
    assertEquals(2 * identities, opened.size(), "one connection per identity and host");
    assertEquals(identities, m.indexedIdentities());

    m.closeIdentity("id7");
    m.closeIdentity("never-seen"); // nothing to close, nothing indexed
    for (FakeHttpConnection c : opened) {
      boolean own = opened.indexOf(c) / 2 == 7;
      assertEquals(own, c.closed, "connection " + opened.indexOf(c) + " closed iff it was id7's");
    }
    assertEquals(identities - 1, m.indexedIdentities());

    for (int i = 0; i < identities; i++) {
      m.closeIdentity("id" + i);
    }
    assertTrue(opened.stream().allMatch(c -> c.closed), "every identity's connections closed");
    assertEquals(0, m.indexedIdentities(), "no identity left in the index");
    var again = m.acquire(HOST, ip(1), null, "id7", false, -1, deadline());
    assertEquals(2 * identities + 1, opened.size(), "a closed identity leases a new connection");
    assertEquals(1, m.indexedIdentities());
    m.release(again, PoolAction.KEEP, true);
    m.close();
    assertBooksBalance(m);
  }

  @Test
  void http1ConnectionsAreNeverSharedAndAreReused() throws Exception {
    var m = manager(PoolConfig.builder());
    var a = m.acquire(HOST, ip(1), -1, deadline());
    var b = m.acquire(HOST, ip(1), -1, deadline());
    assertNotEquals(
        a.connectionId(), b.connectionId(), "a leased HTTP/1.1 connection is not leased again");
    m.release(a, PoolAction.KEEP, true);
    var c = m.acquire(HOST, ip(1), -1, deadline());
    assertEquals(a.connectionId(), c.connectionId(), "an idle connection is reused");
    assertTrue(c.reused());
    m.release(b, PoolAction.KEEP, true);
    m.release(c, PoolAction.KEEP, true);
    assertEquals(2, opened.size());
    assertBooksBalance(m);
  }

  @Test
  void http2ConnectionsAreSharedUpToTheStreamLimit() throws Exception {
    protocol = HttpProtocol.HTTP_2;
    var m = manager(PoolConfig.builder());
    var first = m.acquire(HOST, ip(1), -1, deadline());
    opened.get(0).maxStreams = 3;
    var second = m.acquire(HOST, ip(1), -1, deadline());
    var third = m.acquire(HOST, ip(1), -1, deadline());
    assertEquals(first.connectionId(), second.connectionId());
    assertEquals(first.connectionId(), third.connectionId());
    var fourth = m.acquire(HOST, ip(1), -1, deadline());
    assertNotEquals(
        first.connectionId(), fourth.connectionId(), "a full connection takes no fourth stream");
    for (var l : List.of(first, second, third, fourth)) {
      m.release(l, PoolAction.KEEP, true);
    }
    assertBooksBalance(m);
  }

  @Test
  void theLimitMakesCallersWaitThenFailClearly() throws Exception {
    var m =
        manager(
            PoolConfig.builder()
                .limits(l -> l.withMaxConnectionsPerIp(1))
                .timeouts(t -> t.withAcquire(Duration.ofMillis(50))));
    var held = m.acquire(HOST, ip(1), -1, deadline());
    var e = assertThrows(ClassifiedIOException.class, () -> m.acquire(HOST, ip(1), -1, deadline()));
    assertEquals(FailureKind.POOL_EXHAUSTED, e.kind());
    assertTrue(e.getMessage().contains("1 per IP"), e.getMessage());
    m.release(held, PoolAction.KEEP, true);
    var next = m.acquire(HOST, ip(1), -1, deadline());
    assertEquals(held.connectionId(), next.connectionId());
  }

  @Test
  void aWaiterGetsTheConnectionReleasedMeanwhile() throws Exception {
    var m = manager(PoolConfig.builder().limits(l -> l.withMaxConnectionsPerIp(1)));
    var held = m.acquire(HOST, ip(1), -1, deadline());
    try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
      var waiter = exec.submit(() -> m.acquire(HOST, ip(1), -1, deadline()));
      HostRoutes h = m.host(HOST);
      boolean waiting = false;
      while (!waiting) {
        h.lock.lock();
        try {
          waiting = h.lock.hasWaiters(h.changed);
        } finally {
          h.lock.unlock();
        }
      }
      m.release(held, PoolAction.KEEP, true);
      assertEquals(held.connectionId(), waiter.get().connectionId());
    }
  }

  @Test
  void aDiscardedConnectionIsClosedAndNeverLeasedAgain() throws Exception {
    var m = manager(PoolConfig.builder());
    var a = m.acquire(HOST, ip(1), -1, deadline());
    m.release(a, PoolAction.DISCARD_CONNECTION, false);
    assertTrue(opened.get(0).closed);
    var b = m.acquire(HOST, ip(1), -1, deadline());
    assertNotEquals(a.connectionId(), b.connectionId());
    m.release(b, PoolAction.KEEP, true);
    assertBooksBalance(m);
    assertThrows(
        IllegalStateException.class,
        () -> m.release(b, PoolAction.KEEP, true),
        "a double release is a bug, reported as such");
  }

  @Test
  void aRetryAvoidsTheConnectionThatFailed() throws Exception {
    var m = manager(PoolConfig.builder());
    var a = m.acquire(HOST, ip(1), -1, deadline());
    m.release(a, PoolAction.KEEP, false);
    var b = m.acquire(HOST, ip(1), a.connectionId(), deadline());
    assertNotEquals(a.connectionId(), b.connectionId());
  }

  @Test
  void unpinnedRequestsGoRoundRobinOverTheHostsIps() throws Exception {
    var m = manager(PoolConfig.builder());
    m.addIps(HOST, List.of(ip(1), ip(2), ip(3)));
    List<InetAddress> seen = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      var l = m.acquire(HOST, null, -1, deadline());
      seen.add(l.endpoint().ip());
      m.release(l, PoolAction.KEEP, true);
    }
    assertEquals(List.of(ip(1), ip(2), ip(3), ip(1), ip(2), ip(3)), seen);

    // The reuses above took idle connections without the lock; a ban makes the rotation skip
    // the IP.
    m.applyIpAction(
        new Route(HOST, ip(2)),
        ClassifiedFailure.of(FailureKind.IP_BLOCKED, false, PoolAction.BAN_IP, "block page", null));
    seen.clear();
    for (int i = 0; i < 4; i++) {
      var l = m.acquire(HOST, null, -1, deadline());
      seen.add(l.endpoint().ip());
      m.release(l, PoolAction.KEEP, true);
    }
    assertEquals(List.of(ip(1), ip(3), ip(1), ip(3)), seen);
    assertEquals(3, opened.size(), "every lease after the first round reused a connection");
  }

  /**
   * The rotation is a strategy: with three busy IPs and one of them freed, least loaded sends the
   * next request to the freed IP's idle connection, where round robin goes on to the next IP in
   * turn (and opens a second connection there).
   */
  @Test
  void leastLoadedSendsUnpinnedRequestsToTheFreestIp() throws Exception {
    for (var rotation : List.of(IpRotation.LEAST_LOADED, IpRotation.ROUND_ROBIN)) {
      opened.clear();
      var m = manager(PoolConfig.builder().ipRotation(rotation));
      m.addIps(HOST, List.of(ip(1), ip(2), ip(3)));
      var a = m.acquire(HOST, null, -1, deadline());
      var b = m.acquire(HOST, null, -1, deadline());
      var c = m.acquire(HOST, null, -1, deadline());
      assertEquals(
          List.of(ip(1), ip(2), ip(3)),
          List.of(a.endpoint().ip(), b.endpoint().ip(), c.endpoint().ip()),
          "idle IPs take turns");
      m.release(b, PoolAction.KEEP, true);
      var next = m.acquire(HOST, null, -1, deadline());
      if (rotation == IpRotation.LEAST_LOADED) {
        assertEquals(ip(2), next.endpoint().ip(), "the only IP with nothing in use");
        assertEquals(b.connectionId(), next.connectionId());
        assertEquals(3, opened.size());
      } else {
        assertEquals(ip(1), next.endpoint().ip(), "round robin: the next IP in turn");
        assertEquals(4, opened.size());
      }
      for (var l : List.of(a, c, next)) {
        m.release(l, PoolAction.KEEP, true);
      }
      assertBooksBalance(m);
    }
  }

  @Test
  void aBanKeepsTheIpOutUntilItExpires() throws Exception {
    var m =
        manager(PoolConfig.builder().healthChecks(h -> h.withBanDuration(Duration.ofMinutes(10))));
    m.addIps(HOST, List.of(ip(1), ip(2)));
    var a = m.acquire(HOST, ip(1), -1, deadline());
    m.release(a, PoolAction.KEEP, true); // idle connection on ip 1
    m.applyIpAction(
        new Route(HOST, ip(1)),
        ClassifiedFailure.ofStatus(
            FailureKind.IP_BLOCKED, true, PoolAction.BAN_IP, 403, Optional.empty(), "403"));
    assertTrue(opened.get(0).closed, "a ban closes the IP's idle connections");
    var e = assertThrows(ClassifiedIOException.class, () -> m.acquire(HOST, ip(1), -1, deadline()));
    assertEquals(FailureKind.IP_BLOCKED, e.kind());
    for (int i = 0; i < 4; i++) {
      var l = m.acquire(HOST, null, -1, deadline());
      assertEquals(ip(2), l.endpoint().ip(), "unpinned requests skip the banned IP");
      m.release(l, PoolAction.KEEP, true);
    }
    clock.advance(Duration.ofMinutes(10));
    var back = m.acquire(HOST, ip(1), -1, deadline());
    assertEquals(ip(1), back.endpoint().ip());
    assertBooksBalance(m);
  }

  @Test
  void refusedConnectionsAreStrikesAndEnoughStrikesBan() throws Exception {
    var m = manager(PoolConfig.builder().healthChecks(h -> h.withStrikesToBan(3)));
    refusing.add(ip(1));
    for (int i = 0; i < 3; i++) {
      var e =
          assertThrows(ClassifiedIOException.class, () -> m.acquire(HOST, ip(1), -1, deadline()));
      assertEquals(FailureKind.CONNECTION_REFUSED, e.kind());
    }
    var banned =
        assertThrows(ClassifiedIOException.class, () -> m.acquire(HOST, ip(1), -1, deadline()));
    assertEquals(FailureKind.IP_BLOCKED, banned.kind());
    var books = m.books().get(0);
    assertEquals(3, books.failedOpens());
    assertEquals(0, books.open());
  }

  @Test
  void healthCheckClosesIdleAndOldConnections() throws Exception {
    var m =
        manager(
            PoolConfig.builder()
                .timeouts(
                    t ->
                        t.withIdle(Duration.ofSeconds(60))
                            .withMaxLifetime(Duration.ofSeconds(300))));
    var a = m.acquire(HOST, ip(1), -1, deadline());
    var b = m.acquire(HOST, ip(1), -1, deadline());
    m.release(a, PoolAction.KEEP, true);
    m.release(b, PoolAction.KEEP, true);
    clock.advance(Duration.ofSeconds(59));
    assertEquals(0, m.checkHealth().closedIdle());
    var again = m.acquire(HOST, ip(1), -1, deadline()); // keeps one of them busy
    clock.advance(Duration.ofSeconds(1));
    var r = m.checkHealth();
    assertEquals(1, r.closedIdle(), "only the idle one is judged; the leased one is busy");
    m.release(again, PoolAction.KEEP, true);
    clock.advance(Duration.ofSeconds(241)); // 301 s old
    // re-use it within the idle timeout, so only its age can close it
    var old = m.acquire(HOST, ip(1), -1, deadline());
    m.release(old, PoolAction.KEEP, true);
    assertTrue(
        opened.get(again.connectionId() == 1 ? 0 : 1).closed,
        "past max lifetime: closed on release");
    assertBooksBalance(m);
  }

  @Test
  void healthCheckRetiresOldIdleConnections() throws Exception {
    var m =
        manager(
            PoolConfig.builder()
                .timeouts(
                    t ->
                        t.withIdle(Duration.ofSeconds(60))
                            .withMaxLifetime(Duration.ofSeconds(100))));
    var a = m.acquire(HOST, ip(1), -1, deadline());
    m.release(a, PoolAction.KEEP, true);
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(40));
      if (i < 2) {
        var l = m.acquire(HOST, ip(1), -1, deadline());
        m.release(l, PoolAction.KEEP, true);
      }
    }
    var r = m.checkHealth();
    assertEquals(1, r.closedOld());
  }

  @Test
  void errorsPastTheThresholdMakeAConnectionUnhealthy() throws Exception {
    var m = manager(PoolConfig.builder().healthChecks(h -> h.withErrorThreshold(3)));
    for (int i = 0; i < 3; i++) {
      var l = m.acquire(HOST, ip(1), -1, deadline());
      m.release(l, PoolAction.KEEP, false);
    }
    assertEquals(1, opened.size(), "KEEP failures keep the connection");
    var r = m.checkHealth();
    assertEquals(1, r.markedUnhealthy());
    assertTrue(opened.get(0).closed);
  }

  @Test
  void healthCheckRevalidatesAndClosesWhatFails() throws Exception {
    var m =
        manager(
            PoolConfig.builder()
                .validator(validator)
                .healthChecks(h -> h.withInterval(Duration.ofSeconds(30))));
    var a = m.acquire(HOST, ip(1), -1, deadline());
    var b = m.acquire(HOST, ip(1), -1, deadline());
    m.release(a, PoolAction.KEEP, true);
    m.release(b, PoolAction.KEEP, true);
    assertEquals(2, validations.get(), "new connections are validated");
    clock.advance(Duration.ofSeconds(29));
    assertEquals(0, m.checkHealth().validated());
    clock.advance(Duration.ofSeconds(1));
    assertEquals(2, m.checkHealth().validated());
    clock.advance(Duration.ofSeconds(30));
    validatorSaysHealthy.set(false);
    var r = m.checkHealth();
    assertEquals(2, r.failedValidation());
    assertTrue(opened.stream().allMatch(c -> c.closed));
    assertBooksBalance(m);
  }

  @Test
  void aLongIdleConnectionIsValidatedBeforeReuse() throws Exception {
    var m =
        manager(
            PoolConfig.builder()
                .validator(validator)
                .healthChecks(h -> h.withRevalidateAfterIdle(Duration.ofSeconds(30))));
    var a = m.acquire(HOST, ip(1), -1, deadline());
    m.release(a, PoolAction.KEEP, true);
    int before = validations.get();
    var quick = m.acquire(HOST, ip(1), -1, deadline());
    m.release(quick, PoolAction.KEEP, true);
    assertEquals(before, validations.get(), "recently used: no validation");
    clock.advance(Duration.ofSeconds(31));
    validatorSaysHealthy.set(false);
    validatorSaysHealthy.set(false);
    // the stale connection fails validation, is closed, and a new one is opened (and validated:
    // also failing, so the acquire reports it)
    var e = assertThrows(ClassifiedIOException.class, () -> m.acquire(HOST, ip(1), -1, deadline()));
    assertTrue(e.getMessage().contains("failed validation"), e.getMessage());
    assertTrue(opened.get(0).closed);
    assertBooksBalance(m);
  }

  @Test
  void halfClosedIdleConnectionsAreClosedByTheHealthCheck() throws Exception {
    var m = manager(PoolConfig.builder());
    var a = m.acquire(HOST, ip(1), -1, deadline());
    m.release(a, PoolAction.KEEP, true);
    opened.get(0).unexpectedInput = true;
    assertEquals(1, m.checkHealth().closedBroken());
  }

  @Test
  void closeClosesEverythingAndRefusesNewLeases() throws Exception {
    var m = manager(PoolConfig.builder());
    var a = m.acquire(HOST, ip(1), -1, deadline());
    m.acquire(HOST, ip(2), -1, deadline());
    m.release(a, PoolAction.KEEP, true);
    m.close();
    assertTrue(opened.stream().allMatch(c -> c.closed));
    var e = assertThrows(ClassifiedIOException.class, () -> m.acquire(HOST, ip(1), -1, deadline()));
    assertEquals(FailureKind.CANCELLED, e.kind());
    assertBooksBalance(m);
  }

  @Test
  void hundredsOfVirtualThreadsNeverShareAnHttp1Connection() throws Exception {
    var m = manager(PoolConfig.builder().limits(l -> l.withMaxConnectionsPerIp(4)));
    m.addIps(HOST, List.of(ip(1), ip(2)));
    AtomicInteger done = new AtomicInteger();
    try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
      // All submitted before any is awaited, so the 300 really run at once.
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < 300; t++) {
        running.add(
            exec.submit(
                () -> {
                  for (int i = 0; i < 20; i++) {
                    var l = m.acquire(HOST, null, -1, deadline());
                    l.http()
                        .exchange(
                            HttpRequest.get("https://example.test/"),
                            ExchangeLimits.DEFAULT,
                            deadline());
                    m.release(l, PoolAction.KEEP, true);
                  }
                  done.incrementAndGet();
                  return null;
                }));
      }
      for (var f : running) {
        f.get(30, TimeUnit.SECONDS);
      }
    }
    assertEquals(300, done.get());
    assertTrue(opened.size() <= 8, "limits hold: " + opened.size());
    for (var c : opened) {
      assertEquals(1, c.maxActiveSeen.get(), "never shared");
    }
    Set<ConnectionState> states = new HashSet<>();
    m.books().forEach(b -> states.addAll(b.states().keySet()));
    assertEquals(Set.of(ConnectionState.IDLE), states);
    assertBooksBalance(m);
    assertFalse(m.isClosed());
  }

  /**
   * The unlocked path of pinned HTTP/1.1 leases against everything that takes connections under the
   * lock at the same time: health checks that revalidate (the validator really exchanges on the
   * connection) and close idle, broken and old connections, bans of one IP, the unpinned
   * round-robin path, failed exchanges and connections that break while idle. Whatever the
   * interleaving, no HTTP/1.1 connection carries two exchanges at once, no closed connection is
   * leased, and the books balance with nothing left open outside them.
   */
  @Test
  void pinnedLeasesRacingHealthChecksAndBansNeverShareAConnection() throws Exception {
    ConnectionValidator exchanging =
        new ConnectionValidator() {
          @Override
          public String name() {
            return "exchanging";
          }

          @Override
          public ValidationResult validate(ValidationTarget target, Duration timeout) {
            try {
              target.exchange(new ProbeRequest("HEAD", "/", List.of(), 0), timeout);
              return ValidationResult.ok("fine", Duration.ZERO);
            } catch (IOException e) {
              return ValidationResult.unhealthy(
                  ValidationResult.Reason.ERROR, String.valueOf(e.getMessage()), Duration.ZERO);
            }
          }
        };
    var m =
        manager(
            PoolConfig.builder()
                .limits(l -> l.withMaxConnectionsPerIp(3))
                .validator(exchanging)
                .healthChecks(
                    h ->
                        h.withInterval(Duration.ofSeconds(10))
                            .withRevalidateAfterIdle(Duration.ofSeconds(5)))
                .timeouts(
                    t -> t.withIdle(Duration.ofSeconds(60)).withMaxLifetime(Duration.ofMinutes(10)))
                .healthChecks(h -> h.withBanDuration(Duration.ofSeconds(30)))
                .timeouts(t -> t.withAcquire(Duration.ofSeconds(5))));
    List<InetAddress> ips = List.of(ip(1), ip(2), ip(3));
    m.addIps(HOST, ips);
    AtomicBoolean stop = new AtomicBoolean();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger exchanges = new AtomicInteger();
    AtomicInteger blocked = new AtomicInteger();
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      int seed = t;
      callers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 3_000 && failures.isEmpty(); i++) {
                      InetAddress pinned =
                          random.nextInt(8) == 0 ? null : ips.get(random.nextInt(ips.size()));
                      Loan l;
                      try {
                        l = m.acquire(HOST, pinned, -1, deadline());
                      } catch (ClassifiedIOException e) {
                        if (e.kind() == FailureKind.IP_BLOCKED) {
                          blocked.incrementAndGet();
                          continue;
                        }
                        failures.add(e);
                        return;
                      } catch (Throwable e) {
                        failures.add(e);
                        return;
                      }
                      try {
                        l.http()
                            .exchange(
                                HttpRequest.get("https://example.test/"),
                                ExchangeLimits.DEFAULT,
                                deadline());
                        exchanges.incrementAndGet();
                        int roll = random.nextInt(50);
                        if (roll == 0) {
                          ((FakeHttpConnection) l.http()).usable =
                              false; // breaks; found on release
                        }
                        m.release(
                            l,
                            roll == 1 ? PoolAction.DISCARD_CONNECTION : PoolAction.KEEP,
                            roll != 2);
                      } catch (Throwable e) {
                        failures.add(e);
                        return;
                      }
                    }
                  }));
    }
    Thread housekeeper =
        housekeeper(
            stop,
            failures,
            random -> {
              clock.advance(Duration.ofSeconds(random.nextInt(8)));
              if (random.nextInt(10) == 0) {
                m.applyIpAction(
                    new Route(HOST, ip(2)),
                    ClassifiedFailure.of(
                        FailureKind.IP_BLOCKED, false, PoolAction.BAN_IP, "block page", null));
              }
              if (random.nextInt(4) == 0) {
                synchronized (opened) { // one idle connection breaks: the peer half-closed it
                  opened.get(random.nextInt(opened.size())).unexpectedInput = true;
                }
              }
              m.checkHealth();
              Thread.onSpinWait();
            });
    joinCallersThenStop(callers, stop, housekeeper);
    assertEquals(List.of(), failures);
    assertTrue(exchanges.get() > 10_000, "exchanges: " + exchanges.get());

    List<FakeHttpConnection> all = openedSoFar();
    for (var c : all) {
      assertTrue(c.maxActiveSeen.get() <= 1, "never shared: " + c.endpoint);
    }
    assertOpenOnesAreInTheBooks(m, all);
    Set<ConnectionState> states = new HashSet<>();
    m.books().forEach(b -> states.addAll(b.states().keySet()));
    assertTrue(Set.of(ConnectionState.IDLE).containsAll(states), "all back and idle: " + states);
    assertTrue(all.size() > 9, "connections were closed and reopened: " + all.size());
  }

  private PoolConfig.Builder lookingUp(AtomicInteger lookups, InetAddress... ips) {
    return PoolConfig.builder()
        .resolver(
            host -> {
              lookups.incrementAndGet();
              return List.of(ips);
            })
        .timeouts(t -> t.withIdle(Duration.ofSeconds(60)).withMaxLifetime(Duration.ofMinutes(10)));
  }

  @Test
  void aQuietHostIsForgottenWithTheIpsThePoolLookedUpAndLookedUpAgainOnItsNextLease()
      throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    var m = manager(lookingUp(lookups, ip(1), ip(2)));
    m.release(m.acquire(HOST, null, -1, deadline()), PoolAction.KEEP, true);
    assertEquals(1, lookups.get());

    m.checkHealth(); // a young idle connection: kept, and the host with it
    clock.advance(Duration.ofSeconds(61));
    m.checkHealth(); // past the idle timeout: the connection closes; the host is quiet from now
    assertEquals(1, m.laneCount());
    assertEquals(List.of(ip(1), ip(2)), m.ips(HOST));
    clock.advance(Duration.ofSeconds(59));
    m.checkHealth();
    assertEquals(1, m.laneCount(), "quiet for less than the idle timeout: kept");
    clock.advance(Duration.ofSeconds(1));
    m.checkHealth();
    assertEquals(0, m.laneCount(), "quiet for the idle timeout: forgotten");
    assertEquals(List.of(), m.ips(HOST), "the IPs the pool looked up go with it");
    assertEquals(List.of(), m.books(), "nothing of the host is kept");

    var again = m.acquire(HOST, null, -1, deadline());
    assertEquals(2, lookups.get(), "the next lease looks the host up again");
    assertEquals(2, opened.size());
    m.release(again, PoolAction.KEEP, true);
    m.close();
    assertBooksBalance(m);
  }

  @Test
  void ipsTheUserGaveOutliveTheQuietHost() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    var m = manager(lookingUp(lookups, ip(9)));
    m.addIps(HOST, List.of(ip(1), ip(2)));
    m.release(m.acquire(HOST, null, -1, deadline()), PoolAction.KEEP, true);
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(61));
      m.checkHealth();
    }
    assertEquals(0, m.laneCount(), "the lane is forgotten");
    assertEquals(List.of(ip(1), ip(2)), m.ips(HOST), "the IPs given are kept");

    var l = m.acquire(HOST, null, -1, deadline());
    assertEquals(0, lookups.get(), "no lookup for a host with IPs given");
    assertTrue(List.of(ip(1), ip(2)).contains(l.endpoint().ip()), l.endpoint().toString());
    m.release(l, PoolAction.KEEP, true);
    m.close();
  }

  @Test
  void aHostWithAConnectionOrAnOpeningSinceTheLastSweepIsKept() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    var m = manager(lookingUp(lookups, ip(1)));
    var leased = m.acquire(HOST, null, -1, deadline());
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(61));
      m.checkHealth();
    }
    assertEquals(1, m.laneCount(), "a leased connection keeps its host however long");
    m.release(leased, PoolAction.DISCARD_CONNECTION, false);

    m.checkHealth(); // no connection: quiet from now
    clock.advance(Duration.ofSeconds(61));
    refusing.add(ip(1));
    assertThrows(ClassifiedIOException.class, () -> m.acquire(HOST, null, -1, deadline()));
    m.checkHealth();
    assertEquals(1, m.laneCount(), "an opening since the last sweep, even a failed one, counts");
    clock.advance(Duration.ofSeconds(61));
    m.checkHealth();
    assertEquals(0, m.laneCount());
    assertEquals(1, lookups.get());
    m.close();
  }

  @Test
  void leasesRacingTheSweepOfQuietHostsNeverLoseAConnection() throws Exception {
    var m = racedManager();
    List<HostKey> hosts = hostNames(12);
    AtomicBoolean stop = new AtomicBoolean();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger sweeps = new AtomicInteger();
    List<Thread> callers =
        racingCallers(
            8,
            sweeps,
            failures,
            random -> {
              Loan l = m.acquire(hosts.get(random.nextInt(hosts.size())), null, -1, deadline());
              releaseOrDiscard(m, l, random);
            });
    Thread housekeeper = sweeper(m, stop, failures, sweeps, random -> {});
    joinCallersThenStop(callers, stop, housekeeper);
    assertEquals(List.of(), failures);
    assertTrue(sweeps.get() >= 3_000, "sweeps: " + sweeps.get());

    List<FakeHttpConnection> all = openedSoFar();
    assertOpenOnesAreInTheBooks(m, all);
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(2));
      m.checkHealth();
    }
    assertEquals(0, m.laneCount(), "every host quiet at the end is forgotten");
    assertTrue(all.stream().allMatch(c -> c.closed), "and every connection closed");
  }

  @Test
  void aQuietLaneOfAnIdentityIsForgottenAndLeavesTheIdentitysIndexWithItsLastLane()
      throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    var m = manager(lookingUp(lookups, ip(1)));
    HostKey other = new HostKey("other.test", 443);
    m.release(m.acquire(HOST, null, null, "a", false, -1, deadline()), PoolAction.KEEP, true);
    var held = m.acquire(other, null, null, "a", false, -1, deadline());
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(61));
      m.checkHealth();
    }
    assertEquals(1, m.laneCount(), "the quiet host's lane is forgotten, the busy host's kept");
    assertEquals(1, m.indexedIdentities(), "the identity keeps its entry for the busy host");
    assertTrue(opened.get(0).closed, "the quiet host's idle connection closed before");
    m.release(held, PoolAction.KEEP, true);

    var again = m.acquire(HOST, null, null, "a", false, -1, deadline());
    assertEquals(3, opened.size(), "back on the forgotten host: a new lane and connection");
    assertEquals(3, m.laneCount(), "a's two, and the shared one its host's lookup made");
    m.release(again, PoolAction.KEEP, true);
    m.closeIdentity("a");
    assertTrue(opened.stream().allMatch(c -> c.closed), "closing the identity finds the new lane");
    assertEquals(1, m.laneCount(), "the shared lane, without connections: forgotten when quiet");
    assertEquals(0, m.indexedIdentities());

    m.release(m.acquire(HOST, null, null, "b", false, -1, deadline()), PoolAction.KEEP, true);
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(61));
      m.checkHealth();
    }
    assertEquals(0, m.laneCount(), "an identity whose every lane went quiet keeps nothing");
    assertEquals(0, m.indexedIdentities());
    assertEquals(List.of(), m.ips(HOST), "nor the IPs looked up for it");
    m.close();
  }

  /**
   * The race of {@code unmapIdentityLane}: a lease makes a new lane under the key of one the sweep
   * is forgetting. Whatever the order, a lane still mapped must be in its identity's index, or
   * closing the identity would leave its connections open. Closing identities races both.
   */
  @Test
  void identityLeasesRacingTheSweepAndIdentityClosesLeaveNoLaneOutOfTheIndex() throws Exception {
    var m = racedManager();
    List<HostKey> hosts = hostNames(6);
    List<String> identities = List.of("s0", "s1", "s2");
    AtomicBoolean stop = new AtomicBoolean();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger sweeps = new AtomicInteger();
    List<Thread> callers =
        racingCallers(
            6,
            sweeps,
            failures,
            random -> {
              try {
                Loan l =
                    m.acquire(
                        hosts.get(random.nextInt(hosts.size())),
                        null,
                        null,
                        identities.get(random.nextInt(identities.size())),
                        false,
                        -1,
                        deadline());
                releaseOrDiscard(m, l, random);
              } catch (ClassifiedIOException e) {
                if (e.kind() != FailureKind.CANCELLED) { // CANCELLED: closed with its identity
                  throw e;
                }
              }
            });
    Thread housekeeper =
        sweeper(
            m,
            stop,
            failures,
            sweeps,
            random -> {
              if (random.nextInt(50) == 0) {
                m.closeIdentity(identities.get(random.nextInt(identities.size())));
              }
            });
    joinCallersThenStop(callers, stop, housekeeper);
    assertEquals(List.of(), failures);
    assertTrue(sweeps.get() >= 3_000, "sweeps: " + sweeps.get());

    List<FakeHttpConnection> all = openedSoFar();
    assertOpenOnesAreInTheBooks(m, all);
    identities.forEach(m::closeIdentity);
    assertEquals(0, m.identityLaneCount(), "every lane still mapped was in its identity's index");
    assertEquals(0, m.indexedIdentities());
    assertTrue(all.stream().allMatch(c -> c.closed), "and every connection closed");
  }
}
