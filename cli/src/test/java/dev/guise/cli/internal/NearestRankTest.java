package dev.guise.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The percentiles of the demo's and the fleet's reports: nearest rank, the same in both. */
class NearestRankTest {
  @Test
  void theRankIsAMeasuredValueWithinTheValues() {
    assertEquals(0, NearestRank.index(1, 0.99));
    assertEquals(49, NearestRank.index(100, 0.50));
    assertEquals(98, NearestRank.index(100, 0.99));
    assertEquals(99, NearestRank.index(101, 0.99)); // ceil(99.99) = 100, the 100th value
    assertEquals(0, NearestRank.index(10, 0.0));
    assertEquals(9, NearestRank.index(10, 1.0));
    assertThrows(IllegalArgumentException.class, () -> NearestRank.index(0, 0.5));
  }

  @Test
  void bothReportsRankTheSameValues() {
    List<Long> ms = new ArrayList<>();
    long[] nanos = new long[200];
    for (int i = 0; i < 200; i++) {
      long v = (i * 37L) % 200 + 1; // 1..200, shuffled
      ms.add(v);
      nanos[i] = v * 1_000_000;
    }
    Map<String, Object> fleet = FleetReport.percentiles(ms);
    Map<String, Double> demo = DemoCommand.percentiles(nanos);
    assertEquals(100L, fleet.get("p50"));
    assertEquals(198L, fleet.get("p99"));
    assertEquals(200L, fleet.get("max"));
    assertEquals(100.0, demo.get("p50"));
    assertEquals(180.0, demo.get("p90"));
    assertEquals(198.0, demo.get("p99"));
    assertEquals(200.0, demo.get("max"));
    // None measured: the fleet says so with nulls, the demo with zeros (as its report always did).
    assertEquals(null, FleetReport.percentiles(List.of()).get("p99"));
    assertEquals(0.0, DemoCommand.percentiles(new long[0]).get("p99"));
  }
}
