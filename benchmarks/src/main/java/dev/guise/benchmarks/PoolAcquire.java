package dev.guise.benchmarks;

import dev.guise.api.TrustPolicy;
import dev.guise.benchmarks.server.ServerProcess;
import dev.guise.pool.ConnectionLease;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.config.PoolConfig;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.ModalCloseable;
import org.apache.hc.core5.pool.LaxConnPool;
import org.apache.hc.core5.pool.ManagedConnPool;
import org.apache.hc.core5.pool.PoolEntry;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.pool.StrictConnPool;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Pool overhead alone: lease a connection and give it back, no I/O. Guise: {@code
 * HotConnectionPool.connectionToIp} + {@code ConnectionLease.close()} over 64 pre-opened HTTP/1.1
 * connections (exclusive leases, like httpcore's entries). Apache HttpCore 5: {@code
 * StrictConnPool} / {@code LaxConnPool} {@code lease(route, null).get()} + {@code release(entry,
 * true)} over 64 entries holding a no-op connection. 1, 2 and 64 platform threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class PoolAcquire {
  private static final int CONNECTIONS = 64;
  private static final String ROUTE = "https://localhost:443";

  @Param({"guise", "httpcore-strict", "httpcore-lax"})
  public String subject;

  private ServerProcess server;
  private HotConnectionPool guise;
  private URI url;
  private InetAddress ip;
  private ManagedConnPool<String, NoopConnection> httpcore;

  /** A connection that does nothing: httpcore pools only need something to close. */
  static final class NoopConnection implements ModalCloseable {
    @Override
    public void close(CloseMode mode) {}

    @Override
    public void close() {}
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    switch (subject) {
      case "guise" -> {
        server = ServerProcess.shared("jetty");
        guise =
            HotConnectionPool.create(
                PoolConfig.builder()
                    .engine("jdk")
                    .alpn(List.of("http/1.1"))
                    .trust(TrustPolicy.onlyAnchors(List.of(server.ca())))
                    .limits(
                        l ->
                            l.withMaxConnectionsPerIp(CONNECTIONS)
                                .withMaxConnectionsPerHost(CONNECTIONS))
                    .build());
        url = URI.create("https://localhost:" + server.port() + "/");
        ip = InetAddress.getByName("127.0.0.1");
        List<ConnectionLease> held = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
          held.add(guise.connectionToIp(url, ip));
        }
        for (ConnectionLease l : held) {
          l.close();
        }
      }
      case "httpcore-strict" ->
          httpcore =
              new StrictConnPool<>(
                  CONNECTIONS,
                  CONNECTIONS,
                  TimeValue.NEG_ONE_MILLISECOND,
                  PoolReusePolicy.LIFO,
                  null);
      case "httpcore-lax" ->
          httpcore =
              new LaxConnPool<>(
                  CONNECTIONS, TimeValue.NEG_ONE_MILLISECOND, PoolReusePolicy.LIFO, null);
      default -> throw new IllegalArgumentException(subject);
    }
    if (httpcore != null) {
      List<PoolEntry<String, NoopConnection>> held = new ArrayList<>();
      for (int i = 0; i < CONNECTIONS; i++) {
        PoolEntry<String, NoopConnection> e =
            httpcore.lease(ROUTE, null, Timeout.ofSeconds(10), null).get();
        e.assignConnection(new NoopConnection());
        held.add(e);
      }
      for (var e : held) {
        httpcore.release(e, true);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (guise != null) {
      guise.close();
      server.close();
    }
    if (httpcore != null) {
      httpcore.close(CloseMode.IMMEDIATE);
    }
  }

  private Object leaseAndRelease() throws Exception {
    if (guise != null) {
      ConnectionLease lease = guise.connectionToIp(url, ip);
      lease.close();
      return lease;
    }
    PoolEntry<String, NoopConnection> e =
        httpcore.lease(ROUTE, null, Timeout.ofSeconds(10), null).get();
    if (!e.hasConnection()) {
      e.assignConnection(new NoopConnection());
    }
    httpcore.release(e, true);
    return e;
  }

  @Benchmark
  @Threads(1)
  public Object threads1() throws Exception {
    return leaseAndRelease();
  }

  @Benchmark
  @Threads(2)
  public Object threads2() throws Exception {
    return leaseAndRelease();
  }

  @Benchmark
  @Threads(64)
  public Object threads64() throws Exception {
    return leaseAndRelease();
  }
}
