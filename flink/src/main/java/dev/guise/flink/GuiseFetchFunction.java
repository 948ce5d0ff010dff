package dev.guise.flink;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.flink.internal.AdderCounter;
import dev.guise.flink.internal.Outcomes;
import dev.guise.flink.internal.PoolGauges;
import dev.guise.flink.internal.Requests;
import dev.guise.flink.internal.WarmUps;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.WarmUpProgress;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Fetches each {@link FetchRequest} through a Guise pool and emits one {@link FetchResult}: a
 * response of any status, or the classified failure. Bad requests and failed fetches are results,
 * never task failures, so one bad URL cannot restart the job.
 *
 * <p>Each parallel task builds its own {@link HotConnectionPool} in {@link #open} from the job's
 * {@link GuiseFetchConfig} and closes it in {@link #close}. Keyed by host ({@link GuiseFetch#fetch}
 * does it), all of a host's connections live in one task's pool. The pool's figures are gauges of
 * the task's metric group {@code guise} ({@code guise.handshakes}, {@code guise.reuseRate}, {@code
 * guise.connections.idle}, ...), next to the counters {@code guise.fetchedOk}, {@code guise.failed}
 * and {@code guise.timedOut}.
 *
 * <p>Each request runs on a virtual thread of the task: the rate limiter's wait, then the pool's
 * send with its retries. Flink's async timeout cancels it (the thread is interrupted) and emits it
 * as {@code DEADLINE_EXCEEDED}.
 *
 * <p>Checkpoints: Flink's async operator stores the requests in flight in each checkpoint and sends
 * them again after a restore, so a request is fetched at least once, and may be fetched twice (once
 * before the failure, once after). Only idempotent requests (this function sends GETs) may be
 * fetched twice; see docs/flink.md for how results are emitted exactly once.
 */
public class GuiseFetchFunction extends RichAsyncFunction<FetchRequest, FetchResult> {
  private static final long serialVersionUID = 1L;

  private final GuiseFetchConfig config;
  private final HostRateLimiter.Factory limiterFactory;

  private transient HotConnectionPool pool;
  private transient GuiseClient client;
  private transient ExecutorService fetchers;
  private transient HostRateLimiter limiter;
  private transient Map<ResultFuture<FetchResult>, Pending> inFlight;
  private transient int subtask;
  private transient int attempt;
  private transient Counter fetchedOk;
  private transient Counter failed;
  private transient Counter timedOut;

  /** A function with the per-task host rate limit of {@link HostRateLimiter#perTask()}. */
  public GuiseFetchFunction(GuiseFetchConfig config) {
    this(config, HostRateLimiter.perTask());
  }

  public GuiseFetchFunction(GuiseFetchConfig config, HostRateLimiter.Factory limiterFactory) {
    this.config = Objects.requireNonNull(config, "config");
    this.limiterFactory = Objects.requireNonNull(limiterFactory, "limiterFactory");
  }

  /** The job's fetch configuration. */
  public GuiseFetchConfig config() {
    return config;
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    var task = getRuntimeContext().getTaskInfo();
    subtask = task.getIndexOfThisSubtask();
    attempt = task.getAttemptNumber();
    pool = HotConnectionPool.create(config.toPoolConfig());
    client = new GuiseClient(pool);
    fetchers =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("guise-fetch-", 0).factory());
    limiter = limiterFactory.create(config, subtask, task.getNumberOfParallelSubtasks());
    inFlight = new ConcurrentHashMap<>();
    // Only the hosts this task will be sent: their connections are hot before the first request.
    for (WarmUps.Target t :
        WarmUps.ownedBy(
            config.warmUp(),
            subtask,
            task.getNumberOfParallelSubtasks(),
            task.getMaxNumberOfParallelSubtasks())) {
      pool.warmUp(t.host(), t.port(), t.ips(), WarmUpProgress.NONE);
    }
    MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("guise");
    PoolGauges.register(group, pool::stats);
    // Fetch threads count concurrently: Flink's SimpleCounter is not thread-safe.
    fetchedOk = group.counter("fetchedOk", new AdderCounter());
    failed = group.counter("failed", new AdderCounter());
    timedOut = group.counter("timedOut", new AdderCounter());
  }

  @Override
  public void asyncInvoke(FetchRequest request, ResultFuture<FetchResult> out) {
    long startedAt = System.currentTimeMillis();
    HttpRequest http;
    InetAddress ip;
    try {
      http = Requests.httpRequest(request);
      ip = Requests.pinnedIp(request);
    } catch (Requests.Invalid e) {
      failed.inc();
      out.complete(
          List.of(
              Outcomes.failure(
                  context(request, startedAt, 0, 0), FailureKind.INVALID_REQUEST, e.getMessage())));
      return;
    }
    Duration wait = limiter.reserve(request.hostKey());
    Pending pending = new Pending(out);
    inFlight.put(out, pending);
    pending.task = fetchers.submit(() -> fetch(request, http, ip, wait, startedAt, pending));
  }

  /**
   * One request in flight. Its fetch thread and Flink's timeout race to end it; the first wins and
   * the other's result is dropped, so the element is emitted once.
   */
  private final class Pending {
    final ResultFuture<FetchResult> out;
    final AtomicBoolean done = new AtomicBoolean();
    volatile Future<?> task;

    Pending(ResultFuture<FetchResult> out) {
      this.out = out;
    }

    boolean finish(FetchResult result) {
      if (!done.compareAndSet(false, true)) {
        return false;
      }
      inFlight.remove(out);
      out.complete(List.of(result));
      return true;
    }

    void fail(RuntimeException bug) {
      if (done.compareAndSet(false, true)) {
        inFlight.remove(out);
        out.completeExceptionally(bug);
      }
    }
  }

  private void fetch(
      FetchRequest request,
      HttpRequest http,
      InetAddress ip,
      Duration wait,
      long startedAt,
      Pending pending) {
    long waited = 0;
    if (!wait.isZero()) {
      long t0 = System.nanoTime();
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        return; // cancelled by the timeout (which emits the result) or by the task's close
      }
      waited = System.nanoTime() - t0;
    }
    long sent = System.nanoTime();
    try {
      HttpResponse response = client.send(http, ip);
      FetchResult result =
          Outcomes.response(
              context(request, startedAt, waited, System.nanoTime() - sent),
              response,
              config.maxInlineBodyBytes());
      if (pending.finish(result)) {
        fetchedOk.inc();
      }
    } catch (ClassifiedIOException e) {
      FetchResult result =
          Outcomes.failure(context(request, startedAt, waited, System.nanoTime() - sent), e);
      if (pending.finish(result)) {
        failed.inc();
      }
    } catch (IOException e) {
      // The client classifies what it throws; an unclassified IOException is named by its type
      // only, as its message may carry what the peer sent.
      FetchResult result =
          Outcomes.failure(
              context(request, startedAt, waited, System.nanoTime() - sent),
              FailureKind.CONNECTION_CLOSED,
              e.getClass().getSimpleName());
      if (pending.finish(result)) {
        failed.inc();
      }
    } catch (RuntimeException e) {
      // A bug, not a fetch outcome: fail the task so that it shows (Flink restarts it).
      pending.fail(e);
    }
  }

  @Override
  public void timeout(FetchRequest request, ResultFuture<FetchResult> out) {
    Pending pending = inFlight.get(out);
    if (pending == null) {
      return; // ended just now
    }
    FetchResult result =
        Outcomes.failure(
            context(request, System.currentTimeMillis(), 0, 0),
            FailureKind.DEADLINE_EXCEEDED,
            "no result within the async timeout " + config.asyncTimeout());
    if (pending.finish(result)) {
      timedOut.inc();
      Future<?> task = pending.task;
      if (task != null) {
        task.cancel(true);
      }
    }
  }

  private Outcomes.Context context(
      FetchRequest request, long startedAt, long waitedNanos, long fetchNanos) {
    return new Outcomes.Context(request, startedAt, waitedNanos, fetchNanos, subtask, attempt);
  }

  @Override
  public void close() throws Exception {
    // Requests still running are interrupted: on a failover Flink has their inputs in the last
    // checkpoint and sends them again after the restore.
    if (fetchers != null) {
      fetchers.shutdownNow();
      fetchers.awaitTermination(5, TimeUnit.SECONDS);
    }
    if (client != null) {
      client.close();
    }
    if (pool != null) {
      pool.close();
    }
    if (limiter != null) {
      limiter.close();
    }
  }
}
