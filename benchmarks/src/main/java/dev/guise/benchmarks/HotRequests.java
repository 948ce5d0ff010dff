package dev.guise.benchmarks;

import dev.guise.benchmarks.clients.HttpSubject;
import dev.guise.benchmarks.server.ServerProcess;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Small GETs over already-open connections to the Jetty server (its own process, 64-byte bodies), 1
 * and 64 concurrent callers on virtual threads (JMH's {@code jmh.executor=VIRTUAL}), HTTP/2 and
 * HTTP/1.1. Every client verifies the certificate and keeps its connections; the set-up opens them
 * (64 parallel requests) and checks the protocol each client really negotiated. Client CPU per
 * request comes from {@link CpuPerOpProfiler}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Djmh.executor=VIRTUAL",
      "-Xms1g",
      "-Xmx1g",
      "--enable-native-access=ALL-UNNAMED",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
    })
public class HotRequests {
  @Param({
    "guise-jdk",
    "guise-bouncycastle",
    "guise-conscrypt",
    "okhttp",
    "jdk-httpclient",
    "apache",
    "jetty"
  })
  public String subject;

  @Param({"h2", "http1"})
  public String protocol;

  private ServerProcess server;
  private HttpSubject client;
  private URI uri;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    server = ServerProcess.shared("jetty");
    boolean h2 = protocol.equals("h2");
    client = HttpSubject.create(subject, h2, server, 64, 64);
    uri = URI.create("https://localhost:" + server.port() + "/hot");
    String expected = h2 ? "h2" : "http/1.1";
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> seen = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        seen.add(pool.submit(() -> client.get(uri)));
      }
      for (Future<String> f : seen) {
        String got = f.get(60, TimeUnit.SECONDS);
        if (!got.equals(expected)) {
          throw new IllegalStateException(
              subject + " negotiated " + got + ", expected " + expected);
        }
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    client.close();
    server.close();
  }

  @Benchmark
  @Threads(1)
  public String callers1() throws Exception {
    return client.get(uri);
  }

  @Benchmark
  @Threads(64)
  public String callers64() throws Exception {
    return client.get(uri);
  }
}
