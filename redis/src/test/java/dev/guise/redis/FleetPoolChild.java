package dev.guise.redis;

import dev.guise.api.TrustPolicy;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.fleet.Ban;
import dev.guise.pool.fleet.BanKey;
import dev.guise.pool.fleet.FleetStore;
import dev.guise.pool.fleet.FleetStore.Origin;
import dev.guise.pool.fleet.RateLimit;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.retry.LinearRetryPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pool B of {@link FleetPoolsTest}: a {@link HotConnectionPool} on a {@link RedisFleetStore} in a
 * JVM of its own, crawling the testkit server in the parent until stdin closes.
 *
 * <p>Arguments: Redis URL, key prefix, server port, the CA's certificate (DER file), the IPs
 * (comma-separated), then the host names. Prints {@code ready} once its store is reconciled and a
 * first request to every host answered; {@code heard <key id> <ms from the ban to the pool seeing
 * it> <ms from the ban to the store holding it>} for each ban from the fleet; at the end {@code
 * done <requests> <failed> <to banned after seen>}, then the violations, one {@code violation ...}
 * line each.
 */
public final class FleetPoolChild {
  private FleetPoolChild() {}

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    String prefix = args[1];
    int port = Integer.parseInt(args[2]);
    X509Certificate ca = FleetChildren.certificate(args[3]);
    List<InetAddress> ips = FleetChildren.ips(args[4]);
    List<String> hosts = List.of(args).subList(5, args.length);

    // When this pool saw each ban (nanoTime). The pool's own controller is the store's first
    // listener, so when the listener below runs the pool's copy already holds the ban.
    Map<String, Long> seenNanos = new ConcurrentHashMap<>();
    // When each ban reached the store, before the pool's listener: the line says both, so a slow
    // pool-side step shows apart from a slow delivery.
    Map<String, Long> arrivedMillis = new ConcurrentHashMap<>();
    try (RedisFleetStore store =
            RedisFleetStore.open(RedisSettings.builder(uri).keyPrefix(prefix).build());
        HotConnectionPool pool = HotConnectionPool.create(config(store, ca, hosts, arrivedMillis));
        GuiseClient client = new GuiseClient(pool)) {
      FleetChildren.awaitReconciled(store);
      for (String host : hosts) {
        pool.addIps(host, port, ips);
        client.send(HttpRequest.get("https://" + host + ":" + port + "/"));
      }
      store.addListener(
          new FleetStore.Listener() {
            @Override
            public void banned(Ban ban, Origin origin) {
              if (origin == Origin.FLEET) {
                seenNanos.put(ban.key().id(), System.nanoTime());
                long now = System.currentTimeMillis();
                long ms = now - ban.at().toEpochMilli();
                long arrived = arrivedMillis.getOrDefault(ban.key().id(), now);
                long storeMs = arrived - ban.at().toEpochMilli();
                FleetChildren.say("heard " + ban.key().id() + " " + ms + " " + storeMs);
              }
            }
          });
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong requests = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      List<String> violations = new ArrayList<>();
      List<Thread> crawlers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int first = t;
        crawlers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      for (int i = first; !stop.get(); i++) {
                        String host = hosts.get(i % hosts.size());
                        long started = System.nanoTime();
                        try {
                          HttpResponse r =
                              client.send(HttpRequest.get("https://" + host + ":" + port + "/"));
                          requests.incrementAndGet();
                          String id = BanKey.ofIp(host, port, r.endpoint().ip()).id();
                          Long seen = seenNanos.get(id);
                          if (seen != null && seen < started) {
                            synchronized (violations) {
                              violations.add(
                                  id + " " + (started - seen) / 1_000_000 + " ms after seen");
                            }
                          }
                        } catch (IOException e) {
                          failed.incrementAndGet();
                        }
                      }
                    }));
      }
      FleetChildren.say("ready");
      FleetChildren.untilStdinCloses();
      stop.set(true);
      for (Thread t : crawlers) {
        t.join(Duration.ofSeconds(30));
      }
      FleetChildren.say("done " + requests.get() + " " + failed.get() + " " + violations.size());
      for (String v : violations) {
        FleetChildren.say("violation " + v);
      }
    }
  }

  /**
   * A polite crawler's pool: each host asked at most 10 times a second (the bucket is the fleet's,
   * in Redis), so the crawl is steady and the test measures propagation, not a CPU saturated by
   * handshakes.
   */
  private static PoolConfig config(
      FleetStore store, X509Certificate ca, List<String> hosts, Map<String, Long> arrivedMillis) {
    store.addListener(
        new FleetStore.Listener() {
          @Override
          public void banned(Ban ban, Origin origin) {
            arrivedMillis.putIfAbsent(ban.key().id(), System.currentTimeMillis());
          }
        });
    PoolConfig.Builder b =
        PoolConfig.builder()
            .engine("jdk")
            .trust(TrustPolicy.onlyAnchors(List.of(ca)))
            .retryPolicy(new LinearRetryPolicy(Duration.ZERO, 2))
            .fleetStore(store);
    for (String host : hosts) {
      b.rateLimit(host, new RateLimit(10, 2));
    }
    return b.build();
  }
}
