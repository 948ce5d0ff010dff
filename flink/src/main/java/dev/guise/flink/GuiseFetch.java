package dev.guise.flink;

import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Adds Guise's fetch to a Flink job:
 *
 * <pre>{@code
 * DataStream<FetchRequest> urls = ...;
 * DataStream<FetchResult> pages = GuiseFetch.fetch(urls, GuiseFetchConfig.defaults());
 * }</pre>
 *
 * The stream is keyed by host ({@link HostKeySelector}) and fed to a {@link GuiseFetchFunction} in
 * Flink's unordered async operator, with the config's timeout and capacity. Results come out in
 * completion order. Give the returned operator a {@code uid} of your own to restore it from a
 * savepoint of an earlier version of the job.
 */
public final class GuiseFetch {
  private GuiseFetch() {}

  /** Fetches with the per-task host rate limit ({@link HostRateLimiter#perTask()}). */
  public static SingleOutputStreamOperator<FetchResult> fetch(
      DataStream<FetchRequest> requests, GuiseFetchConfig config) {
    return fetch(requests, new GuiseFetchFunction(config));
  }

  /** Fetches through {@code function} (a subclass, or another rate limiter). */
  public static SingleOutputStreamOperator<FetchResult> fetch(
      DataStream<FetchRequest> requests, GuiseFetchFunction function) {
    GuiseFetchConfig config = function.config();
    return AsyncDataStream.unorderedWait(
            requests.keyBy(new HostKeySelector()),
            function,
            config.asyncTimeout().toMillis(),
            TimeUnit.MILLISECONDS,
            config.capacity())
        .name("guise-fetch");
  }
}
