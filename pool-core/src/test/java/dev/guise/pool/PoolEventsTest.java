package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.TlsEndpoint;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.retry.LinearRetryPolicy;
import dev.guise.pool.stats.PoolEventListener;
import dev.guise.testkit.Fault;
import dev.guise.testkit.FaultScope;
import dev.guise.testkit.TestServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a pool reports while it works: to listeners, and as JFR events for Mission Control. */
class PoolEventsTest {
  private static final String HOST = "www.events.test";

  @Test
  void listenersAndJfrSeeHandshakesRequestsRetriesBansAndEvictions(@TempDir Path dir)
      throws Exception {
    Map<String, AtomicInteger> heard = new ConcurrentHashMap<>();
    PoolEventListener listener =
        new PoolEventListener() {
          private void hear(String what) {
            heard.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
          }

          @Override
          public void connectionOpened(TlsEndpoint endpoint, String profile, Duration handshake) {
            hear("opened");
          }

          @Override
          public void connectionClosed(TlsEndpoint endpoint, String reason) {
            hear("closed");
          }

          @Override
          public void requestCompleted(
              TlsEndpoint endpoint, int status, Duration took, boolean reused) {
            hear("completed");
          }

          @Override
          public void retrying(
              String host, int attempt, ClassifiedFailure failure, Duration delay) {
            hear("retrying");
          }

          @Override
          public void ipBanned(String host, InetAddress ip, Instant until, String reason) {
            hear("banned");
          }
        };
    try (Recording recording = new Recording()) {
      recording.enable("dev.guise.Handshake");
      recording.enable("dev.guise.Request");
      recording.enable("dev.guise.Retry");
      recording.enable("dev.guise.Ban");
      recording.enable("dev.guise.Eviction");
      recording.start();
      try (TestServer server =
          TestServer.builder().loopbackAddresses(2).hostNames(HOST).build().start()) {
        server.faults().add(FaultScope.address(server.addresses().get(0)), Fault.status(403));
        try (HotConnectionPool pool =
                HotConnectionPool.create(
                    PoolConfig.builder()
                        .engine("jdk")
                        .trust(server.certificateAuthority().trustPolicy())
                        .retryPolicy(new LinearRetryPolicy(Duration.ZERO, 2))
                        .eventListener(listener)
                        .build());
            GuiseClient client = new GuiseClient(pool)) {
          pool.addIps(HOST, server.port(), server.addresses());
          String url = "https://" + HOST + ":" + server.port() + "/";
          assertEquals(200, client.send(HttpRequest.get(url)).status());
        }
      }
      recording.stop();
      Path file = dir.resolve("guise.jfr");
      recording.dump(file);
      List<RecordedEvent> events = RecordingFile.readAllEvents(file);
      Map<String, Long> byType =
          events.stream()
              .collect(
                  Collectors.groupingBy(e -> e.getEventType().getName(), Collectors.counting()));
      assertTrue(Files.size(file) > 0);
      assertEquals(2L, byType.get("dev.guise.Handshake"), "" + byType);
      assertEquals(1L, byType.get("dev.guise.Ban"), "" + byType);
      assertEquals(1L, byType.get("dev.guise.Retry"), "" + byType);
      assertTrue(byType.get("dev.guise.Request") >= 2, "" + byType);
      assertTrue(
          byType.get("dev.guise.Eviction") >= 2,
          "closing the pool evicts both connections: " + byType);
    }
    assertEquals(2, heard.get("opened").get(), "" + heard);
    assertEquals(1, heard.get("banned").get(), "" + heard);
    assertEquals(1, heard.get("retrying").get(), "" + heard);
    assertEquals(
        2, heard.get("completed").get(), "the 403 and the 200 both got responses: " + heard);
    assertEquals(2, heard.get("closed").get(), "" + heard);
  }

  /**
   * The listener comes from the configuration's factory as the pool is created, so nothing can
   * happen before it listens: the first thing a fresh pool's listener hears is its first connection
   * opening. Each pool built from one configuration gets its own listener.
   */
  @Test
  void eachPoolsListenerFromTheFactoryHearsItsFirstConnectionOpen() throws Exception {
    List<List<String>> heardByPool = new CopyOnWriteArrayList<>();
    PoolEventListener.Factory factory =
        () -> {
          List<String> heard = new CopyOnWriteArrayList<>();
          heardByPool.add(heard);
          return new PoolEventListener() {
            @Override
            public void connectionOpened(TlsEndpoint endpoint, String profile, Duration handshake) {
              heard.add("opened " + endpoint.ip().getHostAddress());
            }

            @Override
            public void connectionFailed(
                TlsEndpoint endpoint, ClassifiedFailure failure, Duration took) {
              heard.add("failed " + endpoint.ip().getHostAddress());
            }

            @Override
            public void connectionClosed(TlsEndpoint endpoint, String reason) {
              heard.add("closed " + endpoint.ip().getHostAddress());
            }
          };
        };
    try (TestServer server =
        TestServer.builder().loopbackAddresses(1).hostNames(HOST).build().start()) {
      InetAddress ip = server.addresses().get(0);
      PoolConfig config =
          PoolConfig.builder()
              .engine("jdk")
              .trust(server.certificateAuthority().trustPolicy())
              .eventListenerFactory(factory)
              .build();
      try (HotConnectionPool first = HotConnectionPool.create(config);
          HotConnectionPool second = HotConnectionPool.create(config)) {
        assertEquals(2, heardByPool.size(), "one listener per pool, made as the pool is created");
        WarmUpSummary warm = first.warmUp(HOST, server.port(), List.of(ip), WarmUpProgress.NONE);
        assertEquals(1, warm.ready(), "" + warm);
        assertEquals(
            List.of("opened " + ip.getHostAddress()),
            heardByPool.get(0),
            "the first pool's listener heard its first connection open, and nothing before");
        assertEquals(List.of(), heardByPool.get(1), "the second pool opened nothing");
      }
    }
  }
}
