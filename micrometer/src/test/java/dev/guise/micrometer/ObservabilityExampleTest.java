package dev.guise.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** The example of docs/observability.md runs, and its scrape has every Guise meter in it. */
class ObservabilityExampleTest {
  /**
   * Also records the run as {@code -XX:StartFlightRecording} would (the JDK's default settings),
   * into target/observability.jfr, the recording summarised in docs/observability.md.
   */
  @Test
  void theExamplesPrometheusScrapeShowsEveryGuiseMeterAndJfrItsEvents() throws Exception {
    String scrape;
    Path jfr = Path.of("target", "observability.jfr");
    try (Recording recording = new Recording(Configuration.getConfiguration("default"))) {
      recording.start();
      scrape = ObservabilityExample.run();
      recording.stop();
      recording.dump(jfr);
    }
    Files.writeString(Path.of("target", "observability-scrape.txt"), scrape);
    Map<String, Long> guiseEvents =
        RecordingFile.readAllEvents(jfr).stream()
            .map(e -> e.getEventType().getName())
            .filter(name -> name.startsWith("dev.guise."))
            .collect(Collectors.groupingBy(name -> name, TreeMap::new, Collectors.counting()));
    assertEquals(
        Set.of(
            "dev.guise.Ban",
            "dev.guise.Eviction",
            "dev.guise.Handshake",
            "dev.guise.Request",
            "dev.guise.Retry"),
        guiseEvents.keySet(),
        "" + guiseEvents);
    assertEquals(2L, guiseEvents.get("dev.guise.Ban"), "the 403 and the refusing IP");
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
