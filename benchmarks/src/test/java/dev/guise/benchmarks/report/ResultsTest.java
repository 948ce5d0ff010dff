package dev.guise.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The results.json converter against a JMH result file in JMH's own format. */
class ResultsTest {
  private static String sample() throws IOException {
    try (InputStream in = ResultsTest.class.getResourceAsStream("/sample-jmh.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void readsPrimaryAndSecondaryMetricsWithTheirScenario() throws IOException {
    List<Measurement> all = Results.fromJmh(sample());
    assertEquals(9, all.size());
    Measurement first = all.get(0);
    assertEquals("HotRequests.callers64", first.benchmark());
    assertEquals("protocol=h2", first.scenario());
    assertEquals("guise-jdk", first.subject());
    assertEquals("throughput", first.metric());
    assertEquals("ops/s", first.unit());
    assertEquals(12000.5, first.value());
    assertEquals(150.25, first.error());
    assertTrue(first.higherIsBetter());
    Measurement cpu = all.get(1);
    assertEquals("cpu.per.op", cpu.metric());
    assertEquals(80000.0, cpu.value());
    assertTrue(Double.isNaN(cpu.error()), "JMH writes \"NaN\" as a string");
    assertTrue(!cpu.higherIsBetter());
  }

  @Test
  void comparesEachGuiseSubjectWithTheBestPeerPerMetric() throws IOException {
    List<Results.Entry> entries = Results.compare(Results.fromJmh(sample()));
    // throughput and CPU for the hot requests, time for the handshake; HPACK has no peer here.
    assertEquals(3, entries.size(), entries.toString());

    Results.Entry throughput = entries.get(0);
    assertEquals("HotRequests.callers64 [protocol=h2]", throughput.benchmark());
    assertEquals("okhttp", throughput.peer(), "the highest throughput among peers");
    assertEquals(12000.5 / 10000.0, throughput.ratio(), 1e-12);
    assertEquals("higher", throughput.better());

    Results.Entry cpu = entries.get(1);
    assertEquals("jetty", cpu.peer(), "the lowest CPU per request among peers");
    assertEquals(80000.0 / 64000.0, cpu.ratio(), 1e-12);
    assertEquals("lower", cpu.better());

    Results.Entry handshake = entries.get(2);
    assertEquals("Handshakes.handshake", handshake.benchmark());
    assertEquals("guise-conscrypt", handshake.subject());
    assertEquals("jdk-tls", handshake.peer());
    assertEquals(0.4, handshake.ratio(), 1e-12);
  }

  @Test
  @SuppressWarnings("unchecked")
  void writesTheDocumentedJsonShape() throws IOException {
    String json = Results.toJson(Results.compare(Results.fromJmh(sample())));
    List<Object> parsed = JSON.std.listFrom(json);
    assertEquals(3, parsed.size());
    Map<String, Object> e = (Map<String, Object>) parsed.get(0);
    assertEquals(
        List.of(
            "benchmark",
            "subject",
            "peer",
            "metric",
            "unit",
            "guise",
            "peer_value",
            "ratio",
            "better"),
        List.copyOf(e.keySet()));
    assertEquals("guise-jdk", e.get("subject"));
    assertEquals(10000.0, ((Number) e.get("peer_value")).doubleValue());
    assertEquals(1.20005, ((Number) e.get("ratio")).doubleValue(), 1e-9);
    assertTrue(Results.table(Results.compare(Results.fromJmh(sample()))).contains("| okhttp"));
  }
}
