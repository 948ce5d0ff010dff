package dev.guise.soak;

import dev.guise.testkit.Fault;
import dev.guise.testkit.FaultRule;
import dev.guise.testkit.FaultScope;
import dev.guise.testkit.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The seeded fault schedule both soaks run on their testkit servers: every 150-450 ms rules expire
 * and 1-3 new ones start, each on one address (or, where allowed, one path everywhere) for 0.3-3 s:
 * 403, 429 (Retry-After 0-1), 500/502/503, 503 a few times, reset after 0-2000 body bytes, stall,
 * GOAWAY, TLS alert, idle close after 100-500 ms and, where allowed, refused connects. Every 6-10 s
 * (the first at 8 s) one server restarts. Each {@link ChaosStep} (a proxy's death, Redis's faults)
 * runs at every tick and is closed at the end, when every rule is lifted and every server is up.
 */
final class ServerChaos {
  /** One more kind of fault, run by the schedule with the others (a step every 150-450 ms). */
  interface ChaosStep extends AutoCloseable {
    /**
     * @param elapsed the share of the soak gone, 0 to 1
     */
    void step(Random random, double elapsed) throws Exception;

    @Override
    default void close() throws Exception {}
  }

  /**
   * What the schedule may do.
   *
   * @param maxLiveRules how many rules may be in force at once
   * @param pathRules whether one rule in six is scoped to a path on every address
   * @param refuse whether refused connects are among the faults
   */
  record Menu(int maxLiveRules, boolean pathRules, boolean refuse) {}

  private record Live(TestServer server, FaultRule rule, long expiresAtNanos) {}

  private final List<TestServer> servers;
  private final Menu menu;
  private final List<ChaosStep> steps;
  private final Random random;
  private final List<Live> live = new ArrayList<>();
  volatile Throwable failure;
  long restarts;
  long rebindFailures;

  ServerChaos(List<TestServer> servers, Menu menu, List<ChaosStep> steps, Random random) {
    this.servers = servers;
    this.menu = menu;
    this.steps = steps;
    this.random = random;
  }

  /** Runs the schedule until {@code endNanos} on a platform thread of its own. */
  Thread start(long endNanos) {
    return Thread.ofPlatform().name("soak-chaos").start(() -> run(endNanos));
  }

  private void run(long endNanos) {
    long start = System.nanoTime();
    long nextRestart = start + TimeUnit.SECONDS.toNanos(8);
    try {
      while (System.nanoTime() < endNanos) {
        long now = System.nanoTime();
        live.removeIf(x -> x.expiresAtNanos() <= now && lift(x));
        for (int i = 0, add = 1 + random.nextInt(3);
            i < add && live.size() < menu.maxLiveRules();
            i++) {
          TestServer s = servers.get(random.nextInt(servers.size()));
          FaultScope scope =
              menu.pathRules() && random.nextInt(6) == 0
                  ? FaultScope.path(random.nextBoolean() ? "/bytes" : "/headers")
                  : FaultScope.address(s.addresses().get(random.nextInt(s.addresses().size())));
          FaultRule rule = s.faults().add(scope, randomFault(scope.address().isEmpty()));
          live.add(
              new Live(s, rule, now + TimeUnit.MILLISECONDS.toNanos(300 + random.nextInt(2700))));
        }
        if (now >= nextRestart) {
          TestServer s = servers.get(random.nextInt(servers.size()));
          s.down();
          Thread.sleep(50 + random.nextInt(250));
          s.up();
          restarts++;
          nextRestart = now + TimeUnit.MILLISECONDS.toNanos(6_000 + random.nextInt(4_000));
        }
        double elapsed = (double) (now - start) / (endNanos - start);
        for (ChaosStep step : steps) {
          step.step(random, elapsed);
        }
        Thread.sleep(150 + random.nextInt(300));
      }
    } catch (Throwable t) {
      failure = t;
    } finally {
      for (TestServer s : servers) {
        s.faults().clear();
        try {
          if (!s.isUp()) {
            s.up();
          }
        } catch (Exception e) {
          failure = e;
        }
      }
      for (ChaosStep step : steps) {
        try {
          step.close();
        } catch (Exception e) {
          failure = e;
        }
      }
    }
  }

  private boolean lift(Live x) {
    try {
      x.server().faults().remove(x.rule());
    } catch (IllegalStateException e) {
      // testkit: lifting a REFUSE rule can fail to rebind the port ("Address already in use");
      // the address then stays refused, which the pool must survive anyway.
      rebindFailures++;
    }
    return true;
  }

  private Fault randomFault(boolean pathScoped) {
    // Connection-level faults never match a path scope; give those a request fault.
    int n = random.nextInt(pathScoped ? 7 : menu.refuse() ? 10 : 9);
    return switch (n) {
      case 0 -> Fault.status(403);
      case 1 -> Fault.tooManyRequests(random.nextInt(2));
      case 2 -> Fault.status(List.of(500, 502, 503).get(random.nextInt(3)));
      case 3 -> Fault.reset(random.nextInt(2_000));
      case 4 -> Fault.stall();
      case 5 -> Fault.goAway();
      case 6 -> Fault.status(503).times(1 + random.nextInt(3));
      case 7 -> Fault.tlsAlert();
      case 8 -> Fault.idleClose(Duration.ofMillis(100 + random.nextInt(400)));
      default -> Fault.refuse();
    };
  }
}
