package dev.guise.micrometer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The example of docs/observability.md runs, and its scrape has every Guise meter in it. */
class ObservabilityExampleTest {
  @Test
  void theExamplesPrometheusScrapeShowsEveryGuiseMeter() throws Exception {
    String scrape = ObservabilityExample.run();
    Files.writeString(Path.of("target", "observability-scrape.txt"), scrape);
    for (String series :
        List.of(
            "guise_connections{host=\"www.observability.test\",ip=\"127.0.1.1\","
                + "pool=\"example\",state=\"IDLE\"}",
            "guise_requests_seconds_count{failure=\"NONE\",host=\"www.observability.test\","
                + "outcome=\"SUCCESS\",pool=\"example\"}",
            "guise_handshakes_seconds_count{failure=\"CONNECTION_REFUSED\","
                + "host=\"www.observability.test\",ip=\"127.0.1.5\",outcome=\"FAILURE\","
                + "pool=\"example\"}",
            "guise_retries_total{failure=\"IP_BLOCKED\",host=\"www.observability.test\","
                + "pool=\"example\"}",
            "guise_bans_started_total{host=\"www.observability.test\",ip=\"127.0.1.2\","
                + "pool=\"example\"} 1.0",
            "guise_bans_active{host=\"www.observability.test\",pool=\"example\"}")) {
      assertTrue(scrape.contains(series), series + " in\n" + scrape);
    }
    // 30 requests, each ending once, as a success or a failure.
    long ended =
        Pattern.compile("(?m)^guise_requests_seconds_count\\{[^}]*} (\\d+)")
            .matcher(scrape)
            .results()
            .mapToLong(m -> Long.parseLong(m.group(1)))
            .sum();
    assertTrue(ended == 30, "requests ended: " + ended + " in\n" + scrape);
  }
}
