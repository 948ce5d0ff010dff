package dev.guise.examples.flinkcrawl;

import dev.guise.flink.FetchRequest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Which URL is number i: host {@code i % hosts} ({@code site-K.crawl.test}), pinned to one of that
 * host's IPs in turn, path {@code /page/i}. A pure function of i, so the job's source is just a
 * checkpointed sequence of numbers, replayed from its checkpointed position after a restore.
 */
public record CrawlPlan(int ips, int hosts, int port) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The host names, site-0.crawl.test ... */
  public List<String> hostNames() {
    List<String> out = new ArrayList<>(hosts);
    for (int k = 0; k < hosts; k++) {
      out.add(host(k));
    }
    return out;
  }

  static String host(int k) {
    return "site-" + k + ".crawl.test";
  }

  /** URL number {@code i}. */
  public FetchRequest request(long i) {
    int k = (int) (i % hosts);
    // The host's IPs are indices k, k + hosts, k + 2 * hosts, ... below ips.
    int perHost = (ips - k + hosts - 1) / hosts;
    int ipIndex = k + (int) ((i / hosts) % perHost) * hosts;
    String ip = "127.0." + (1 + ipIndex / 250) + "." + (1 + ipIndex % 250);
    String url = "https://" + host(k) + ":" + port + "/page/" + i;
    return new FetchRequest(url, ip, "document", host(k));
  }

  /** {@link #request} as a Flink map. */
  public MapFunction<Long, FetchRequest> asMap() {
    CrawlPlan plan = this;
    return plan::request;
  }
}
