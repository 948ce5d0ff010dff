package dev.guise.examples.flinkcrawl;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.testkit.TestServer;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.flink.runtime.client.JobExecutionException;

/**
 * {@code examples/flink-crawl/run}: the crawl job on an embedded MiniCluster against the testkit
 * server on N loopback IPs, and a report of what the ledger received.
 */
public final class FlinkCrawl {
  private FlinkCrawl() {}

  public static void main(String[] args) throws Exception {
    CrawlOptions options;
    try {
      options = CrawlOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("flink-crawl: " + e.getMessage());
      System.err.println(
          "usage: run [--ips N] [--urls N] [--parallelism P] [--fail-once] [--json]"
              + " [--engine bouncycastle|conscrypt|jdk] [--rate PER_SECOND_PER_HOST]");
      System.exit(2);
      return;
    }
    Map<String, Object> report;
    try {
      report = run(options);
    } catch (JobExecutionException e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      System.err.println("flink-crawl: the job failed: " + cause);
      System.exit(1);
      return;
    }
    PrintStream out = System.out;
    out.println(options.json() ? JSON.std.asString(report) : text(report));
    // Flink's MiniCluster leaves non-daemon threads behind; the job is done.
    System.exit(((Number) report.get("lost")).intValue() == 0 ? 0 : 1);
  }

  /** Runs the crawl and returns its report (the keys the run script's --json prints). */
  public static Map<String, Object> run(CrawlOptions o) throws Exception {
    String runId = UUID.randomUUID().toString();
    List<String> names = new CrawlPlan(o.ips(), o.hosts(), 0).hostNames();
    long started = System.nanoTime();
    try (TestServer server =
        TestServer.builder()
            .loopbackAddresses(o.ips())
            .hostNames(names.toArray(String[]::new))
            .build()
            .start()) {
      CrawlPlan plan = new CrawlPlan(o.ips(), o.hosts(), server.port());
      String caPem = CrawlJob.pem(server.certificateAuthority().certificate().getEncoded());
      var env = CrawlJob.localEnvironment(o.parallelism());
      long failAfter = o.failOnce() ? Math.max(1, o.urls() / (4L * o.parallelism())) : 0;
      CrawlJob.build(
          env,
          plan,
          o.urls(),
          CrawlJob.config(o.engine(), plan, caPem, Duration.ofSeconds(20))
              .withMaxRequestsPerSecondPerHost(o.rate()),
          runId,
          failAfter);
      env.execute("guise-flink-crawl");

      ResultLedger ledger = ResultLedger.of(runId);
      int lost = 0;
      for (long i = 0; i < o.urls(); i++) {
        if (!ledger.has(plan.request(i).url())) {
          lost++;
        }
      }
      Map<String, Set<Integer>> perHost = ledger.subtasksPerHost();
      Map<String, Set<String>> perTask = new TreeMap<>();
      int split = 0;
      for (Map.Entry<String, Set<Integer>> e : perHost.entrySet()) {
        if (e.getValue().size() > 1) {
          split++;
        }
        for (int t : e.getValue()) {
          perTask.computeIfAbsent(String.valueOf(t), x -> new TreeSet<>()).add(e.getKey());
        }
      }
      long fetchedOk = ledger.ok();
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("urls", o.urls());
      r.put("ips", o.ips());
      r.put("hosts", o.hosts());
      r.put("parallelism", o.parallelism());
      r.put("engine", o.engine());
      r.put("rate_per_host", o.rate());
      r.put("fetched_ok", fetchedOk);
      r.put("failed", ledger.failed());
      r.put("failures_by_kind", ledger.failuresByKind());
      r.put("emitted_twice", ledger.emittedTwice());
      r.put("lost", lost);
      r.put("restarts", ledger.maxAttempt());
      r.put("tasks_restored_from_checkpoint", ledger.restoredTasks());
      r.put("repeated_batches_ignored", ledger.repeatedBatches());
      r.put("reuse_rate", fetchedOk == 0 ? 0.0 : (double) ledger.reused() / fetchedOk);
      r.put("handshakes", server.connectionsAccepted());
      long served = 0;
      for (InetAddress ip : server.addresses()) {
        served += server.requestsReceived(ip);
      }
      // Requests the site answered: above urls when a restore sent some again.
      r.put("requests_served", served);
      r.put("hosts_in_more_than_one_task", split);
      r.put("per_task_hosts", perTask);
      r.put("seconds", (System.nanoTime() - started) / 1e9);
      return r;
    } finally {
      ResultLedger.drop(runId);
    }
  }

  private static String text(Map<String, Object> r) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Object> e : r.entrySet()) {
      Object v = e.getValue();
      if (v instanceof Map<?, ?> m && e.getKey().equals("per_task_hosts")) {
        for (Map.Entry<?, ?> t : m.entrySet()) {
          b.append(String.format("%-26s %s%n", "task " + t.getKey() + " hosts", t.getValue()));
        }
      } else {
        b.append(String.format("%-26s %s%n", e.getKey(), v));
      }
    }
    return b.toString();
  }
}
