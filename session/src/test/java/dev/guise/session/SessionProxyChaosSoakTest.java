package dev.guise.session;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.fingerprint.RequestKind;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.RequestFailedException;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyKind;
import dev.guise.pool.proxy.ProxyRouting;
import dev.guise.pool.proxy.ProxyStats;
import dev.guise.pool.retry.LinearRetryPolicy;
import dev.guise.pool.stats.PoolStats;
import dev.guise.testing.ScriptedProxy;
import dev.guise.testing.SocksProxy;
import dev.guise.testing.SquidProxy;
import dev.guise.testkit.Fault;
import dev.guise.testkit.FaultRule;
import dev.guise.testkit.FaultScope;
import dev.guise.testkit.RequestHandler;
import dev.guise.testkit.TestRequest;
import dev.guise.testkit.TestResponse;
import dev.guise.testkit.TestServer;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chaos soak, round two: browser sessions (each with its own cookie jar, pinned to one of the
 * host's IPs, logging in through a redirect that sets its cookie) crawl through a routing of real
 * and hostile proxies (two scripted tunnels, squid and microsocks with credentials, one proxy that
 * resets every CONNECT and one that never answers) while a seeded schedule injects server faults
 * (403, 429, 5xx, resets mid-body, stalls, GOAWAY, TLS alerts, idle closes), restarts the server,
 * and kills one of the proxies half-way.
 *
 * <p>What must hold at the end: every request started ended (a response, or a classified failure
 * other than UNKNOWN) within its deadline plus a slack: 0 lost; no session ever saw another's
 * cookie; the pool's books balance; after close no {@code guise-*} thread, no connection open at
 * the server, every session collected (0 leaked), and the heap back near its start.
 *
 * <p>Duration {@code -Dguise.soak.seconds} (default 60), seed {@code -Dguise.soak.seed}. The
 * figures are printed and recorded in docs/reliability.md.
 *
 * <p>Shared state joins here: {@link Parts} are what the soak is built from; a cookie store (the
 * Redis one) plugs in as {@link Parts#jars} and its own faults (kill it, slow it, write garbage
 * into it) as a {@link ChaosStep} in {@link Parts#extraChaos}, with no other change.
 */
class SessionProxyChaosSoakTest {
  private static final String HOST = "www.session-soak.test";
  private static final Duration DEADLINE = Duration.ofSeconds(3);
  private static final Duration SLACK =
      Duration.ofMillis(Long.getLong("guise.soak.slack.millis", 10_000));
  private static final long HEAP_TOLERANCE = 48L * 1024 * 1024;
  private static final String PROXY_USER = "soak";
  private static final String PROXY_PASSWORD = "Soak-Pa55word-51e0";

  /** One more kind of fault, run by the schedule with the others (a step every 150-450 ms). */
  interface ChaosStep extends AutoCloseable {
    void step(Random random) throws Exception;

    @Override
    default void close() throws Exception {}
  }

  /**
   * What the soak is built from. {@code jars} makes each new session's cookie jar (in memory by
   * default); {@code extraChaos} are faults of the parts added later (a store's).
   */
  record Parts(Supplier<CookieJar> jars, List<ChaosStep> extraChaos) {
    static Parts inMemory() {
      return new Parts(CookieJars::browser, List.of());
    }
  }

  /** What the soak saw; counters only. */
  static final class Figures {
    final LongAdder requests = new LongAdder();
    final LongAdder responses = new LongAdder();
    final LongAdder sessions = new LongAdder();
    final Map<FailureKind, LongAdder> failuresByKind = new ConcurrentHashMap<>();
    final Map<FailureKind, String> exampleByKind = new ConcurrentHashMap<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final AtomicLong longestRequestMillis = new AtomicLong();
    final AtomicLong peakHeap = new AtomicLong();
    final Map<Fault.Kind, Long> faults = new EnumMap<>(Fault.Kind.class);
    final ConcurrentLinkedQueue<WeakReference<Session>> sessionRefs = new ConcurrentLinkedQueue<>();
    long restarts;
    long proxiesKilled;
    long leakedSessions;
    long connectionsOpened;
    long connectionsClosed;
    long retries;
    String proxyStats = "";

    void violation(String v) {
      if (violations.size() < 50) {
        violations.add(v);
      }
    }

    long failures() {
      return failuresByKind.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long lost() {
      return requests.sum() - responses.sum() - failures();
    }
  }

  @Test
  void sessionsThroughProxiesWhileServersAndProxiesMisbehave() throws Exception {
    long seconds = Long.getLong("guise.soak.seconds", 60);
    long seed = Long.getLong("guise.soak.seed", 20261204L);
    long heapBefore = usedHeapAfterGc();

    Figures f = soak(seconds, seed, Parts.inMemory());

    long heapAfter = usedHeapAfterGc();
    f.sessionRefs.removeIf(r -> r.get() == null);
    f.leakedSessions = f.sessionRefs.size();
    report(f, seconds, seed, heapBefore, heapAfter);
    assertTrue(
        f.violations.isEmpty(),
        f.violations.size() + " violations:\n" + String.join("\n", f.violations));
    assertTrue(f.responses.sum() > 0 && f.sessions.sum() > 0, "the soak did work");
    assertTrue(f.lost() == 0, f.lost() + " requests lost");
    assertTrue(f.leakedSessions == 0, f.leakedSessions + " sessions still reachable after close");
    assertTrue(
        heapAfter <= heapBefore + HEAP_TOLERANCE,
        "heap after close " + mib(heapAfter) + " MiB, before " + mib(heapBefore) + " MiB");
  }

  private Figures soak(long seconds, long seed, Parts parts) throws Exception {
    Figures f = new Figures();
    Thread heapSampler = sampleHeap(f);
    List<AutoCloseable> proxies = new ArrayList<>();
    try (TestServer server =
        TestServer.builder()
            .loopbackAddresses(8)
            .hostNames(HOST)
            .readTimeout(Duration.ofSeconds(20))
            .handler(SessionProxyChaosSoakTest::handle)
            .build()
            .start()) {
      ScriptedProxy tunnelA = keep(proxies, new ScriptedProxy(new ScriptedProxy.Tunnel()));
      ScriptedProxy tunnelB = keep(proxies, new ScriptedProxy(new ScriptedProxy.Tunnel()));
      SquidProxy squid = keep(proxies, SquidProxy.start(PROXY_USER, PROXY_PASSWORD, null, null));
      SocksProxy socks = keep(proxies, SocksProxy.start(PROXY_USER, PROXY_PASSWORD));
      ScriptedProxy resetting =
          keep(proxies, new ScriptedProxy(new ScriptedProxy.CloseMidConnect(12, true)));
      ScriptedProxy silent = keep(proxies, new ScriptedProxy(new ScriptedProxy.Silent()));
      List<Proxy> routing =
          List.of(
              Proxy.of(ProxyKind.HTTP, "127.0.0.1", tunnelA.port()),
              Proxy.of(ProxyKind.HTTP, "127.0.0.1", tunnelB.port()),
              withCredentials("http", squid.port()),
              withCredentials("socks5", socks.port()),
              Proxy.of(ProxyKind.HTTP, "127.0.0.1", resetting.port()),
              Proxy.of(ProxyKind.SOCKS5, "127.0.0.1", silent.port()));
      HotConnectionPool pool =
          HotConnectionPool.create(
              PoolConfig.builder()
                  .engine("bouncycastle")
                  .profile("chrome")
                  .trust(server.certificateAuthority().trustPolicy())
                  .retryPolicy(new LinearRetryPolicy(Duration.ofMillis(20), 3))
                  .timeouts(
                      t ->
                          // Through a proxy, the connect timeout covers the tunnel and the
                          // site's handshake: 1 s was too little for a browser handshake on a
                          // 2-core machine at load 30, and every proxy ended up resting.
                          t.withConnect(Duration.ofSeconds(2))
                              .withValidation(Duration.ofSeconds(1))
                              .withAcquire(Duration.ofSeconds(1))
                              .withRequest(DEADLINE)
                              .withIdle(Duration.ofSeconds(4)))
                  .healthChecks(
                      h ->
                          h.withInterval(Duration.ofSeconds(1))
                              .withBanDuration(Duration.ofSeconds(2)))
                  .limits(l -> l.withMaxConnectionsPerIp(4))
                  .proxies(ProxyRouting.of(routing).withRest(5, Duration.ofSeconds(1)))
                  .seed(seed)
                  .build());
      GuiseClient client = new GuiseClient(pool);
      long endNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      Chaos chaos = new Chaos(server, tunnelB, parts.extraChaos(), new Random(seed), endNanos);
      Thread chaosThread = Thread.ofPlatform().name("soak-chaos").start(chaos::run);
      ExecutorService crawlers = Executors.newVirtualThreadPerTaskExecutor();
      for (int t = 0; t < 24; t++) {
        crawlers.submit(() -> crawlUntil(endNanos, client, server, parts, f));
      }
      crawlers.shutdown();
      if (!crawlers.awaitTermination(
          seconds + DEADLINE.toSeconds() + SLACK.toSeconds() + 30, TimeUnit.SECONDS)) {
        f.violation("crawlers still running long after the end: a request hangs");
        crawlers.shutdownNow();
      }
      chaosThread.join(10_000);
      if (chaos.failure != null) {
        f.violation("the chaos schedule failed: " + chaos.failure);
      }
      f.restarts = chaos.restarts;
      f.proxiesKilled = chaos.proxiesKilled;
      PoolStats live = pool.stats();
      checkBooks(live, f, "while open");
      f.retries = live.retries();
      f.proxyStats =
          pool.proxyStats().stream()
              .map(ProxyStats::toString)
              .collect(Collectors.joining("\n                    "));
      client.close();
      pool.close();
      PoolStats closed = pool.stats();
      checkBooks(closed, f, "after close");
      for (PoolStats.IpStats s : closed.ips()) {
        f.connectionsOpened += s.opened();
        f.connectionsClosed += s.closed();
        if (s.open() != 0) {
          f.violation("after close " + s.ip() + " still has " + s.open() + " open");
        }
      }
      waitFor(() -> guiseThreads().isEmpty(), Duration.ofSeconds(10));
      if (!guiseThreads().isEmpty()) {
        f.violation("threads left after close: " + guiseThreads());
      }
      waitFor(() -> server.openConnections() == 0, Duration.ofSeconds(10));
      if (server.openConnections() != 0) {
        f.violation("the server still sees " + server.openConnections() + " connections");
      }
      f.faults.putAll(server.faults().injectedCounts());
    } finally {
      for (AutoCloseable p : proxies) {
        p.close();
      }
      heapSampler.interrupt();
      heapSampler.join(1_000);
    }
    return f;
  }

  /** /login?u=N redirects to /whoami setting the session's cookie; /whoami echoes the cookie. */
  private static TestResponse handle(TestRequest r) throws Exception {
    if (r.path().equals("/login")) {
      String user = r.target().substring(r.target().indexOf("u=") + 2);
      return TestResponse.text(302, "")
          .withHeader("location", "/whoami")
          .withHeader("set-cookie", "sid=" + user + "; Secure; HttpOnly; Path=/");
    }
    if (r.path().equals("/whoami")) {
      return TestResponse.ok(r.header("cookie").orElse("-"));
    }
    return RequestHandler.defaults().handle(r);
  }

  private static Proxy withCredentials(String scheme, int port) {
    return Proxy.parse(scheme + "://" + PROXY_USER + ":" + PROXY_PASSWORD + "@127.0.0.1:" + port);
  }

  private static <T extends AutoCloseable> T keep(List<AutoCloseable> all, T p) {
    all.add(p);
    return p;
  }

  private static final AtomicLong SESSION_IDS = new AtomicLong();

  /** Sessions one after another: log in, then a few requests of each kind, then the next. */
  private static void crawlUntil(
      long endNanos, GuiseClient client, TestServer server, Parts parts, Figures f) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    URI base = URI.create("https://" + HOST + ":" + server.port());
    while (System.nanoTime() < endNanos) {
      long id = SESSION_IDS.incrementAndGet();
      InetAddress ip = server.addresses().get(r.nextInt(server.addresses().size()));
      Session session =
          Session.builder(client).cookieJar(parts.jars().get()).resolve(HOST, ip).build();
      f.sessions.increment();
      f.sessionRefs.add(new WeakReference<>(session));
      String login = send(session, SessionRequest.typed(base.resolve("/login?u=" + id)), f);
      String expected = "sid=" + id;
      if (login != null && !login.equals(expected)) {
        f.violation("session " + id + " saw cookie '" + login + "', not its own");
      }
      for (int i = 0, n = 3 + r.nextInt(8); i < n && System.nanoTime() < endNanos; i++) {
        int choice = r.nextInt(10);
        SessionRequest request =
            choice < 6
                ? SessionRequest.builder(
                        RequestKind.FETCH, base.resolve("/bytes/" + r.nextInt(16 * 1024)))
                    .timeout(DEADLINE)
                    .build()
                : choice < 9
                    ? SessionRequest.builder(RequestKind.FETCH, base.resolve("/whoami"))
                        .timeout(DEADLINE)
                        .build()
                    : SessionRequest.builder(RequestKind.FETCH, base.resolve("/headers"))
                        .method("POST", "soak".getBytes(StandardCharsets.UTF_8))
                        .timeout(DEADLINE)
                        .build();
        String body = send(session, request, f);
        if (choice >= 6 && choice < 9 && body != null && login != null && !body.equals(expected)) {
          f.violation("session " + id + " sent cookie '" + body + "', not its own");
        }
      }
    }
  }

  /** One request: its body text on a 2xx, null on a classified failure; counted either way. */
  private static String send(Session session, SessionRequest request, Figures f) {
    f.requests.increment();
    long start = System.nanoTime();
    String outcome = "?";
    String body = null;
    try {
      SessionResponse response = session.send(request);
      outcome = "status " + response.status();
      if (response.status() / 100 != 2) {
        f.violation("a " + response.status() + " came back instead of a classified failure");
      }
      body = response.response().bodyText();
      f.responses.increment();
    } catch (RequestFailedException e) {
      failed(f, e.kind(), e);
      outcome = e.getMessage();
    } catch (ClassifiedIOException e) {
      failed(f, e.kind(), e);
      outcome = e.getMessage();
    } catch (Exception | Error e) {
      // Counted as a failure so it is not also "lost"; the violation fails the soak.
      failed(f, FailureKind.UNKNOWN, e);
      f.violation("not a classified failure: " + e);
    }
    long took = (System.nanoTime() - start) / 1_000_000;
    f.longestRequestMillis.accumulateAndGet(took, Math::max);
    // A login follows one redirect: two hops, each with its own deadline.
    long allowed = 2 * DEADLINE.toMillis() + SLACK.toMillis();
    if (took > allowed) {
      f.violation(request.uri() + " took " + took + " ms: " + outcome);
    }
    return body;
  }

  private static void failed(Figures f, FailureKind kind, Throwable e) {
    f.failuresByKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
    if (kind == FailureKind.PROXY_UNREACHABLE || kind == FailureKind.POOL_EXHAUSTED) {
      // Every proxy resting, or no connection free, fails at once (by design); a crawler backs
      // off instead of spinning thousands of failures a second on two cores.
      try {
        Thread.sleep(50);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    f.exampleByKind.putIfAbsent(kind, String.valueOf(e.getMessage()));
    if (kind == FailureKind.UNKNOWN) {
      f.violation("UNKNOWN failure (a classification gap): " + e + " cause " + e.getCause());
    }
    if (String.valueOf(e.getMessage()).contains(PROXY_PASSWORD)) {
      f.violation("a proxy password in a failure: " + e.getMessage());
    }
  }

  /**
   * The seeded fault schedule: every 150-450 ms rules expire and new ones start on one address for
   * 0.3-3 s; every 6-10 s the server restarts; half-way one tunnel proxy is killed (its tunnels die
   * with it); and each extra step (a store's faults) runs at every tick.
   */
  static final class Chaos {
    private final TestServer server;
    private final ScriptedProxy victim;
    private final List<ChaosStep> extra;
    private final Random random;
    private final long endNanos;
    private final List<Object[]> live = new ArrayList<>(); // {rule, expiresAtNanos}
    volatile Throwable failure;
    long restarts;
    long proxiesKilled;

    Chaos(
        TestServer server,
        ScriptedProxy victim,
        List<ChaosStep> extra,
        Random random,
        long endNanos) {
      this.server = server;
      this.victim = victim;
      this.extra = extra;
      this.random = random;
      this.endNanos = endNanos;
    }

    void run() {
      long start = System.nanoTime();
      long killAt = start + (endNanos - start) / 2;
      long nextRestart = start + TimeUnit.SECONDS.toNanos(8);
      try {
        while (System.nanoTime() < endNanos) {
          long now = System.nanoTime();
          live.removeIf(
              x -> {
                if ((long) x[1] <= now) {
                  server.faults().remove((FaultRule) x[0]);
                  return true;
                }
                return false;
              });
          for (int i = 0, add = 1 + random.nextInt(3); i < add && live.size() < 6; i++) {
            InetAddress ip = server.addresses().get(random.nextInt(server.addresses().size()));
            FaultRule rule = server.faults().add(FaultScope.address(ip), randomFault());
            live.add(
                new Object[] {
                  rule, now + TimeUnit.MILLISECONDS.toNanos(300 + random.nextInt(2700))
                });
          }
          if (now >= nextRestart) {
            server.down();
            Thread.sleep(50 + random.nextInt(250));
            server.up();
            restarts++;
            nextRestart = now + TimeUnit.MILLISECONDS.toNanos(6_000 + random.nextInt(4_000));
          }
          if (proxiesKilled == 0 && now >= killAt) {
            victim.close();
            proxiesKilled++;
          }
          for (ChaosStep step : extra) {
            step.step(random);
          }
          Thread.sleep(150 + random.nextInt(300));
        }
      } catch (Throwable t) {
        failure = t;
      } finally {
        server.faults().clear();
        try {
          if (!server.isUp()) {
            server.up();
          }
          for (ChaosStep step : extra) {
            step.close();
          }
        } catch (Exception e) {
          failure = e;
        }
      }
    }

    private Fault randomFault() {
      return switch (random.nextInt(9)) {
        case 0 -> Fault.status(403);
        case 1 -> Fault.tooManyRequests(random.nextInt(2));
        case 2 -> Fault.status(List.of(500, 502, 503).get(random.nextInt(3)));
        case 3 -> Fault.reset(random.nextInt(2_000));
        case 4 -> Fault.stall();
        case 5 -> Fault.goAway();
        case 6 -> Fault.tlsAlert();
        case 7 -> Fault.idleClose(Duration.ofMillis(100 + random.nextInt(400)));
        default -> Fault.status(503).times(1 + random.nextInt(3));
      };
    }
  }

  private static Thread sampleHeap(Figures f) {
    return Thread.ofPlatform()
        .daemon()
        .name("soak-heap-sampler")
        .start(
            () -> {
              while (true) {
                f.peakHeap.accumulateAndGet(usedHeap(), Math::max);
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
  }

  private static void checkBooks(PoolStats stats, Figures f, String when) {
    for (PoolStats.IpStats s : stats.ips()) {
      if (s.opened() != s.closed() + s.open()) {
        f.violation(
            "books do not balance "
                + when
                + " for "
                + s.ip()
                + ": opened "
                + s.opened()
                + ", closed "
                + s.closed()
                + ", open "
                + s.open());
      }
    }
  }

  private static List<String> guiseThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("guise-"))
        .map(Thread::getName)
        .toList();
  }

  private static void waitFor(BooleanSupplier condition, Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(50);
    }
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, usedHeap());
    }
    return used;
  }

  private static long mib(long bytes) {
    return bytes / (1024 * 1024);
  }

  private static void report(Figures f, long seconds, long seed, long heapBefore, long heapAfter) {
    String failures =
        f.failuresByKind.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + "=" + e.getValue().sum())
            .collect(Collectors.joining(", "));
    System.out.printf(
        """
        === session + proxy chaos soak: %d s, seed %d ===
        sessions            %d (leaked after close: %d)
        requests            %d (lost: %d)
        2xx responses       %d
        failed (classified) %d: %s
        faults injected     %s (server restarts %d, proxies killed %d)
        retries             %d
        connections         opened %d, closed %d
        longest request     %d ms (deadline %d ms per hop)
        heap                before %d MiB, peak %d MiB, after close + GC %d MiB
        proxies             %s
        violations          %d
        examples            %s
        """,
        seconds,
        seed,
        f.sessions.sum(),
        f.leakedSessions,
        f.requests.sum(),
        f.lost(),
        f.responses.sum(),
        f.failures(),
        failures,
        f.faults,
        f.restarts,
        f.proxiesKilled,
        f.retries,
        f.connectionsOpened,
        f.connectionsClosed,
        f.longestRequestMillis.get(),
        DEADLINE.toMillis(),
        mib(heapBefore),
        mib(f.peakHeap.get()),
        mib(heapAfter),
        f.proxyStats,
        f.violations.size(),
        f.exampleByKind);
  }
}
