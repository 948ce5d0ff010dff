package dev.guise.soak;

import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.retry.LinearRetryPolicy;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The crawlers of every soak: their pool's settings, and how they are run and waited for. */
final class SoakPools {
  /** Every soak request's deadline; a request past it (and {@link SoakChecks#SLACK}) hangs. */
  static final Duration DEADLINE = Duration.ofSeconds(3);

  private SoakPools() {}

  /**
   * {@code b} with the settings every soak's pool shares: short timeouts, health checks and bans,
   * so that a minute of chaos goes through many failures, recoveries and expired bans, and at most
   * 4 connections an IP. Only the connect timeout differs between soaks (a tunnel and a browser
   * handshake need more than a direct one).
   */
  static PoolConfig.Builder chaosSettings(PoolConfig.Builder b, Duration connect) {
    return b.retryPolicy(new LinearRetryPolicy(Duration.ofMillis(20), 3))
        .timeouts(
            t ->
                t.withConnect(connect)
                    .withValidation(Duration.ofSeconds(1))
                    .withAcquire(Duration.ofSeconds(1))
                    .withRequest(DEADLINE)
                    .withIdle(Duration.ofSeconds(4)))
        .healthChecks(
            h -> h.withInterval(Duration.ofSeconds(1)).withBanDuration(Duration.ofSeconds(2)))
        .limits(l -> l.withMaxConnectionsPerIp(4));
  }

  /**
   * Runs {@code crawler} on {@code count} virtual threads and waits for them. Every crawler checks
   * the clock between requests, and every request is bounded by {@code requestBound}: a crawler
   * still running that long after the soak's {@code seconds} (plus the slack and 30 s for a loaded
   * machine) is a request that hangs, and a violation.
   */
  static void crawl(
      int count, Runnable crawler, long seconds, Duration requestBound, String who, SoakFigures f)
      throws InterruptedException {
    ExecutorService crawlers = Executors.newVirtualThreadPerTaskExecutor();
    for (int t = 0; t < count; t++) {
      crawlers.submit(crawler);
    }
    crawlers.shutdown();
    long bound = seconds + requestBound.toSeconds() + SoakChecks.SLACK.toSeconds() + 30;
    if (!crawlers.awaitTermination(bound, TimeUnit.SECONDS)) {
      f.violation(who + " still running long after the end: a request hangs");
      crawlers.shutdownNow();
    }
  }
}
