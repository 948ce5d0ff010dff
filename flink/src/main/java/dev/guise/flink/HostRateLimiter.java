package dev.guise.flink;

import dev.guise.flink.internal.HostTokenBuckets;
import java.io.Serializable;
import java.time.Duration;

/**
 * Paces the requests to each host. The fetch function asks it once per request, on the task thread,
 * and sends after the returned wait (on the request's own thread, so the task never blocks).
 *
 * <p><b>Why a limiter per task holds for the whole job.</b> {@link GuiseFetch#fetch} keys the
 * stream by host ({@link HostKeySelector}), so every request for a host reaches the same task, and
 * that task's limiter sees all of them: no state is shared and nothing is checkpointed (after a
 * restore a host simply starts with a full bucket). This holds within one job; several jobs, or
 * several machines crawling the same host, need a limiter shared between them, for which this
 * interface is the hook (a fleet store's shared token bucket behind a {@link Factory}).
 */
public interface HostRateLimiter extends AutoCloseable {
  /**
   * Takes the host's next slot and returns how long to wait before sending: zero to send now.
   *
   * @param hostKey the request's {@link FetchRequest#hostKey()}
   */
  Duration reserve(String hostKey);

  /** Releases what the limiter holds; called when the task closes. */
  @Override
  default void close() {}

  /** Makes a task's limiter when the task opens; serialised into the job with the function. */
  @FunctionalInterface
  interface Factory extends Serializable {
    /**
     * @param config the job's fetch configuration ({@link
     *     GuiseFetchConfig#maxRequestsPerSecondPerHost})
     * @param subtask this task's index
     * @param parallelism how many tasks run the function
     */
    HostRateLimiter create(GuiseFetchConfig config, int subtask, int parallelism);
  }

  /**
   * A token bucket per host in each task, at {@link GuiseFetchConfig#maxRequestsPerSecondPerHost()}
   * (no limit when 0), with a burst of one request: requests to a host are spaced evenly.
   */
  static Factory perTask() {
    return (config, subtask, parallelism) ->
        config.maxRequestsPerSecondPerHost() == 0
            ? host -> Duration.ZERO
            : new HostTokenBuckets(config.maxRequestsPerSecondPerHost(), System::nanoTime);
  }
}
