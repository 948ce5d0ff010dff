package dev.guise.redis;

import dev.guise.pool.fleet.Ban;
import dev.guise.pool.fleet.FleetStore;
import dev.guise.pool.fleet.FleetStore.Origin;
import dev.guise.pool.fleet.RateLimit;
import java.time.Duration;

/**
 * A crawler process of a fleet, for the tests that need several JVMs: opens a store on the Redis
 * and prefix given and does one job, printing what it saw on stdout, one fact a line.
 *
 * <ul>
 *   <li>{@code listen}: prints {@code heard <key id> <ms from the ban to now>} for each ban from
 *       the fleet, until stdin closes;
 *   <li>{@code take <host> <per second> <burst> <seconds>}: takes tokens for that long as fast as
 *       the store allows from the epoch millisecond {@code <start>} on, then prints {@code took <n>
 *       <cpu ms>} (the tokens, and the CPU time this JVM used).
 * </ul>
 *
 * Prints {@code ready} once connected.
 */
public final class FleetChild {
  private FleetChild() {}

  public static void main(String[] args) throws Exception {
    try (RedisFleetStore store =
        RedisFleetStore.open(RedisSettings.builder(args[0]).keyPrefix(args[1]).build())) {
      FleetChildren.awaitReconciled(store);
      switch (args[2]) {
        case "listen" -> listen(store);
        case "take" ->
            take(
                store,
                args[3],
                new RateLimit(Double.parseDouble(args[4]), Integer.parseInt(args[5])),
                Duration.ofSeconds(Long.parseLong(args[6])));
        default -> throw new IllegalArgumentException(args[2]);
      }
    }
  }

  private static void listen(FleetStore store) throws Exception {
    store.addListener(
        new FleetStore.Listener() {
          @Override
          public void banned(Ban ban, Origin origin) {
            if (origin == Origin.FLEET) {
              long ms = System.currentTimeMillis() - ban.at().toEpochMilli();
              FleetChildren.say("heard " + ban.key().id() + " " + ms);
            }
          }
        });
    FleetChildren.say("ready");
    FleetChildren.untilStdinCloses();
  }

  private static void take(FleetStore store, String host, RateLimit limit, Duration length)
      throws Exception {
    FleetChildren.say("ready");
    // Every process of the test starts at the moment the parent sends (epoch ms), so the window
    // is the fleet's.
    long startAtMillis = Long.parseLong(FleetChildren.stdin().readLine().strip());
    Thread.sleep(Math.max(0, startAtMillis - System.currentTimeMillis()));
    long end = System.nanoTime() + length.toNanos();
    long took = 0;
    while (System.nanoTime() < end) {
      Duration wait = store.takeToken(host, limit);
      if (wait.isZero()) {
        took++;
      } else {
        Thread.sleep(Math.max(1, wait.toMillis()));
      }
    }
    // The process's CPU time over its life: what a minute of this test costs the build machine.
    long cpuMs = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toMillis();
    FleetChildren.say("took " + took + " " + cpuMs);
  }
}
