package dev.guise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.testing.RedisServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code guise demo --fleet 2}: two crawler JVMs on the embedded server sharing bans and the rate
 * limit through a real redis-server (the one the tests start, given with a password that the report
 * must mask).
 */
class FleetDemoTest {
  @Test
  void twoProcessesShareBansAndTheRateAndTheJsonSaysSo() throws Exception {
    assumeTrue(RedisServer.installed(), RedisServer.MISSING);
    try (RedisServer redis = RedisServer.start("s3cret-demo", false)) {
      String url = "redis://:s3cret-demo@127.0.0.1:" + redis.port();
      Run r =
          Run.of(
              "demo",
              "--fleet",
              "2",
              "--redis",
              url,
              "--ips",
              "10",
              "--seconds",
              "6",
              "--rate",
              "30",
              "--engine",
              "jdk",
              "--json");
      assertEquals(0, r.code(), r.toString());
      System.out.println(r.out());
      assertTrue(!r.out().contains("s3cret-demo") && !r.err().contains("s3cret-demo"), r.out());
      Map<String, Object> fleet = map(JSON.std.mapFrom(r.out()).get("fleet"));
      assertEquals(2, ((Number) fleet.get("processes")).intValue());
      assertTrue(((String) fleet.get("redis")).contains("***"), fleet.toString());
      assertEquals(0L, number(fleet, "requests_to_banned_after_propagation"), r.out());
      // Every fifth IP from the second answers 403: 10 IPs, 2 bans, each made by one process
      // (or by both, when they meet it at once) and heard from the fleet by the other.
      long local = number(fleet, "bans_local");
      long heard = number(fleet, "bans_from_fleet");
      assertTrue(local >= 2 && local + heard >= 4, r.out());
      Map<String, Object> ms = map(fleet.get("ban_propagation_ms"));
      if (heard > 0) {
        assertNotNull(ms.get("p50"), r.out());
        assertTrue(number(ms, "max") < 5_000, r.out());
      }
      Map<String, Object> rate = map(fleet.get("rate_limit"));
      assertEquals(30.0, ((Number) rate.get("configured_per_s")).doubleValue());
      double observed = ((Number) rate.get("observed_per_s")).doubleValue();
      // The fleet's bucket allows 30/s plus one burst (3) over 6 s: at most 30.5/s; a busy
      // machine may crawl slower, but the two processes must have crawled.
      assertTrue(observed <= 30 * 1.1 && observed > 5, "observed " + observed + "/s: " + r.out());
      List<?> per = (List<?>) fleet.get("per_process");
      assertEquals(2, per.size());
      for (Object o : per) {
        Map<String, Object> p = map(o);
        assertTrue(number(p, "requests") > 0, r.out());
        assertEquals(0L, number(p, "requests_to_banned_after_propagation"), r.out());
      }
    }
  }

  @Test
  void withoutRedisItStartsRedisServerOnLoopbackAndReportsAsText() {
    assumeTrue(RedisServer.installed(), RedisServer.MISSING);
    Run r =
        Run.of(
            "demo",
            "--fleet",
            "2",
            "--ips",
            "5",
            "--seconds",
            "3",
            "--rate",
            "20",
            "--engine",
            "jdk");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().startsWith("fleet: 2 processes sharing Redis redis://127.0.0.1:"), r.out());
    assertTrue(
        r.out().contains("requests to a banned IP after the ban reached the process: 0"), r.out());
    assertTrue(r.out().contains("  process 1: "), r.out());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  private static long number(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).longValue();
  }
}
