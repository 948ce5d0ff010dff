package dev.guise.soak;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.RequestFailedException;
import dev.guise.pool.WarmUpProgress;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.testkit.TestServer;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The pool's chaos soak: 200 virtual threads send through one pool to two loopback HTTPS servers
 * (one HTTP/2, one HTTP/1.1 only) on 32 IPs while the {@link ServerChaos} schedule injects faults
 * every few hundred milliseconds, refused connects and path-wide rules included, and restarts a
 * server every 6-10 s.
 *
 * <p>What must hold at the end: every request ended, within its deadline plus a slack, with a 2xx
 * response or a classified failure other than UNKNOWN; the pool's books balance per IP before and
 * after close(); after close() no {@code guise-*} platform thread, no connection open at either
 * server, and the heap after a GC back near where it started.
 *
 * <p>Duration {@code -Dguise.soak.seconds} (default 60), seed {@code -Dguise.soak.seed}, no faults
 * with {@code -Dguise.soak.chaos=false}. The figures are printed; docs/reliability.md records them.
 */
class ChaosSoakTest {
  private static final String HOST_H2 = "h2.soak.test";
  private static final String HOST_H1 = "h1.soak.test";
  private static final Duration DEADLINE = SoakPools.DEADLINE;

  @Test
  void manyThreadsThroughOnePoolWhileServersMisbehave() throws Exception {
    long seconds = Long.getLong("guise.soak.seconds", 60);
    long seed = Long.getLong("guise.soak.seed", 20261121L);
    SoakFigures f = new SoakFigures();
    f.heapBefore = SoakChecks.usedHeapAfterGc();

    soak(seconds, seed, f);

    // The pool, the servers and everything they held are gone: the heap must be back.
    f.heapAfter = SoakChecks.usedHeapAfterGc();
    f.print("chaos soak: " + seconds + " s, seed " + seed, DEADLINE.toMillis());
    assertTrue(
        f.violations.isEmpty(),
        f.violations.size() + " violations:\n" + String.join("\n", f.violations));
    assertTrue(f.requests.sum() > 0 && f.responses.sum() > 0, "the soak did work");
    assertTrue(f.lost() == 0, f.lost() + " requests lost");
    SoakChecks.assertHeapReturned(f);
  }

  private void soak(long seconds, long seed, SoakFigures f) throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create("Guise Soak Root");
    List<InetAddress> ips = TestServer.loopbackAddresses(32);
    Thread heapSampler = SoakChecks.sampleHeap(f);
    try (TestServer h2 =
            TestServer.builder()
                .certificateAuthority(ca)
                .hostNames(HOST_H2)
                .addresses(ips.subList(0, 24))
                .readTimeout(Duration.ofSeconds(20))
                .build()
                .start();
        TestServer h1 =
            TestServer.builder()
                .certificateAuthority(ca)
                .hostNames(HOST_H1)
                .addresses(ips.subList(24, 32))
                .alpn("http/1.1")
                .readTimeout(Duration.ofSeconds(20))
                .build()
                .start()) {
      HotConnectionPool pool =
          HotConnectionPool.create(
              SoakPools.chaosSettings(
                      PoolConfig.builder().engine("jdk").trust(ca.trustPolicy()),
                      Duration.ofSeconds(1))
                  .seed(seed)
                  .build());
      GuiseClient client = new GuiseClient(pool);
      // A crawler warms its pool before the crawl; without it the first second is 128
      // handshakes at once, which measures the machine's CPU, not Guise.
      pool.warmUp(HOST_H2, h2.port(), h2.addresses(), WarmUpProgress.NONE);
      pool.warmUp(HOST_H1, h1.port(), h1.addresses(), WarmUpProgress.NONE);

      long endNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      ServerChaos chaos =
          new ServerChaos(
              List.of(h2, h1), new ServerChaos.Menu(14, true, true), List.of(), new Random(seed));
      Thread chaosThread =
          "false".equals(System.getProperty("guise.soak.chaos")) ? null : chaos.start(endNanos);
      SoakPools.crawl(
          200, () -> sendUntil(endNanos, client, h2, h1, f), seconds, DEADLINE, "senders", f);
      if (chaosThread != null) {
        chaosThread.join(10_000);
      }
      if (chaos.failure != null) {
        f.violation("the chaos schedule failed: " + chaos.failure);
      }
      f.restarts = chaos.restarts;
      f.rebindFailures = chaos.rebindFailures;
      SoakChecks.closeAndCheck(client, pool, List.of(h2, h1), f);
    } finally {
      heapSampler.interrupt();
      heapSampler.join(1_000);
    }
  }

  private static void sendUntil(
      long endNanos, GuiseClient client, TestServer h2, TestServer h1, SoakFigures f) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    while (System.nanoTime() < endNanos) {
      boolean http2 = r.nextInt(4) != 0;
      TestServer server = http2 ? h2 : h1;
      String base = "https://" + (http2 ? HOST_H2 : HOST_H1) + ":" + server.port();
      int choice = r.nextInt(10);
      HttpRequest.Builder b;
      if (choice < 7) {
        b = HttpRequest.newBuilder(URI.create(base + "/bytes/" + r.nextInt(32 * 1024)));
      } else if (choice < 9) {
        b = HttpRequest.newBuilder(URI.create(base + "/"));
      } else {
        b =
            HttpRequest.newBuilder(URI.create(base + "/headers"))
                .POST("soak".getBytes(StandardCharsets.UTF_8));
      }
      HttpRequest request = b.timeout(DEADLINE).build();
      InetAddress pinned =
          r.nextInt(5) == 0 ? server.addresses().get(r.nextInt(server.addresses().size())) : null;
      long start = System.nanoTime();
      HttpResponse response =
          SoakChecks.attempt(
              f, RequestFailedException.class, () -> client.send(request, pinned), (k, m) -> {});
      if (response != null) {
        if (response.status() / 100 != 2) {
          f.violation(
              "a non-2xx response was returned instead of a classified failure: "
                  + response.status()
                  + " for "
                  + request);
        }
        f.responded(response.protocol().toString());
      }
      f.took(
          (System.nanoTime() - start) / 1_000_000,
          DEADLINE.toMillis(),
          SoakChecks.SLACK.toMillis(),
          request.toString());
    }
  }
}
