package dev.guise.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.guise.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad requests and timeouts are results of their own; the job goes on (a MiniCluster, real TLS).
 */
class GuiseFetchFunctionTest {
  @Test
  @Timeout(120)
  void badInputAndTimeoutsAreClassifiedResultsNotJobFailures() throws Exception {
    try (TestServer server = TestServer.builder().loopbackAddresses(1).build().start()) {
      String ip = server.addresses().get(0).getHostAddress();
      String base = "https://" + ip + ":" + server.port();
      GuiseFetchConfig config =
          GuiseFetchConfig.defaults()
              .withEngine("jdk")
              .withProfile("jdk-default")
              .withTrustAnchorsPem(
                  List.of(pem(server.certificateAuthority().certificate().getEncoded())))
              .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(40), Duration.ofSeconds(10));
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
      var requests =
          env.fromData(
              FetchRequest.pinned(base + "/page", ip),
              FetchRequest.of("not a url"),
              FetchRequest.of("http://" + ip + "/plain-http"),
              FetchRequest.pinned(base + "/pinned-to-a-name", "localhost"),
              new FetchRequest(base + "/kind", null, "no-such-kind", null),
              FetchRequest.of(base + "/slow/30000"));

      Map<String, FetchResult> byUrl = new HashMap<>();
      try (CloseableIterator<FetchResult> it =
          GuiseFetch.fetch(requests, config).executeAndCollect()) {
        it.forEachRemaining(r -> byUrl.put(r.request().url(), r));
      }

      assertEquals(6, byUrl.size(), () -> "results: " + byUrl);
      FetchResult ok = byUrl.get(base + "/page");
      assertEquals(200, ok.status(), () -> ok.failureKind() + ": " + ok.failureMessage());
      assertNull(ok.failureKind());
      assertEquals(ip, ok.ip());
      assertEquals("ok\n", new String(ok.body(), StandardCharsets.UTF_8));
      List<String> invalid = new ArrayList<>();
      for (String url :
          List.of(
              "not a url",
              "http://" + ip + "/plain-http",
              base + "/pinned-to-a-name",
              base + "/kind")) {
        invalid.add(byUrl.get(url).failureKind());
      }
      assertEquals(
          List.of("INVALID_REQUEST", "INVALID_REQUEST", "INVALID_REQUEST", "INVALID_REQUEST"),
          invalid);
      assertEquals("DEADLINE_EXCEEDED", byUrl.get(base + "/slow/30000").failureKind());
    }
  }

  private static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }
}
