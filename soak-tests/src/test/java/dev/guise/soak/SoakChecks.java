package dev.guise.soak;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.stats.PoolStats;
import dev.guise.testkit.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/** What every soak checks, and how: requests timed and classified, the books, what leaks. */
final class SoakChecks {
  /** Allowed growth of the heap after close + GC over its start. */
  private static final long HEAP_TOLERANCE = 48L * 1024 * 1024;

  /**
   * How far past its deadline a request may end before it counts as hung. Deadlines are enforced by
   * timers and socket timeouts, which fire late when hundreds of threads, the servers and the GC
   * share 2 busy cores (a build machine runs other builds too): a bound that catches a hang, not a
   * latency target. The worst overrun seen is in the printed figures.
   */
  static final Duration SLACK = Duration.ofMillis(Long.getLong("guise.soak.slack.millis", 10_000));

  private SoakChecks() {}

  /**
   * One call of a request: its value, or null after a failure, counted either way. A failure must
   * be a {@code expected} of a known kind; anything else is a violation.
   */
  static <T> T attempt(
      SoakFigures f,
      Class<? extends ClassifiedIOException> expected,
      Callable<T> call,
      BiConsumer<FailureKind, String> failed) {
    f.requests.increment();
    try {
      return call.call();
    } catch (ClassifiedIOException e) {
      failed(f, e.kind(), e);
      failed.accept(e.kind(), e.getMessage());
      if (!expected.isInstance(e)) {
        f.violation("not a " + expected.getSimpleName() + ": " + e);
      }
    } catch (Exception | Error e) {
      // Counted as a failure so it is not also "lost"; the violation fails the soak.
      f.failed(FailureKind.UNKNOWN, String.valueOf(e));
      f.violation("not a classified failure: " + e);
    }
    return null;
  }

  private static void failed(SoakFigures f, FailureKind kind, Exception e) {
    f.failed(kind, e.getMessage());
    if (kind == FailureKind.UNKNOWN) {
      f.violation("UNKNOWN failure (a classification gap): " + e + " cause " + e.getCause());
    }
  }

  /** Samples the heap in use every 50 ms into {@link SoakFigures#peakHeap}, until interrupted. */
  static Thread sampleHeap(SoakFigures f) {
    return Thread.ofPlatform()
        .daemon()
        .name("soak-heap-sampler")
        .start(
            () -> {
              while (true) {
                f.peakHeap.accumulateAndGet(usedHeap(), Math::max);
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
  }

  /**
   * Closes the client and the pool and checks what must hold: books balancing per IP (opened =
   * closed + open) before and after, nothing open after, no {@code guise-*} platform thread left,
   * no connection open at any server. Records the pool's figures and the servers' faults.
   */
  static void closeAndCheck(
      GuiseClient client, HotConnectionPool pool, List<TestServer> servers, SoakFigures f)
      throws Exception {
    closeAndCheck(client, pool, List.of(), servers, f);
  }

  /**
   * As above; {@code after} (what the pool used and does not own: a fleet store) is closed after
   * the pool and before the threads are counted, so its threads count too.
   */
  static void closeAndCheck(
      GuiseClient client,
      HotConnectionPool pool,
      List<AutoCloseable> after,
      List<TestServer> servers,
      SoakFigures f)
      throws Exception {
    PoolStats live = pool.stats();
    checkBooks(live, f, "while open");
    f.retries = live.retries();
    f.bans = live.bansStarted();
    client.close();
    pool.close();
    for (AutoCloseable c : after) {
      c.close();
    }
    PoolStats closed = pool.stats();
    checkBooks(closed, f, "after close");
    for (PoolStats.IpStats s : closed.ips()) {
      f.connectionsOpened += s.opened();
      f.connectionsClosed += s.closed();
      f.failedOpens += s.failedOpens();
      if (s.opened() > 0) {
        f.ipsWithConnections++;
      }
      if (s.open() != 0) {
        f.violation("after close " + s.host() + " " + s.ip() + " still has " + s.open() + " open");
      }
    }
    waitFor(() -> guiseThreads().isEmpty(), Duration.ofSeconds(10));
    if (!guiseThreads().isEmpty()) {
      f.violation("threads left after close: " + guiseThreads());
    }
    BooleanSupplier serversIdle =
        () -> servers.stream().mapToLong(TestServer::openConnections).sum() == 0;
    waitFor(serversIdle, Duration.ofSeconds(10));
    if (!serversIdle.getAsBoolean()) {
      f.violation(
          "the servers still see "
              + servers.stream().mapToLong(TestServer::openConnections).sum()
              + " open connections after close");
    }
    for (TestServer s : servers) {
      s.faults().injectedCounts().forEach((k, v) -> f.faults.merge(k, v, Long::sum));
    }
  }

  private static void checkBooks(PoolStats stats, SoakFigures f, String when) {
    for (PoolStats.IpStats s : stats.ips()) {
      if (s.opened() != s.closed() + s.open()) {
        f.violation(
            "books do not balance "
                + when
                + " for "
                + s.host()
                + " "
                + s.ip()
                + ": opened "
                + s.opened()
                + ", closed "
                + s.closed()
                + ", open "
                + s.open());
      }
    }
  }

  /** Live platform threads whose name starts with {@code prefix}. */
  static List<String> threads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .map(Thread::getName)
        .toList();
  }

  static List<String> guiseThreads() {
    return threads("guise-");
  }

  static void waitFor(BooleanSupplier condition, Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(50);
    }
  }

  static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  static long usedHeapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    // A few rounds: finalizable and soft-referenced objects (TLS sessions) need more than one.
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, usedHeap());
    }
    return used;
  }

  /** Asserts the heap after close and a GC is back within {@link #HEAP_TOLERANCE} of its start. */
  static void assertHeapReturned(SoakFigures f) {
    assertTrue(
        f.heapAfter <= f.heapBefore + HEAP_TOLERANCE,
        "heap after close " + mib(f.heapAfter) + " MiB, before " + mib(f.heapBefore) + " MiB");
  }

  static long mib(long bytes) {
    return bytes / (1024 * 1024);
  }
}
