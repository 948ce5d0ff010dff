package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.spi.Providers;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyStats;
import dev.guise.pool.stats.PoolStats;
import dev.guise.testing.SocksProxy;
import dev.guise.testkit.TestServer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link SeedScenarioTest}'s job through two real SOCKS5 proxies (microsocks, with credentials):
 * warm up validated connections to 1,000 IPs, then rounds of requests across all of them. The
 * default choice keeps each IP on one proxy, so the tunnels warmed up are the ones reused: reuse at
 * least 99.9 %, no warm-up failure, and both proxies carry a share.
 */
class ProxySeedScenarioTest {
  private static final String HOST = "www.seed.test";

  @Test
  void thousandIpsThroughTwoProxiesWarmUpAndServeRoundsOverWarmTunnels() throws Exception {
    try (TestServer server =
            TestServer.builder().loopbackAddresses(1000).hostNames(HOST).build().start();
        SocksProxy a = SocksProxy.start("seed", "seed-secret");
        SocksProxy b = SocksProxy.start("seed", "seed-secret");
        HotConnectionPool pool =
            HotConnectionPool.create(
                PoolConfig.builder()
                    .engine("jdk")
                    .trust(server.certificateAuthority().trustPolicy())
                    .validator(Providers.connectionValidator("head-path"))
                    .limits(l -> l.withWarmUpParallelism(64).withMaxConnectionsPerHost(2000))
                    .proxies(
                        List.of(
                            Proxy.parse("socks5://seed:seed-secret@127.0.0.1:" + a.port()),
                            Proxy.parse("socks5://seed:seed-secret@127.0.0.1:" + b.port())))
                    .build());
        GuiseClient client = new GuiseClient(pool)) {
      WarmUpSummary warm =
          pool.warmUp(HOST, server.port(), server.addresses(), WarmUpProgress.NONE);
      assertEquals(0, warm.failed(), "warm-up failures: " + warm);
      System.out.printf(
          "proxy seed scenario: warm-up of %d IPs through 2 proxies in %d ms%n",
          warm.ips(), warm.took().toMillis());

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
      List<ProxyStats> proxies = pool.proxyStats();
      System.out.printf(
          "proxy seed scenario: 3 rounds x %d IPs in %d ms, reuse %.4f, %d handshakes, %s%n",
          ips.size(), roundsMs, stats.reuseRate(), stats.handshakes(), proxies);
      assertEquals(3000, stats.requests());
      assertTrue(stats.reuseRate() >= 0.999, "reuse rate " + stats.reuseRate());
      assertEquals(1000, proxies.get(0).tunnels() + proxies.get(1).tunnels(), proxies.toString());
      for (ProxyStats p : proxies) {
        assertTrue(p.tunnels() > 300, "each proxy carries a share: " + p);
        assertEquals(0, p.failures(), p.toString());
      }
      for (PoolStats.IpStats s : stats.ips()) {
        assertEquals(s.opened(), s.closed() + s.open(), "books of " + s.ip());
      }
    }
  }
}
