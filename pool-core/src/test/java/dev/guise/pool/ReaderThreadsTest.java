package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.HttpProtocol;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.config.ReaderThreads;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.testkit.TestServer;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each kind of HTTP/2 reader thread carries concurrent requests over one connection of the
 * testkit's HTTPS server, is the kind configured, and ends with the pool. Platform threads are the
 * ones {@link Thread#getAllStackTraces()} lists; virtual threads never are.
 */
class ReaderThreadsTest {
  private static final String HOST = "www.readers.test";

  @ParameterizedTest
  @EnumSource(ReaderThreads.class)
  void theConfiguredKindReadsAndEndsWithThePool(ReaderThreads kind) throws Exception {
    try (TestServer server =
        TestServer.builder().loopbackAddresses(2).hostNames(HOST).build().start()) {
      URI url = URI.create("https://" + HOST + ":" + server.port() + "/slow/20");
      HotConnectionPool pool =
          HotConnectionPool.create(
              PoolConfig.builder()
                  .engine("jdk")
                  .trust(server.certificateAuthority().trustPolicy())
                  .readerThreads(kind)
                  .build());
      try (GuiseClient client = new GuiseClient(pool)) {
        for (InetAddress ip : server.addresses()) {
          // The first request learns that the IP speaks h2; then 16 callers share its connection.
          assertEquals(
              HttpProtocol.HTTP_2, client.send(HttpRequest.get(url.toString()), ip).protocol());
          List<Future<HttpResponse>> sent = new ArrayList<>();
          try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 16; i++) {
              sent.add(callers.submit(() -> client.send(HttpRequest.get(url.toString()), ip)));
            }
            for (Future<HttpResponse> f : sent) {
              HttpResponse r = f.get(30, TimeUnit.SECONDS);
              assertEquals(200, r.status());
              assertEquals(HttpProtocol.HTTP_2, r.protocol());
            }
          }
        }
        assertEquals(2, server.connectionsAccepted(), "one HTTP/2 connection per IP");
        assertEquals(kind == ReaderThreads.PLATFORM ? 2 : 0, platformReaders().size());
      } finally {
        pool.close();
      }
      // A platform reader ends when its connection closes (its blocked read fails at once).
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!platformReaders().isEmpty() && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertTrue(platformReaders().isEmpty(), "readers left: " + platformReaders());
    }
  }

  private static List<Thread> platformReaders() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("guise-h2-reader ") && t.isAlive())
        .toList();
  }
}
