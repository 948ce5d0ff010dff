package dev.guise.micrometer;

import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.RequestFailedException;
import dev.guise.pool.WarmUpProgress;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.retry.LinearRetryPolicy;
import dev.guise.testkit.Fault;
import dev.guise.testkit.FaultScope;
import dev.guise.testkit.TestServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The scrape in docs/observability.md: a pool bound to a Prometheus registry sends 30 requests to
 * the testkit server on 6 loopback IPs while faults fire, then prints the registry's scrape. Run it
 * under {@code -XX:StartFlightRecording} and the same run gives the JFR recording of the page.
 */
public final class ObservabilityExample {
  static final String HOST = "www.observability.test";

  private ObservabilityExample() {}

  public static void main(String[] args) throws Exception {
    System.out.print(run());
  }

  /** Runs the example and returns the Prometheus scrape. */
  static String run() throws IOException, InterruptedException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (TestServer server =
        TestServer.builder().loopbackAddresses(6).hostNames(HOST).build().start()) {
      List<InetAddress> ips = server.addresses();
      server.faults().add(FaultScope.address(ips.get(1)), Fault.status(403));
      server.faults().add(FaultScope.address(ips.get(2)), Fault.status(503).times(2));
      server.faults().add(FaultScope.address(ips.get(3)), Fault.reset(0).times(1));
      GuisePoolMetrics metrics = GuisePoolMetrics.builder().tag("pool", "example").build();
      metrics.bindTo(registry);
      PoolConfig config =
          PoolConfig.builder()
              .engine("jdk")
              .trust(server.certificateAuthority().trustPolicy())
              .retryPolicy(new LinearRetryPolicy(Duration.ZERO, 2))
              .build();
      try (HotConnectionPool pool = metrics.createPool(config);
          GuiseClient client = new GuiseClient(pool)) {
        // The fifth IP is not served: its warm-up is refused, and so is every later try.
        server.faults().add(FaultScope.address(ips.get(4)), Fault.refuse());
        pool.warmUp(HOST, server.port(), ips, WarmUpProgress.NONE);
        String url = "https://" + HOST + ":" + server.port() + "/";
        for (int i = 0; i < 30; i++) {
          try {
            client.send(HttpRequest.get(url + "page/" + i));
          } catch (RequestFailedException e) {
            // Counted by the meters, which is the point here.
          }
        }
        String scrape = registry.scrape();
        metrics.close();
        return scrape;
      }
    }
  }
}
