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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
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
  @EnumSource(
      value = ReaderThreads.class,
      names = {"PLATFORM", "VIRTUAL"})
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
      List<Thread> left = platformReadersAfter(Duration.ofSeconds(10));
      assertTrue(left.isEmpty(), "readers left: " + left);
    }
  }

  /**
   * The adaptive reader starts virtual, reads on a platform thread once a response begins, goes
   * back to a virtual one after a quiet read tick (5 seconds), and comes back for the next
   * response: all on the same connection, which never stops serving.
   */
  @Test
  void theAdaptiveReaderIsPlatformWhileBusyAndVirtualWhileQuiet() throws Exception {
    try (TestServer server =
        TestServer.builder().loopbackAddresses(1).hostNames(HOST).build().start()) {
      URI url = URI.create("https://" + HOST + ":" + server.port() + "/slow/20");
      InetAddress ip = server.addresses().get(0);
      HotConnectionPool pool =
          HotConnectionPool.create(
              PoolConfig.builder()
                  .engine("jdk")
                  .trust(server.certificateAuthority().trustPolicy())
                  .build());
      assertEquals(ReaderThreads.ADAPTIVE, pool.config().readerThreads(), "the default");
      try (GuiseClient client = new GuiseClient(pool)) {
        for (int round = 0; round < 2; round++) {
          HttpResponse r = client.send(HttpRequest.get(url.toString()), ip);
          assertEquals(HttpProtocol.HTTP_2, r.protocol());
          assertEquals(1, platformReaders().size(), "round " + round + ": busy, so platform");
          // Quiet: after a tick without streams the reader moves to a virtual thread.
          List<Thread> left = platformReadersAfter(Duration.ofSeconds(15));
          assertTrue(left.isEmpty(), "round " + round + ": quiet, so virtual: " + left);
        }
        assertEquals(200, client.send(HttpRequest.get(url.toString()), ip).status());
        assertEquals(1, server.connectionsAccepted(), "one connection through every change");
      } finally {
        pool.close();
      }
      List<Thread> left = platformReadersAfter(Duration.ofSeconds(10));
      assertTrue(left.isEmpty(), "readers left: " + left);
    }
  }

  /** The platform readers still alive once none is, or after {@code max}. */
  private static List<Thread> platformReadersAfter(Duration max) throws InterruptedException {
    long until = System.nanoTime() + max.toNanos();
    List<Thread> left = platformReaders();
    while (!left.isEmpty() && System.nanoTime() < until) {
      Thread.sleep(20);
      left = platformReaders();
    }
    return left;
  }

  private static List<Thread> platformReaders() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("guise-h2-reader ") && t.isAlive())
        .toList();
  }
}
