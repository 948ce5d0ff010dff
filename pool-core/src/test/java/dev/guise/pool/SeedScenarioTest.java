package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.spi.Providers;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.stats.PoolStats;
import dev.guise.testkit.TestServer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The crawler's job, on loopback: warm up validated connections to 1,000 IPs of one host (one
 * server listening on 127.0.1.1 ... 127.0.4.250), then rounds of requests across all of them. Reuse
 * must be at least 99.9% and warm-up failures at most 0.1%. The same scenario runs as a benchmark,
 * with its timings, in the benchmarks module.
 */
class SeedScenarioTest {
  private static final String HOST = "www.seed.test";

  @Test
  void thousandIpsWarmUpAndServeRoundsOverWarmConnections() throws Exception {
    try (TestServer server =
            TestServer.builder().loopbackAddresses(1000).hostNames(HOST).build().start();
        HotConnectionPool pool =
            HotConnectionPool.create(
                PoolConfig.builder()
                    .engine("jdk")
                    .trust(server.certificateAuthority().trustPolicy())
                    .validator(Providers.connectionValidator("head-path"))
                    .limits(l -> l.withWarmUpParallelism(64).withMaxConnectionsPerHost(2000))
                    .build());
        GuiseClient client = new GuiseClient(pool)) {
      WarmUpSummary warm =
          pool.warmUp(HOST, server.port(), server.addresses(), WarmUpProgress.NONE);
      assertTrue(warm.failureRate() <= 0.001, "warm-up failures: " + warm);
      System.out.printf(
          "seed scenario: warm-up of %d IPs in %d ms, %d failed%n",
          warm.ips(), warm.took().toMillis(), warm.failed());

      List<InetAddress> ips = server.addresses();
      long start = System.nanoTime();
      try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int round = 0; round < 3; round++) {
          List<Future<HttpResponse>> futures = new ArrayList<>(ips.size());
          for (InetAddress ip : ips) {
            futures.add(
                exec.submit(
                    () ->
                        client.send(
                            HttpRequest.get("https://" + HOST + ":" + server.port() + "/item"),
                            ip)));
          }
          for (Future<HttpResponse> f : futures) {
            assertEquals(200, f.get(60, TimeUnit.SECONDS).status());
          }
        }
      }
      long roundsMs = (System.nanoTime() - start) / 1_000_000;
      PoolStats stats = pool.stats();
      System.out.printf(
          "seed scenario: 3 rounds x %d IPs in %d ms, reuse %.4f, %d handshakes%n",
          ips.size(), roundsMs, stats.reuseRate(), stats.handshakes());
      assertEquals(3000, stats.requests());
      assertTrue(stats.reuseRate() >= 0.999, "reuse rate " + stats.reuseRate());
      for (PoolStats.IpStats s : stats.ips()) {
        assertEquals(s.opened(), s.closed() + s.open(), "books of " + s.ip());
      }
    }
  }
}
