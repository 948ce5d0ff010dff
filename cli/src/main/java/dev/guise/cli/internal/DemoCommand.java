package dev.guise.cli.internal;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.fingerprint.AkamaiFingerprint;
import dev.guise.fingerprint.BrowserProfile;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.Ja4;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.WarmUpSummary;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.proxy.ProxyBanTarget;
import dev.guise.pool.proxy.ProxyRouting;
import dev.guise.pool.proxy.ProxyStats;
import dev.guise.pool.stats.PoolStats;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.Fault;
import dev.guise.testkit.FaultScope;
import dev.guise.testkit.TestServer;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code guise demo}: the pool's main job against an embedded server, no network needed. The
 * testkit server listens on N loopback IPs under one host name (pinned, no DNS), with a certificate
 * from its own CA, which is the pool's only trust anchor (verification on). The pool warms up a
 * connection per IP, then sends rounds of requests spread over the IPs while faults fire, and the
 * report says how it went and whether the server saw the profile's reference fingerprint.
 */
final class DemoCommand implements Command {
  static final String HOST = "www.guise-demo.test";
  private static final String PATH = "/bytes/4096";
  private static final int CONCURRENCY = 32;

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "run the pool against an embedded many-IP server with faults, print a report";
  }

  @Override
  public String help() {
    return """
    usage: guise demo [--ips N] [--rounds N] [--no-faults] [--json] [--engine NAME] [--profile NAME]
                      [--proxies N]
           guise demo --fleet N [--redis URL] [--ips N] [--seconds N] [--rate R] [--json]

    Runs Guise's main job on an embedded server, no network needed: the testkit HTTPS server
    listens on N loopback IPs (127.0.1.1, 127.0.1.2, ...) as host %s, the pool
    warms up one connection per IP (progress on stderr), then sends rounds of requests spread
    over the IPs while faults fire: one IP answers 403 (it gets banned), one 429 with
    Retry-After 1, a few 503s, resets in the middle of a body and HTTP/2 GOAWAYs. The report
    gives warm-up time and failures, reuse rate, latency percentiles, retries, failures by kind,
    bans, and the fingerprint the server saw next to the profile's reference, field by field.

    options:
      --ips N          loopback IPs to serve and warm up (default 200)
      --rounds N       rounds of requests; each round sends one request per IP (default 3)
      --no-faults      the clean scenario: no faults injected
      --json           print the report as one JSON object instead of text
      --engine NAME    TLS engine (default: the most faithful found: bouncycastle, conscrypt, jdk)
      --profile NAME   fingerprint profile (default chrome)
      --proxies N      go out through N real SOCKS5 proxies (microsocks, started on loopback,
                       with credentials; each IP keeps to one), and report each proxy's figures
      --fleet N        N crawler processes (JVMs of their own) on the embedded server,
                       sharing bans and one rate limit through Redis; every fifth IP answers
                       403. The report gives, per process and in total: requests, bans made
                       locally and learned from the fleet, ban propagation p50/p99/max,
                       requests sent to a banned IP after its ban reached the process (must
                       be 0), and the fleet's request rate against the limit
      --redis URL      the Redis to share (redis://[:password@]host:port or rediss://...);
                       without it the demo starts redis-server on loopback (it needs the
                       redis-server package: apt-get install redis-server)
      --seconds N      how long the fleet crawls (default 10)
      --rate R         the fleet's request limit for the host, per second (default 40)
      --verbose        stack traces for errors
    """
        .formatted(HOST);
  }

  @Override
  public ArgsSpec spec() {
    return ArgsSpec.of(name())
        .value("ips")
        .value("rounds")
        .flag("no-faults")
        .flag("json")
        .value("engine")
        .value("profile")
        .value("proxies")
        .value("fleet")
        .value("redis")
        .value("seconds")
        .value("rate")
        .value("fleet-worker");
  }

  @Override
  public int run(ParsedArgs args, Io io) throws Exception {
    if (args.value("fleet-worker").isPresent()) {
      return FleetWorker.run(Path.of(args.value("fleet-worker").get()), io);
    }
    if (args.value("fleet").isPresent()) {
      return runFleet(args, io);
    }
    int ipCount = args.intValue("ips", 200, 1, 5000);
    int rounds = args.intValue("rounds", 3, 1, 1000);
    boolean faults = !args.flag("no-faults");
    int proxyCount = args.intValue("proxies", 0, 0, 16);
    Engines.Choice choice =
        Engines.choose(args.value("engine"), args.value("profile"), "chrome", args);
    long started = System.nanoTime();

    try (TestServer server =
            TestServer.builder().loopbackAddresses(ipCount).hostNames(HOST).build();
        DemoProxies demoProxies = new DemoProxies(proxyCount)) {
      server.start();
      List<InetAddress> ips = server.addresses();
      List<String> faultPlan = faults ? installFaults(server, ips) : List.of();
      io.err()
          .println(
              "guise demo: "
                  + HOST
                  + ":"
                  + server.port()
                  + " on "
                  + ipCount
                  + " loopback IPs; engine "
                  + choice.name()
                  + ", profile "
                  + choice.offer().profile()
                  + " ("
                  + choice.offer().fidelity()
                  + ")"
                  + (faults ? "" : "; no faults"));
      PoolConfig.Builder builder =
          PoolConfig.builder()
              .engine(choice.name())
              .profile(choice.offer().profile())
              .trust(server.certificateAuthority().trustPolicy())
              .timeouts(
                  t -> t.withConnect(Duration.ofSeconds(10)).withRequest(Duration.ofSeconds(20)));
      if (proxyCount > 0) {
        // The demo's 403 fault is one of the site's IPs blocking everyone, not a blocked exit: ban
        // the site IP, or one 403 would take a whole proxy off the host.
        builder.proxies(
            ProxyRouting.of(demoProxies.proxies()).withBanTarget(ProxyBanTarget.SITE_IP));
      }
      PoolConfig config = builder.build();
      try (HotConnectionPool pool = HotConnectionPool.create(config);
          GuiseClient client = new GuiseClient(pool)) {
        WarmUpSummary warmUp =
            pool.warmUp(
                HOST,
                server.port(),
                ips,
                new Progress(io.err(), io.interactive(), "warm-up").warmUpListener());

        URI url = URI.create("https://" + HOST + ":" + server.port() + PATH);
        Rounds result = runRounds(client, url, ipCount, rounds, io);
        PoolStats stats = pool.stats();
        FingerprintSeen seen = fingerprintSeen(server, choice.offer().profile());
        Report report =
            new Report(
                choice,
                ipCount,
                rounds,
                faultPlan,
                warmUp,
                result,
                stats,
                server.faults().injectedCounts(),
                seen,
                pool.proxyStats(),
                Duration.ofNanos(System.nanoTime() - started));
        io.out().print(args.flag("json") ? JsonOutput.write(report.toJson()) : report.toText());
      }
    }
    return 0;
  }

  /**
   * The faults of the default scenario, each on its own IP (indices spread so that they land on
   * distinct IPs whenever there are enough). Returns a description per fault.
   */
  private static int runFleet(ParsedArgs args, Io io) throws Exception {
    int processes = args.intValue("fleet", 2, 1, 16);
    int ips = args.intValue("ips", 20, 1, 5000);
    int seconds = args.intValue("seconds", 10, 1, 3600);
    int rate = args.intValue("rate", 40, 1, 100_000);
    Engines.Choice choice =
        Engines.choose(args.value("engine"), args.value("profile"), "chrome", args);
    return FleetDemo.run(
        new FleetDemo.Settings(
            processes,
            ips,
            Duration.ofSeconds(seconds),
            rate,
            choice.name(),
            args.value("redis").orElse(null),
            args.flag("json")),
        io);
  }

  private static List<String> installFaults(TestServer server, List<InetAddress> ips) {
    int n = ips.size();
    InetAddress blocked = ips.get(7 % n);
    InetAddress rateLimited = ips.get(13 % n);
    InetAddress unavailable = ips.get(21 % n);
    InetAddress resetting = ips.get(34 % n);
    InetAddress goingAway = ips.get(55 % n);
    server.faults().add(FaultScope.address(blocked), Fault.status(403));
    server.faults().add(FaultScope.address(rateLimited), Fault.tooManyRequests(1).times(1));
    server.faults().add(FaultScope.address(unavailable), Fault.status(503).times(3));
    server.faults().add(FaultScope.address(resetting), Fault.reset(1024).times(2));
    server.faults().add(FaultScope.address(goingAway), Fault.goAway().times(2));
    return List.of(
        "403 on " + blocked.getHostAddress() + " (always: the IP gets banned)",
        "429 Retry-After 1 on " + rateLimited.getHostAddress() + " (once)",
        "503 on " + unavailable.getHostAddress() + " (3 times)",
        "TCP reset after 1024 body bytes on " + resetting.getHostAddress() + " (2 times)",
        "GOAWAY on " + goingAway.getHostAddress() + " (2 times)");
  }

  /** What the rounds of requests gave. */
  record Rounds(
      int requests,
      int ok,
      Map<FailureKind, Integer> failedByKind,
      long[] latencyNanos,
      int ipsAnswering) {}

  /**
   * {@code rounds} rounds of {@code perRound} requests, the pool choosing the IP (round robin over
   * the allowed ones), {@value #CONCURRENCY} at a time on virtual threads.
   */
  private static Rounds runRounds(GuiseClient client, URI url, int perRound, int rounds, Io io)
      throws Exception {
    int total = perRound * rounds;
    long[] latency = new long[total];
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    Map<FailureKind, Integer> failedByKind = new ConcurrentHashMap<>();
    Set<InetAddress> answering = ConcurrentHashMap.newKeySet();
    Progress progress = new Progress(io.err(), io.interactive(), "requests");
    HttpRequest request = HttpRequest.newBuilder(url).build();
    Semaphore inFlight = new Semaphore(CONCURRENCY);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int round = 0; round < rounds; round++) {
        List<Future<?>> futures = new ArrayList<>(perRound);
        for (int i = 0; i < perRound; i++) {
          int slot = round * perRound + i;
          inFlight.acquire();
          futures.add(
              threads.submit(
                  () -> {
                    long start = System.nanoTime();
                    try {
                      HttpResponse r = client.send(request);
                      answering.add(r.endpoint().ip());
                      ok.incrementAndGet();
                    } catch (ClassifiedIOException e) {
                      failedByKind.merge(e.kind(), 1, Integer::sum);
                      failed.incrementAndGet();
                    } finally {
                      latency[slot] = System.nanoTime() - start;
                      inFlight.release();
                      progress.update(done.incrementAndGet(), total, failed.get());
                    }
                    return null;
                  }));
        }
        // Rounds are sequential: each round starts once the last one is answered.
        for (Future<?> f : futures) {
          f.get();
        }
      }
    }
    return new Rounds(total, ok.get(), failedByKind, latency, answering.size());
  }

  /** The connections the server recorded, checked against the profile's reference. */
  record FingerprintSeen(
      FingerprintCheck check, long connections, long matching, long recordIndex) {}

  private static FingerprintSeen fingerprintSeen(TestServer server, String profile) {
    String ja4Expected = null;
    String akamaiExpected = null;
    // A connection that resumed with a ticket (as the browser does after its first) sends the
    // browser's resumed hello, whose JA4 is the resumed capture's, not the first connection's.
    String resumedJa4Expected = null;
    Optional<BrowserProfile> reference = reference(profile);
    if (reference.isPresent()) {
      ja4Expected = reference.get().expectedJa4();
      akamaiExpected = reference.get().expectedAkamai();
      resumedJa4Expected =
          reference.get().resumedReferenceHello().map(h -> Ja4.of(h).ja4()).orElse(null);
    }
    List<ConnectionRecord> records = server.connections();
    ConnectionRecord shown = null;
    long index = 0;
    long matching = 0;
    for (int i = 0; i < records.size(); i++) {
      ConnectionRecord r = records.get(i);
      String ja4 = r.ja4().map(Ja4::ja4).orElse(null);
      String akamai = r.akamaiFingerprint().map(AkamaiFingerprint::value).orElse(null);
      boolean resumed =
          r.clientHello().map(h -> h.hasExtension(ClientHello.EXT_PRE_SHARED_KEY)).orElse(false);
      if (ja4 != null
          && ja4.equals(resumed ? resumedJa4Expected : ja4Expected)
          && akamai != null
          && akamai.equals(akamaiExpected)) {
        matching++;
      }
      if (shown == null && ja4 != null && akamai != null) {
        shown = r;
        index = i + 1;
      }
    }
    if (shown == null && !records.isEmpty()) {
      shown = records.get(0);
      index = 1;
    }
    String ja4 = shown == null ? null : shown.ja4().map(Ja4::ja4).orElse(null);
    String akamai =
        shown == null ? null : shown.akamaiFingerprint().map(AkamaiFingerprint::value).orElse(null);
    return new FingerprintSeen(
        new FingerprintCheck(profile, ja4, ja4Expected, akamai, akamaiExpected),
        records.size(),
        matching,
        index);
  }

  private static Optional<BrowserProfile> reference(String profile) {
    try {
      return Optional.of(BrowserProfiles.get(profile));
    } catch (IllegalArgumentException e) {
      return Optional
          .empty(); // an engine's own profile (jdk-default, ...) has no browser reference
    }
  }

  /** Latency percentiles in milliseconds (nearest rank). */
  static Map<String, Double> percentiles(long[] nanos) {
    long[] sorted = Arrays.copyOf(nanos, nanos.length);
    Arrays.sort(sorted);
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("p50", rank(sorted, 0.50));
    out.put("p90", rank(sorted, 0.90));
    out.put("p99", rank(sorted, 0.99));
    out.put("max", sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    return out;
  }

  private static double rank(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[NearestRank.index(sorted.length, p)] / 1e6;
  }

  /** Everything the report says, as text or JSON. */
  record Report(
      Engines.Choice choice,
      int ips,
      int rounds,
      List<String> faults,
      WarmUpSummary warmUp,
      Rounds result,
      PoolStats stats,
      Map<Fault.Kind, Long> injected,
      FingerprintSeen seen,
      List<ProxyStats> proxies,
      Duration took) {

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("host", HOST);
      m.put("engine", choice.name());
      m.put("profile", choice.offer().profile());
      m.put("fidelity", choice.offer().fidelity().name());
      m.put("ips", ips);
      m.put("rounds", rounds);
      List<Map<String, Object>> perProxy = new ArrayList<>();
      for (ProxyStats p : proxies) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("proxy", p.proxy().toString());
        one.put("tunnels", p.tunnels());
        one.put("failures", p.failures());
        one.put("mean_connect_ms", p.meanConnectTime().toNanos() / 1e6);
        one.put("resting", p.restingUntil().isPresent());
        perProxy.add(one);
      }
      m.put("proxies", perProxy);
      m.put("faults", faults);
      m.put("warmup_ms", warmUp.took().toNanos() / 1e6);
      m.put("warmup_ready", warmUp.ready());
      m.put("warmup_failures", warmUp.failed());
      m.put("warmup_failures_by_kind", byName(warmUp.failuresByKind()));
      m.put("requests", result.requests());
      m.put("requests_ok", result.ok());
      m.put("requests_failed", result.requests() - result.ok());
      m.put("requests_failed_by_kind", byName(result.failedByKind()));
      m.put("ips_answering", result.ipsAnswering());
      m.put("reuse_rate", stats.reuseRate());
      m.put("handshakes", stats.handshakes());
      m.put("latency_ms", percentiles(result.latencyNanos()));
      m.put("retries", stats.retries());
      m.put("retried_requests", stats.retriedRequests());
      m.put("retried_requests_succeeded", stats.retriedRequestsSucceeded());
      m.put("failures_by_kind", byName(stats.failuresByKind()));
      m.put("bans", stats.bansStarted());
      List<Object> banned = new ArrayList<>();
      for (PoolStats.ActiveBan b : stats.activeBans()) {
        Map<String, Object> bm = new LinkedHashMap<>();
        bm.put("ip", b.ip().getHostAddress());
        bm.put("reason", b.reason());
        banned.add(bm);
      }
      m.put("banned_ips", banned);
      m.put("faults_injected", byName(injectedOnly()));
      Map<String, Object> fp = seen.check().toJson();
      fp.put("connections_checked", seen.connections());
      fp.put("connections_matching", seen.matching());
      m.put("fingerprint", fp);
      m.put("took_ms", took.toNanos() / 1e6);
      return m;
    }

    private Map<Fault.Kind, Long> injectedOnly() {
      Map<Fault.Kind, Long> out = new EnumMap<>(Fault.Kind.class);
      injected.forEach(
          (k, v) -> {
            if (v > 0) {
              out.put(k, v);
            }
          });
      return out;
    }

    private static Map<String, Object> byName(Map<? extends Enum<?>, ? extends Number> counts) {
      Map<String, Object> out = new TreeMap<>();
      counts.forEach(
          (k, v) -> {
            if (v.longValue() > 0) {
              out.put(k.name(), v.longValue());
            }
          });
      return out;
    }

    String toText() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              "Guise demo: %s on %d loopback IPs, engine %s, profile %s (%s)%n",
              HOST, ips, choice.name(), choice.offer().profile(), choice.offer().fidelity()));
      if (faults.isEmpty()) {
        sb.append("faults:        none (--no-faults)\n");
      } else {
        sb.append("faults:        ").append(faults.get(0)).append('\n');
        for (int i = 1; i < faults.size(); i++) {
          sb.append("               ").append(faults.get(i)).append('\n');
        }
      }
      sb.append('\n');
      row(
          sb,
          "warm-up",
          String.format(
              "%d IPs in %s: %d ready, %d failed%s",
              warmUp.ips(),
              millis(warmUp.took().toNanos() / 1e6),
              warmUp.ready(),
              warmUp.failed(),
              kinds(byName(warmUp.failuresByKind()))));
      row(
          sb,
          "requests",
          String.format(
              "%d in %d rounds: %d ok, %d failed%s; %d IPs answered",
              result.requests(),
              rounds,
              result.ok(),
              result.requests() - result.ok(),
              kinds(byName(result.failedByKind())),
              result.ipsAnswering()));
      for (ProxyStats ps : proxies) {
        row(
            sb,
            "proxy",
            String.format(
                "%s: %d tunnels, %d failed, mean connect %s%s",
                ps.proxy(),
                ps.tunnels(),
                ps.failures(),
                millis(ps.meanConnectTime().toNanos() / 1e6),
                ps.restingUntil().isPresent() ? ", resting" : ""));
      }
      row(
          sb,
          "reuse rate",
          String.format(
              "%.1f %% of requests on a warm connection (%d handshakes in all)",
              stats.reuseRate() * 100, stats.handshakes()));
      Map<String, Double> p = percentiles(result.latencyNanos());
      row(
          sb,
          "latency",
          String.format(
              "p50 %s   p90 %s   p99 %s   max %s",
              millis(p.get("p50")),
              millis(p.get("p90")),
              millis(p.get("p99")),
              millis(p.get("max"))));
      row(
          sb,
          "retries",
          String.format(
              "%d (%d requests retried, %d of them then succeeded)",
              stats.retries(), stats.retriedRequests(), stats.retriedRequestsSucceeded()));
      Map<String, Object> failures = byName(stats.failuresByKind());
      row(
          sb,
          "failures",
          failures.isEmpty()
              ? "none"
              : String.join(
                      ", ",
                      failures.entrySet().stream()
                          .map(e -> e.getKey() + " " + e.getValue())
                          .toList())
                  + "  (attempts, before retries)");
      StringBuilder bans = new StringBuilder().append(stats.bansStarted());
      for (PoolStats.ActiveBan b : stats.activeBans()) {
        bans.append(bans.length() == 1 ? ": " : ", ")
            .append(b.ip().getHostAddress())
            .append(" (")
            .append(b.reason())
            .append(')');
      }
      row(sb, "bans", bans.toString());
      Map<String, Object> inj = byName(injectedOnly());
      row(
          sb,
          "server faults",
          inj.isEmpty()
              ? "none injected"
              : String.join(
                  ", ",
                  inj.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
      row(sb, "took", millis(took.toNanos() / 1e6));

      FingerprintCheck check = seen.check();
      sb.append('\n');
      sb.append(
          String.format(
              "fingerprint the server saw (connection %d of %d; %d of %d match the reference)%n",
              seen.recordIndex(), seen.connections(), seen.matching(), seen.connections()));
      int width = 0;
      for (FingerprintCheck.Field f : check.fields()) {
        width = Math.max(width, String.valueOf(f.seen()).length());
      }
      for (FingerprintCheck.Field f : check.fields()) {
        boolean whole = f.key().equals("ja4") || f.key().equals("akamai");
        String label = whole ? f.label() : "  " + f.label();
        String result = f.expected() == null ? "no reference" : f.match() ? "match" : "MISMATCH";
        sb.append(
            String.format(
                "  %-36s %-" + width + "s  %s%n",
                label,
                f.seen() == null ? "-" : f.seen(),
                result));
        if (f.expected() != null && !f.match()) {
          sb.append(String.format("  %-36s %s%n", "    expected", f.expected()));
        }
      }
      sb.append(
          String.format(
              "  reference for %s: JA4 %s, Akamai %s%n",
              check.profile(),
              check.ja4Expected() == null ? "-" : check.ja4Expected(),
              check.akamaiExpected() == null ? "-" : check.akamaiExpected()));
      sb.append("  result: ")
          .append(
              check.match()
                  ? "FULL MATCH"
                  : check.ja4Expected() == null
                      ? "no browser reference for profile " + check.profile()
                      : "MISMATCH")
          .append('\n');
      return sb.toString();
    }

    private static void row(StringBuilder sb, String name, String value) {
      sb.append(String.format("%-14s %s%n", name, value));
    }

    private static String kinds(Map<String, Object> byKind) {
      if (byKind.isEmpty()) {
        return "";
      }
      return " ("
          + String.join(
              ", ", byKind.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList())
          + ")";
    }

    private static String millis(double ms) {
      return ms >= 1000 ? String.format("%.2f s", ms / 1000) : String.format("%.1f ms", ms);
    }
  }
}
