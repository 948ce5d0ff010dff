package dev.guise.flink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.testkit.TestServer;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** The gauges read a real pool that fetched from the testkit server. */
class PoolGaugesTest {
  /** A metric group that keeps what is registered, by dotted name. */
  static final class Recording extends UnregisteredMetricsGroup {
    final Map<String, Metric> metrics;
    final String prefix;

    Recording(Map<String, Metric> metrics, String prefix) {
      this.metrics = metrics;
      this.prefix = prefix;
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
      metrics.put(prefix + name, gauge);
      return gauge;
    }

    @Override
    public MetricGroup addGroup(String name) {
      return new Recording(metrics, prefix + name + ".");
    }
  }

  @Test
  void showThePoolsFiguresInTheMetricGroup() throws Exception {
    Map<String, Metric> metrics = new HashMap<>();
    try (TestServer server = TestServer.builder().loopbackAddresses(2).build().start();
        HotConnectionPool pool =
            HotConnectionPool.create(
                PoolConfig.builder()
                    .engine("jdk")
                    .trust(server.certificateAuthority().trustPolicy())
                    .build());
        GuiseClient client = new GuiseClient(pool)) {
      PoolGauges.register(new Recording(metrics, "guise."), pool::stats);
      for (int i = 0; i < 3; i++) {
        client.send(HttpRequest.get(server.uri(server.addresses().get(i % 2), "/").toString()));
      }

      assertEquals(3L, value(metrics, "guise.requests"));
      assertEquals(2L, value(metrics, "guise.handshakes"));
      assertEquals(1L, value(metrics, "guise.reusedRequests"));
      assertEquals(2L, value(metrics, "guise.hosts")); // each IP literal is a host of its own
      assertEquals(2L, value(metrics, "guise.connections.idle"));
      assertEquals(1.0 / 3, (double) value(metrics, "guise.reuseRate"), 1e-9);
    }
  }

  private static Object value(Map<String, Metric> metrics, String name) {
    return ((Gauge<?>) metrics.get(name)).getValue();
  }
}
