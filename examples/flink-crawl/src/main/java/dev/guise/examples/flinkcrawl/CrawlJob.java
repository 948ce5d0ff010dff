package dev.guise.examples.flinkcrawl;

import dev.guise.flink.FetchRequest;
import dev.guise.flink.FetchResult;
import dev.guise.flink.GuiseFetch;
import dev.guise.flink.GuiseFetchConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The crawl as a Flink job: a checkpointed sequence of URL numbers, turned into fetch requests,
 * fetched by Guise keyed by host, and committed exactly once at each completed checkpoint.
 */
public final class CrawlJob {
  /** Checkpoints often: the job is short, and a restore should start from a recent one. */
  static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(100);

  private CrawlJob() {}

  /**
   * Adds the job to {@code env}: what a real deployment runs too (with a real source and sink).
   *
   * @param failAfter with --fail-once, the results subtask 0 passes on before failing; 0 for none
   */
  public static void build(
      StreamExecutionEnvironment env,
      CrawlPlan plan,
      long urls,
      GuiseFetchConfig config,
      String runId,
      long failAfter) {
    env.enableCheckpointing(CHECKPOINT_INTERVAL.toMillis());
    // Fetches are slow next to the source, so the fetch operator's input backs up; an aligned
    // barrier would queue behind all of it and no checkpoint would complete before the input is
    // drained. Unaligned barriers overtake the queued requests, which go into the checkpoint.
    env.getCheckpointConfig().enableUnalignedCheckpoints();
    DataStream<FetchRequest> requests =
        env.fromSequence(0, urls - 1).map(plan.asMap()).returns(FetchRequest.class).name("urls");
    DataStream<FetchResult> results = GuiseFetch.fetch(requests, config);
    if (failAfter > 0) {
      results = results.map(new FailOnce(failAfter)).name("fail-once");
    }
    results.process(new CommittingSink(runId)).name("commit").sinkTo(new DiscardingSink<>());
  }

  /** A local environment (an embedded MiniCluster) that restarts a failed job up to 3 times. */
  public static StreamExecutionEnvironment localEnvironment(int parallelism) {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    return StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
  }

  /**
   * The fetch settings for the example's site: the given engine with the Chrome profile (the {@code
   * jdk} engine with its own), the site's CA as the only trust anchor, and every host's IPs warmed
   * up by the task that owns it.
   */
  public static GuiseFetchConfig config(
      String engine, CrawlPlan plan, String caPem, Duration requestTimeout) {
    Map<String, List<String>> warmUp = new LinkedHashMap<>();
    for (int k = 0; k < plan.hosts(); k++) {
      List<String> ips = new ArrayList<>();
      for (int i = k; i < plan.ips(); i += plan.hosts()) {
        ips.add("127.0." + (1 + i / 250) + "." + (1 + i % 250));
      }
      warmUp.put(CrawlPlan.host(k) + ":" + plan.port(), ips);
    }
    return GuiseFetchConfig.defaults()
        .withEngine(engine)
        // The plain JDK engine has no browser profile, only its own.
        .withProfile(engine.equals("jdk") ? "jdk-default" : "chrome")
        .withTrustAnchorsPem(List.of(caPem))
        .withWarmUp(warmUp)
        .withTimeouts(Duration.ofSeconds(10), requestTimeout, requestTimeout.multipliedBy(3));
  }

  /** {@code der} as a PEM certificate. */
  public static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }
}
