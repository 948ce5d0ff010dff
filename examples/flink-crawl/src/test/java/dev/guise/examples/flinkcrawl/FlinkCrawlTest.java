package dev.guise.examples.flinkcrawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The crawl on a MiniCluster of parallelism 2 against the testkit server on 200 loopback IPs (20
 * hosts of 10 IPs), as {@code examples/flink-crawl/run} runs it.
 */
class FlinkCrawlTest {
  @Test
  @Timeout(240)
  void twoThousandUrlsAllFetchedOnceEachHostInOneTask() throws Exception {
    Map<String, Object> r = FlinkCrawl.run(CrawlOptions.parse("--ips", "200", "--urls", "2000"));

    assertEquals(2000L, r.get("fetched_ok"), () -> "report: " + r);
    assertEquals(0L, r.get("failed"), () -> "report: " + r);
    assertEquals(0, r.get("lost"), () -> "report: " + r);
    assertEquals(0, r.get("emitted_twice"), () -> "report: " + r);
    assertEquals(0, r.get("restarts"), () -> "report: " + r);
    assertTrue((double) r.get("reuse_rate") >= 0.99, () -> "report: " + r);
    assertEquals(0, r.get("hosts_in_more_than_one_task"), () -> "report: " + r);
    // One connection per IP, opened by the warm-up of the one task that owns its host.
    assertEquals(200L, r.get("handshakes"), () -> "report: " + r);
    assertEquals(2000L, r.get("requests_served"), () -> "report: " + r);
  }

  /**
   * The reliability case "a Flink task killed mid-fetch loses no URL". Each host is held to 40
   * requests a second, so that the crawl spans several checkpoints and the task fails between two.
   */
  @Test
  @Timeout(240)
  void aTaskKilledMidFetchLosesNoUrlAndEmitsNoneTwice() throws Exception {
    Map<String, Object> r =
        FlinkCrawl.run(
            CrawlOptions.parse("--ips", "200", "--urls", "2000", "--fail-once", "--rate", "40"));

    assertTrue((int) r.get("restarts") >= 1, () -> "no restart happened: " + r);
    assertTrue(
        (int) r.get("tasks_restored_from_checkpoint") >= 1,
        () -> "the restart did not start from a checkpoint: " + r);
    assertEquals(0, r.get("lost"), () -> "report: " + r);
    assertEquals(0, r.get("emitted_twice"), () -> "report: " + r);
    assertEquals(2000L, r.get("fetched_ok"), () -> "report: " + r);
    assertEquals(0, r.get("hosts_in_more_than_one_task"), () -> "report: " + r);
    // What the restore sent again shows at the site: at least once, never less.
    assertTrue((long) r.get("requests_served") >= 2000L, () -> "report: " + r);
  }
}
