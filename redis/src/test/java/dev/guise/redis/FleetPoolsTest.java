package dev.guise.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.fleet.BanKey;
import dev.guise.testing.RedisServer;
import dev.guise.testkit.TestServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two pools in two JVMs on one real redis-server, crawling the testkit server on loopback IPs: a
 * ban pool A makes through its {@code access()} reaches pool B (in {@link FleetPoolChild}) within
 * 100 ms at the 99th percentile, and B sends no request to a banned IP once it has seen the ban.
 */
class FleetPoolsTest {
  private static final List<String> HOSTS =
      List.of("a.fleet.test", "b.fleet.test", "c.fleet.test", "d.fleet.test");
  private static final int IPS = 60;
  private static final int WARM_UP = 20;
  private static final int BANS = 200;

  @Test
  void aBanByPoolAReachesPoolBInAnotherJvmWithin100msAtP99AndBHonoursIt() throws Exception {
    assumeTrue(RedisServer.installed(), RedisServer.MISSING);
    Path ca = Files.createTempFile("guise-fleet-ca-", ".der");
    Process b = null;
    try (RedisServer redis = RedisServer.start();
        TestServer server =
            TestServer.builder()
                .loopbackAddresses(IPS)
                .hostNames(HOSTS.toArray(String[]::new))
                .build()
                .start();
        RedisFleetStore store =
            RedisFleetStore.open(RedisSettings.builder(redis.uri()).keyPrefix("pools:").build());
        HotConnectionPool a =
            HotConnectionPool.create(
                PoolConfig.builder()
                    .engine("jdk")
                    .trust(server.certificateAuthority().trustPolicy())
                    .fleetStore(store)
                    .build())) {
      Files.write(ca, server.certificateAuthority().certificate().getEncoded());
      String ips =
          server.addresses().stream()
              .map(InetAddress::getHostAddress)
              .collect(Collectors.joining(","));
      List<String> args = new ArrayList<>();
      args.addAll(
          List.of(redis.uri(), "pools:", Integer.toString(server.port()), ca.toString(), ips));
      args.addAll(HOSTS);
      b = FleetProcessesTest.java(FleetPoolChild.class, args.toArray(String[]::new));
      BlockingQueue<String> out = FleetProcessesTest.lines(b);
      assertEquals("ready", FleetProcessesTest.next(b, out, Duration.ofSeconds(150)));
      RedisFleetStoreTest.await("connected", store::connected);

      // Bans go round the hosts, so every host keeps IPs to crawl to the end. The first WARM_UP
      // bans are not measured: they run the path through the JIT in both JVMs.
      List<Long> ms = new ArrayList<>();
      List<Long> storeMs = new ArrayList<>();
      for (int i = 0; i < WARM_UP + BANS; i++) {
        String host = HOSTS.get(i % HOSTS.size());
        BanKey key = BanKey.ofIp(host, server.port(), server.addresses().get(i / HOSTS.size()));
        a.access().ban(key, Duration.ofMinutes(5), "seen by pool a");
        String line = FleetProcessesTest.next(b, out, Duration.ofSeconds(5));
        String[] parts = line.split(" ");
        assertEquals("heard", parts[0], line);
        assertEquals(key.id(), parts[1]);
        if (i >= WARM_UP) {
          ms.add(Long.parseLong(parts[2]));
          storeMs.add(Long.parseLong(parts[3]));
        }
        Thread.sleep(15);
      }
      Collections.sort(ms);
      Collections.sort(storeMs);
      long p50 = ms.get(BANS / 2);
      long p99 = ms.get((int) Math.ceil(BANS * 0.99) - 1);

      b.getOutputStream().close();
      String done = FleetProcessesTest.next(b, out, Duration.ofSeconds(60));
      String[] d = done.split(" ");
      assertEquals("done", d[0], done);
      long requests = Long.parseLong(d[1]);
      long violations = Long.parseLong(d[3]);
      List<String> shown = new ArrayList<>();
      for (long i = 0; i < Math.min(violations, 10); i++) {
        shown.add(FleetProcessesTest.next(b, out, Duration.ofSeconds(5)));
      }
      System.out.printf(
          "ban propagation pool to pool across JVMs, %d bans: p50 %d ms, p99 %d ms, max %d ms;"
              + " to b's store: p50 %d ms, p99 %d ms;"
              + " pool b: %d requests (%s failed), %d to a banned IP after seeing the ban%n",
          BANS,
          p50,
          p99,
          ms.get(BANS - 1),
          storeMs.get(BANS / 2),
          storeMs.get((int) Math.ceil(BANS * 0.99) - 1),
          requests,
          d[2],
          violations);
      assertEquals(0, violations, "requests to a banned IP after b saw the ban: " + shown);
      assertTrue(
          requests > BANS / 2, "b crawled all along (" + requests + " requests), so the check bit");
      assertEquals(WARM_UP + BANS, a.access().bans().size());
      assertTrue(p99 < 100, "p99 " + p99 + " ms");
    } finally {
      if (b != null) {
        b.getOutputStream().close();
        if (!b.waitFor(20, TimeUnit.SECONDS)) {
          b.destroyForcibly();
        }
      }
      Files.deleteIfExists(ca);
    }
  }
}
