package dev.guise.examples.flinkcrawl;

import dev.guise.flink.FetchResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the example's sink commits results: a stand-in for a transactional store (a database table,
 * Kafka with transactions), kept in this JVM because the MiniCluster runs here. It counts every
 * result committed per URL, so a result emitted twice or never shows.
 *
 * <p>A commit names its batch; a batch committed again (a sink that restores a checkpoint whose
 * batches it had already committed before failing) is ignored, as a transactional store ignores a
 * transaction it has committed. That makes commits idempotent, which exactly-once needs; it hides
 * nothing else: a URL emitted in two different batches is counted twice.
 */
public final class ResultLedger {
  private static final Map<String, ResultLedger> LEDGERS = new ConcurrentHashMap<>();

  private final Set<String> batches = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> perUrl = new ConcurrentHashMap<>();
  private final Map<String, Set<Integer>> subtasksPerHost = new ConcurrentHashMap<>();
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong reused = new AtomicLong();
  private final AtomicLong repeatedBatches = new AtomicLong();
  private final AtomicInteger maxAttempt = new AtomicInteger();
  private final AtomicInteger restoredTasks = new AtomicInteger();
  private final Map<String, AtomicLong> failuresByKind = new ConcurrentHashMap<>();

  /** The ledger of run {@code runId}, made on first use. */
  public static ResultLedger of(String runId) {
    return LEDGERS.computeIfAbsent(runId, id -> new ResultLedger());
  }

  /** Forgets run {@code runId}. */
  public static void drop(String runId) {
    LEDGERS.remove(runId);
  }

  /** Commits {@code results} as batch {@code batchId}, unless that batch is committed already. */
  public void commit(String batchId, List<FetchResult> results) {
    if (!batches.add(batchId)) {
      repeatedBatches.incrementAndGet();
      return;
    }
    for (FetchResult r : results) {
      perUrl.computeIfAbsent(r.request().url(), u -> new AtomicInteger()).incrementAndGet();
      subtasksPerHost
          .computeIfAbsent(r.request().hostKey(), h -> ConcurrentHashMap.newKeySet())
          .add(r.subtask());
      maxAttempt.accumulateAndGet(r.attempt(), Math::max);
      if (r.ok()) {
        ok.incrementAndGet();
        if (r.reusedConnection()) {
          reused.incrementAndGet();
        }
      } else {
        failed.incrementAndGet();
        failuresByKind.computeIfAbsent(r.failureKind(), k -> new AtomicLong()).incrementAndGet();
      }
    }
  }

  /** Notes that a task of attempt {@code attempt} ran, whether or not it committed anything. */
  public void sawAttempt(int attempt) {
    maxAttempt.accumulateAndGet(attempt, Math::max);
  }

  /** Notes that a sink task started from a restored checkpoint. */
  public void sawRestore() {
    restoredTasks.incrementAndGet();
  }

  /** Sink tasks that started from a restored checkpoint. */
  public int restoredTasks() {
    return restoredTasks.get();
  }

  public long ok() {
    return ok.get();
  }

  public long failed() {
    return failed.get();
  }

  public long reused() {
    return reused.get();
  }

  /** Batches committed a second time and ignored. */
  public long repeatedBatches() {
    return repeatedBatches.get();
  }

  /** The highest task attempt seen: how many times the job restarted. */
  public int maxAttempt() {
    return maxAttempt.get();
  }

  /** Distinct URLs committed. */
  public int distinctUrls() {
    return perUrl.size();
  }

  /** URLs committed more than once. */
  public int emittedTwice() {
    return (int) perUrl.values().stream().filter(n -> n.get() > 1).count();
  }

  /** Whether {@code url} was committed. */
  public boolean has(String url) {
    return perUrl.containsKey(url);
  }

  /** Per host, the subtasks that fetched it. */
  public Map<String, Set<Integer>> subtasksPerHost() {
    Map<String, Set<Integer>> out = new TreeMap<>();
    subtasksPerHost.forEach((h, s) -> out.put(h, new TreeSet<>(s)));
    return out;
  }

  public Map<String, Long> failuresByKind() {
    Map<String, Long> out = new TreeMap<>();
    failuresByKind.forEach((k, n) -> out.put(k, n.get()));
    return out;
  }
}
