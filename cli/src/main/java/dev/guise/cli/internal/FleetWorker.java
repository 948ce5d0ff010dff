package dev.guise.cli.internal;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.RequestFailedException;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.fleet.Ban;
import dev.guise.pool.fleet.BanKey;
import dev.guise.pool.fleet.FleetStore;
import dev.guise.pool.fleet.FleetStore.Origin;
import dev.guise.pool.fleet.RateLimit;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.stats.PoolEventListener;
import dev.guise.redis.RedisFleetStore;
import dev.guise.redis.RedisSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One crawler process of {@code guise demo --fleet} ({@code guise demo --fleet-worker FILE}): a
 * pool on the fleet's Redis store crawling the parent's testkit server. It says {@code ready} on
 * stdout, waits for the epoch millisecond to start at on stdin, crawls for the window, then prints
 * its figures as one JSON line.
 */
final class FleetWorker {
  private static final int CONCURRENCY = 4;

  /** What the parent hands a worker, as a properties file. */
  record Plan(
      int index,
      String redis,
      String prefix,
      String host,
      int port,
      Path certificate,
      List<InetAddress> ips,
      String engine,
      double ratePerSecond,
      int burst,
      Duration window) {

    void write(Path file) throws IOException {
      Properties p = new Properties();
      p.setProperty("index", Integer.toString(index));
      p.setProperty("redis", redis);
      p.setProperty("prefix", prefix);
      p.setProperty("host", host);
      p.setProperty("port", Integer.toString(port));
      p.setProperty("certificate", certificate.toString());
      p.setProperty(
          "ips", String.join(",", ips.stream().map(InetAddress::getHostAddress).toList()));
      p.setProperty("engine", engine);
      p.setProperty("rate", Double.toString(ratePerSecond));
      p.setProperty("burst", Integer.toString(burst));
      p.setProperty("window_ms", Long.toString(window.toMillis()));
      try (var out = Files.newOutputStream(file)) {
        p.store(out, "guise demo --fleet worker");
      }
    }

    static Plan read(Path file) throws IOException {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      }
      List<InetAddress> ips = new ArrayList<>();
      for (String ip : p.getProperty("ips").split(",")) {
        ips.add(IpLiterals.parse(ip).orElseThrow());
      }
      return new Plan(
          Integer.parseInt(p.getProperty("index")),
          p.getProperty("redis"),
          p.getProperty("prefix"),
          p.getProperty("host"),
          Integer.parseInt(p.getProperty("port")),
          Path.of(p.getProperty("certificate")),
          ips,
          p.getProperty("engine"),
          Double.parseDouble(p.getProperty("rate")),
          Integer.parseInt(p.getProperty("burst")),
          Duration.ofMillis(Long.parseLong(p.getProperty("window_ms"))));
    }
  }

  private FleetWorker() {}

  static int run(Path planFile, Io io) throws Exception {
    Plan plan = Plan.read(planFile);
    X509Certificate ca;
    try (InputStream in = Files.newInputStream(plan.certificate())) {
      ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    Figures figures = new Figures();
    try (RedisFleetStore store =
            RedisFleetStore.open(
                RedisSettings.builder(plan.redis()).keyPrefix(plan.prefix()).build());
        HotConnectionPool pool =
            HotConnectionPool.create(
                PoolConfig.builder()
                    .engine(plan.engine())
                    .trust(TrustPolicy.onlyAnchors(List.of(ca)))
                    .fleetStore(store)
                    .rateLimit(plan.host(), new RateLimit(plan.ratePerSecond(), plan.burst()))
                    // Every attempt that got an answer, a 403 retried elsewhere included.
                    .eventListener(figures)
                    .build());
        GuiseClient client = new GuiseClient(pool)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (store.reconciliations() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      // Added after the pool's own listener, so when it runs the pool's copy holds the ban.
      store.addListener(figures);
      // Warm up as a crawler does: a connection per IP before the first request.
      pool.warmUp(plan.host(), plan.port(), plan.ips(), (ip, failure, done, total) -> {});
      PrintStream out = io.out();
      out.println("ready");
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String start = in.readLine();
      if (start == null) {
        return 1;
      }
      Thread.sleep(Math.max(0, Long.parseLong(start.strip()) - System.currentTimeMillis()));
      crawl(client, plan, figures);
      out.println(JSON.std.asString(figures.report(plan.index(), store.connected())));
      out.flush();
      return 0;
    }
  }

  private static void crawl(GuiseClient client, Plan plan, Figures figures)
      throws InterruptedException {
    String url = "https://" + plan.host() + ":" + plan.port() + "/bytes/512";
    long end = System.nanoTime() + plan.window().toNanos();
    AtomicBoolean over = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < CONCURRENCY; t++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (!over.get() && System.nanoTime() < end) {
                      long started = System.nanoTime();
                      figures.requestStarted(started);
                      try {
                        client.send(
                            HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofNanos(Math.max(1, end - started)))
                                .build());
                        figures.answered();
                      } catch (IOException e) {
                        figures.failed(e);
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join(plan.window().plusSeconds(30));
    }
    over.set(true);
  }

  /**
   * What one worker saw, filled by the crawl threads, the pool's events (each answered attempt) and
   * the store's notices.
   */
  private static final class Figures implements FleetStore.Listener, PoolEventListener {
    final AtomicLong ok = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong toBannedAfterSeen = new AtomicLong();
    // When the calling crawl thread's current request began (nanoTime).
    private final ThreadLocal<Long> requestStarted = new ThreadLocal<>();
    final Set<String> local = ConcurrentHashMap.newKeySet();
    final Map<String, Long> seenNanos = new ConcurrentHashMap<>();
    final List<Long> propagationMs = new ArrayList<>();
    final Map<String, Long> failedByKind = new ConcurrentHashMap<>();
    final AtomicReference<String> firstFailure = new AtomicReference<>();

    @Override
    public void banned(Ban ban, Origin origin) {
      String id = ban.key().id();
      if (origin == Origin.LOCAL) {
        local.add(id);
        seenNanos.putIfAbsent(id, System.nanoTime());
      } else if (!local.contains(id) && seenNanos.putIfAbsent(id, System.nanoTime()) == null) {
        // Another process's ban, heard first from the fleet: how long it took to get here.
        long ms = System.currentTimeMillis() - ban.at().toEpochMilli();
        synchronized (propagationMs) {
          propagationMs.add(Math.max(0, ms));
        }
      }
    }

    void failed(IOException e) {
      failed.incrementAndGet();
      String kind = e instanceof RequestFailedException f ? f.failure().kind().name() : "IO_ERROR";
      failedByKind.merge(kind, 1L, Long::sum);
      if (e instanceof RequestFailedException f) {
        firstFailure.compareAndSet(null, f.failure().message());
      }
    }

    void answered() {
      ok.incrementAndGet();
    }

    /** The crawl thread's request begins: its attempts are judged against this moment. */
    void requestStarted(long nanos) {
      requestStarted.set(nanos);
    }

    @Override
    public void requestCompleted(
        TlsEndpoint endpoint, int status, Duration took, boolean reusedConnection) {
      // Each attempt the server answered, the final one or a 403 the pool retried on another IP,
      // heard on the crawl thread that sends it: if the request began after this process knew of
      // the IP's ban, the pool should not have used the IP. (Not now minus took: the pool applies
      // a 403's ban before it reports the attempt, so that estimate lands after the ban.)
      Long started = requestStarted.get();
      Long seen = seenNanos.get(BanKey.ofIp(endpoint.host(), endpoint.port(), endpoint.ip()).id());
      if (started != null && seen != null && seen < started) {
        toBannedAfterSeen.incrementAndGet();
      }
    }

    Map<String, Object> report(int index, boolean redisConnected) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("process", index);
      m.put("requests", ok.get() + failed.get());
      m.put("ok", ok.get());
      m.put("failed", failed.get());
      m.put("failed_by_kind", new TreeMap<>(failedByKind));
      m.put("first_failure", firstFailure.get());
      m.put("bans_local", local.size());
      synchronized (propagationMs) {
        m.put("bans_from_fleet", propagationMs.size());
        m.put("ban_propagation_samples_ms", List.copyOf(propagationMs));
      }
      m.put("requests_to_banned_after_propagation", toBannedAfterSeen.get());
      m.put("redis_connected", redisConnected);
      return m;
    }
  }
}
