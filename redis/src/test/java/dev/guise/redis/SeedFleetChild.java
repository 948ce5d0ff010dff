package dev.guise.redis;

import dev.guise.api.FailureKind;
import dev.guise.api.TrustPolicy;
import dev.guise.api.spi.Providers;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.RequestFailedException;
import dev.guise.pool.WarmUpProgress;
import dev.guise.pool.WarmUpSummary;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.fleet.Ban;
import dev.guise.pool.fleet.FleetStore;
import dev.guise.pool.fleet.FleetStore.Origin;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.stats.PoolStats;
import java.io.IOException;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One crawler process of {@link SeedFleetTest}: the seed scenario (warm up 1,000 IPs of one host,
 * then rounds of requests pinned to each of them) in a JVM of its own, on a pool whose bans are the
 * fleet's, in Redis.
 *
 * <p>Arguments: Redis URL, key prefix, server port, the CA's certificate (DER file), the host, the
 * IPs (comma-separated), this process's index (its rounds start at a different IP, so the processes
 * meet a blocked IP at different times and the later ones can hear of it first), the number of
 * rounds. Prints {@code warm <ips> <failed> <ms>} after the warm-up, waits for a line on stdin,
 * crawls, then prints {@code done} with its figures as {@code name=value} pairs, and one {@code
 * violation ...} line per request answered by an IP after this process knew of its ban.
 */
public final class SeedFleetChild {
  private SeedFleetChild() {}

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    String prefix = args[1];
    int port = Integer.parseInt(args[2]);
    X509Certificate ca = FleetChildren.certificate(args[3]);
    String host = args[4];
    List<InetAddress> ips = FleetChildren.ips(args[5]);
    int index = Integer.parseInt(args[6]);
    int rounds = Integer.parseInt(args[7]);

    Bans bans = new Bans();
    try (RedisFleetStore store =
            RedisFleetStore.open(RedisSettings.builder(uri).keyPrefix(prefix).build());
        HotConnectionPool pool =
            HotConnectionPool.create(
                PoolConfig.builder()
                    .engine("jdk")
                    .trust(TrustPolicy.onlyAnchors(List.of(ca)))
                    .validator(Providers.connectionValidator("head-path"))
                    // Three processes share two cores: 32 handshakes at once each, not 64.
                    .limits(l -> l.withWarmUpParallelism(32).withMaxConnectionsPerHost(2000))
                    // The warm-up of 3,000 handshakes on a loaded 2-core machine can pass the 30 s
                    // after which an idle connection is revalidated: no revalidation in the crawl,
                    // so a process sends a blocked IP exactly its own requests.
                    .healthChecks(h -> h.withRevalidateAfterIdle(Duration.ofMinutes(10)))
                    .fleetStore(store)
                    .build());
        GuiseClient client = new GuiseClient(pool)) {
      FleetChildren.awaitReconciled(store);
      // Added after the pool's own listener: when this one runs, the pool's copy holds the ban.
      store.addListener(bans);
      WarmUpSummary warm = pool.warmUp(host, port, ips, WarmUpProgress.NONE);
      FleetChildren.say("warm " + warm.ips() + " " + warm.failed() + " " + warm.took().toMillis());
      if (FleetChildren.stdin().readLine() == null) {
        return;
      }

      AtomicLong answered = new AtomicLong();
      AtomicLong blocked = new AtomicLong();
      AtomicLong refused = new AtomicLong();
      AtomicLong otherFailures = new AtomicLong();
      List<String> violations = Collections.synchronizedList(new ArrayList<>());
      List<String> others = Collections.synchronizedList(new ArrayList<>());
      String url = "https://" + host + ":" + port + "/item";
      long start = System.nanoTime();
      try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int round = 0; round < rounds; round++) {
          List<Future<?>> futures = new ArrayList<>(ips.size());
          for (int i = 0; i < ips.size(); i++) {
            InetAddress ip = ips.get((i + index * ips.size() / 3) % ips.size());
            futures.add(
                exec.submit(
                    () -> {
                      long started = System.nanoTime();
                      try {
                        HttpResponse r = client.send(HttpRequest.get(url), ip);
                        answered.incrementAndGet();
                        String id = r.endpoint().ip().getHostAddress();
                        Long seen = bans.seenNanos.get(id);
                        if (seen != null && seen < started) {
                          violations.add(id + " " + (started - seen) / 1_000_000 + " ms after");
                        }
                      } catch (RequestFailedException e) {
                        String id = ip.getHostAddress();
                        Long seen = bans.seenNanos.get(id);
                        if (e.attemptFailures().stream().anyMatch(a -> a.status().isPresent())) {
                          // The server answered an attempt (its 403; the pinned retry after it
                          // is the pool's refusal): the request went out, which is a violation
                          // if this process knew of the IP's ban when it started.
                          blocked.incrementAndGet();
                          if (seen != null && seen < started) {
                            violations.add(id + " " + (started - seen) / 1_000_000 + " ms after");
                          }
                        } else if (e.failure().kind() == FailureKind.IP_BLOCKED
                            && bans.awaitSeen(id, Duration.ofSeconds(5))) {
                          // The pool refused an IP it knows is banned: nothing was sent. The
                          // pool's listener runs before this process's own, so a request can be
                          // refused in between: wait for this process's listener to hear it too.
                          refused.incrementAndGet();
                        } else {
                          otherFailures.incrementAndGet();
                          others.add(ip.getHostAddress() + " " + e.failure());
                        }
                      } catch (IOException e) {
                        otherFailures.incrementAndGet();
                        others.add(ip.getHostAddress() + " " + e.getClass().getSimpleName());
                      }
                      return null;
                    }));
          }
          for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
          }
        }
      } catch (ExecutionException | TimeoutException e) {
        FleetChildren.say("error " + e);
        throw e;
      }
      long crawlMs = (System.nanoTime() - start) / 1_000_000;
      PoolStats stats = pool.stats();
      List<Long> ms = bans.propagationMs();
      FleetChildren.say(
          String.format(
              "done requests=%d reuse=%.5f handshakes=%d answered=%d blocked=%d refused=%d"
                  + " other=%d bans_known=%d bans_local=%d bans_from_fleet=%d propagation_p50=%d"
                  + " propagation_max=%d violations=%d crawl_ms=%d redis_connected=%b",
              stats.requests(),
              stats.reuseRate(),
              stats.handshakes(),
              answered.get(),
              blocked.get(),
              refused.get(),
              otherFailures.get(),
              bans.seenNanos.size(),
              bans.local.size(),
              ms.size(),
              ms.isEmpty() ? -1 : ms.get(ms.size() / 2),
              ms.isEmpty() ? -1 : ms.get(ms.size() - 1),
              violations.size(),
              crawlMs,
              store.connected()));
      for (String v : violations.subList(0, Math.min(10, violations.size()))) {
        FleetChildren.say("violation " + v);
      }
      for (String o : others.subList(0, Math.min(10, others.size()))) {
        FleetChildren.say("other " + o);
      }
    }
  }

  /** When this process first knew of each banned IP (nanoTime), and how it learned it. */
  private static final class Bans implements FleetStore.Listener {
    final Map<String, Long> seenNanos = new ConcurrentHashMap<>();
    final Set<String> local = ConcurrentHashMap.newKeySet();
    private final List<Long> fromFleetMs = new ArrayList<>();

    @Override
    public void banned(Ban ban, Origin origin) {
      InetAddress addr = ban.key().ip();
      String ip = addr != null ? addr.getHostAddress() : ban.key().id();
      if (origin == Origin.LOCAL) {
        local.add(ip);
        seenNanos.putIfAbsent(ip, System.nanoTime());
      } else if (seenNanos.putIfAbsent(ip, System.nanoTime()) == null) {
        // Another process's ban, heard before this one met the IP's 403 itself.
        synchronized (fromFleetMs) {
          fromFleetMs.add(Math.max(0, System.currentTimeMillis() - ban.at().toEpochMilli()));
        }
      }
    }

    /** Whether this process's listener has heard of the IP's ban, waiting up to {@code limit}. */
    boolean awaitSeen(String ip, Duration limit) throws InterruptedException {
      long deadline = System.nanoTime() + limit.toNanos();
      while (!seenNanos.containsKey(ip)) {
        if (System.nanoTime() - deadline >= 0) {
          return false;
        }
        Thread.sleep(1);
      }
      return true;
    }

    List<Long> propagationMs() {
      synchronized (fromFleetMs) {
        List<Long> sorted = new ArrayList<>(fromFleetMs);
        Collections.sort(sorted);
        return sorted;
      }
    }
  }
}
