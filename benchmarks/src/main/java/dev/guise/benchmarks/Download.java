package dev.guise.benchmarks;

import dev.guise.benchmarks.clients.HttpSubject;
import dev.guise.benchmarks.server.BenchServer;
import dev.guise.benchmarks.server.Pages;
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
 * Pages downloaded over already-open connections to the Jetty server: HTML of 16 KiB, 128 KiB and 1
 * MiB decoded ({@link Pages}), sent gzip or br, over HTTP/2 and HTTP/1.1, by 1 and 16 callers on
 * virtual threads. Every client decodes every body with the same decoder (see {@code Decoding});
 * the operation ends when the whole page is decoded. JMH counts pages per second; the report turns
 * that into MiB/s of decoded content and client CPU per MiB ({@code Results.fromJmh}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 3, time = 4)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Djmh.executor=VIRTUAL",
      "-Xms1g",
      "-Xmx1g",
      "--enable-native-access=ALL-UNNAMED",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
    })
public class Download {
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

  @Param({"16KiB", "128KiB", "1MiB"})
  public String page;

  @Param({"gzip", "br"})
  public String coding;

  private ServerProcess server;
  private HttpSubject client;
  private URI uri;
  private int size;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    server = ServerProcess.shared("jetty");
    boolean h2 = protocol.equals("h2");
    client = HttpSubject.create(subject, h2, server, 16, 16);
    size = Pages.SIZES.get(page);
    uri =
        URI.create(
            "https://localhost:" + server.port() + BenchServer.PAGE_PATH + page + "." + coding);
    URI hot = URI.create("https://localhost:" + server.port() + "/hot");
    String expected = h2 ? "h2" : "http/1.1";
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> seen = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        seen.add(pool.submit(() -> client.get(hot)));
      }
      for (Future<String> f : seen) {
        String got = f.get(60, TimeUnit.SECONDS);
        if (!got.equals(expected)) {
          throw new IllegalStateException(
              subject + " negotiated " + got + ", expected " + expected);
        }
      }
    }
    int got = client.download(uri, coding);
    if (got != size) {
      throw new IllegalStateException(subject + " decoded " + got + " bytes, not " + size);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    client.close();
    server.close();
  }

  private int download() throws Exception {
    int got = client.download(uri, coding);
    if (got != size) {
      throw new IllegalStateException(subject + " decoded " + got + " bytes, not " + size);
    }
    return got;
  }

  @Benchmark
  @Threads(1)
  public int callers1() throws Exception {
    return download();
  }

  @Benchmark
  @Threads(16)
  public int callers16() throws Exception {
    return download();
  }
}
