package dev.guise.benchmarks;

import dev.guise.api.TrustPolicy;
import dev.guise.api.spi.Providers;
import dev.guise.benchmarks.clients.HttpSubject;
import dev.guise.benchmarks.server.ServerProcess;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.WarmUpSummary;
import dev.guise.pool.config.PoolConfig;
import dev.guise.testkit.TestServer;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Warm-up of 1,000 loopback IPs (the testkit server on 127.0.1.1 ... 127.0.4.250, its own process):
 * wall time until every IP has an open, validated connection. Guise: {@code
 * HotConnectionPool.warmUp} with the {@code head-path} validator (a HEAD / on each new connection),
 * 32 at once (its default). Peers: a HEAD to {@code https://<ip>:port/} per IP through their own
 * pool, 32 at once on virtual threads; the connection stays in their pool. One shot per
 * measurement, a fresh client each time.
 *
 * <p>TLS resumption: Guise resumes by default, keyed as a browser keys it (host name and port, so a
 * ticket from one IP is offered to the next), and warm-up paces its connections by the tickets they
 * bring in: the first IP's connection handshakes in full, and each worker's next connection resumes
 * with a ticket an earlier one received. This server sends two tickets per handshake, as OpenSSL
 * and BoringSSL do (before the ninth session it sent none, so no warm-up here resumed). The engine
 * keeps two tickets per host, as Chromium does, so not every connection finds one when many start
 * at once. {@code guise-bouncycastle-noresume} is the same pool with resumption off, every
 * handshake full: the pair shows what resuming does to warm-up. The peers all use the JDK's TLS
 * (JSSE; OkHttp through the JDK's socket factory here, Jetty through its {@code SslContextFactory},
 * Apache and the JDK client with an {@code SSLContext}), whose client session cache resumes per
 * peer host and port: each of their requests names its IP ({@code https://<ip>:port/}), a host of
 * its own, so no peer connection resumes in this benchmark. (A browser warming up IPs of one host
 * would resume, as Guise does.)
 *
 * <p>Six warm-up shots before five measured ones: each shot is a fresh client in a JVM that keeps
 * compiling the handshake code for the first five or so (measured: 8.8, 4.6, 3.6, 3.4, 2.3, 2.7 s,
 * then 2.0 to 2.5 s).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 6)
@Measurement(iterations = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xms2g",
      "-Xmx2g",
      "--enable-native-access=ALL-UNNAMED",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=error"
    })
public class WarmUp {
  static final int PARALLELISM = 32;

  /** A Guise subject with resumption off: every warm-up handshake full. */
  static final String NO_RESUMPTION = "-noresume";

  @Param({
    "guise-jdk",
    "guise-bouncycastle",
    "guise-bouncycastle" + NO_RESUMPTION,
    "okhttp",
    "jdk-httpclient",
    "apache",
    "jetty"
  })
  public String subject;

  @Param({"1000"})
  public int ips;

  /**
   * TLS 1.3 tickets the server sends per handshake: two, as OpenSSL and BoringSSL do (the JDK's
   * default is one); the runner starts this server once for every subject.
   */
  @Param({"2"})
  public int tickets;

  /** The server argument for the default {@link #tickets}. */
  static final String SERVER_TICKETS = ServerProcess.TICKETS + 2;

  private ServerProcess server;
  private List<InetAddress> addresses;
  private HotConnectionPool guise;
  private HttpSubject peer;

  @Setup(Level.Trial)
  public void startServer() throws Exception {
    server = ServerProcess.shared("testkit", "1000", ServerProcess.TICKETS + tickets);
    addresses = TestServer.loopbackAddresses(ips);
  }

  /** Shares {@code other}'s server instead of starting one ({@link WarmUpRounds}). */
  void useServerOf(WarmUp other) {
    server = other.server;
    addresses = other.addresses;
  }

  /** The server's process id ({@link WarmUpRounds} reads its CPU time). */
  long serverPid() {
    return server.pid();
  }

  @TearDown(Level.Trial)
  public void stopServer() {
    server.close();
  }

  @Setup(Level.Invocation)
  public void newClient() throws Exception {
    if (subject.startsWith("guise-")) {
      boolean resumption = !subject.endsWith(NO_RESUMPTION);
      String engine =
          subject.substring(
              "guise-".length(), subject.length() - (resumption ? 0 : NO_RESUMPTION.length()));
      guise =
          HotConnectionPool.create(
              PoolConfig.builder()
                  .engine(engine)
                  .tlsResumption(resumption)
                  .trust(TrustPolicy.onlyAnchors(List.of(server.ca())))
                  .validator(Providers.connectionValidator("head-path"))
                  .limits(l -> l.withWarmUpParallelism(PARALLELISM))
                  .timeouts(t -> t.withConnect(Duration.ofSeconds(20)))
                  .build());
    } else {
      peer = HttpSubject.create(subject, true, server, 1, ips);
    }
  }

  @TearDown(Level.Invocation)
  public void closeClient() throws Exception {
    if (guise != null) {
      guise.close();
      guise = null;
    }
    if (peer != null) {
      peer.close();
      peer = null;
    }
  }

  @Benchmark
  public int warmUp() throws Exception {
    if (guise != null) {
      WarmUpSummary s =
          guise.warmUp("localhost", server.port(), addresses, (ip, failure, done, total) -> {});
      if (s.ready() != ips) {
        throw new IllegalStateException("Guise warmed " + s.ready() + " of " + ips + ": " + s);
      }
      return s.ready();
    }
    Semaphore permits = new Semaphore(PARALLELISM);
    List<Future<Integer>> done = new ArrayList<>(ips);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (InetAddress ip : addresses) {
        permits.acquire();
        URI uri = URI.create("https://" + ip.getHostAddress() + ":" + server.port() + "/");
        done.add(
            pool.submit(
                () -> {
                  try {
                    return peer.head(uri);
                  } finally {
                    permits.release();
                  }
                }));
      }
      int ok = 0;
      for (Future<Integer> f : done) {
        if (f.get(60, TimeUnit.SECONDS) == 200) {
          ok++;
        }
      }
      if (ok != ips) {
        throw new IllegalStateException(subject + " warmed " + ok + " of " + ips);
      }
      return ok;
    }
  }
}
