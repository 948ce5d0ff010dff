package dev.guise.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.RequestFailedException;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.retry.LinearRetryPolicy;
import dev.guise.testkit.Fault;
import dev.guise.testkit.FaultScope;
import dev.guise.testkit.TestServer;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the pool writes to a real SLF4J binding (slf4j-simple, at DEBUG, into a file): the events at
 * DEBUG, only bans at INFO (never a line per request), and no secret a request carried.
 *
 * <p>It lives here, where the tests have a real binding, and runs in its own surefire execution on
 * the class path (see the pom), which sets slf4j-simple's level and file before any logger exists;
 * in the other executions it is skipped.
 */
class PoolLoggingTest {
  private static final String HOST = "www.logging.test";
  private static final String SECRET = "s3cr3t-do-not-log";

  @Test
  void theLogNamesEventsAtDebugBansAtInfoAndNeverASecret() throws Exception {
    String file = System.getProperty("org.slf4j.simpleLogger.logFile");
    assumeTrue(file != null, "runs in the pom's logging execution, which sets the binding up");
    Path log = Path.of(file);
    try (TestServer server =
        TestServer.builder().loopbackAddresses(3).hostNames(HOST).build().start()) {
      List<InetAddress> ips = server.addresses();
      server.faults().add(FaultScope.address(ips.get(0)), Fault.status(403));
      server.faults().add(FaultScope.address(ips.get(1)), Fault.status(503).times(2));
      server.faults().add(FaultScope.address(ips.get(2)), Fault.refuse());
      PoolConfig config =
          PoolConfig.builder()
              .engine("jdk")
              .trust(server.certificateAuthority().trustPolicy())
              .retryPolicy(new LinearRetryPolicy(Duration.ZERO, 2))
              .build();
      int requests = 20;
      try (HotConnectionPool pool = HotConnectionPool.create(config);
          GuiseClient client = new GuiseClient(pool)) {
        pool.addIps(HOST, server.port(), ips);
        for (int i = 0; i < requests; i++) {
          URI uri =
              URI.create(
                  "https://" + HOST + ":" + server.port() + "/page/" + i + "?token=" + SECRET);
          HttpRequest request =
              HttpRequest.newBuilder(uri)
                  .header("authorization", "Bearer " + SECRET)
                  .header("cookie", "session=" + SECRET)
                  .build();
          try {
            client.send(request);
          } catch (RequestFailedException e) {
            // Failures are what the log should tell of.
          }
        }
        long bans = pool.stats().bansStarted();
        assertTrue(bans >= 1, "the 403 bans its IP");

        // Only this test's host: with -Dtest, other tests may share the JVM and the file.
        List<String> lines =
            Files.readAllLines(log).stream().filter(l -> l.contains(HOST)).toList();
        List<String> info = lines.stream().filter(l -> l.contains(" INFO ")).toList();
        List<String> debug = lines.stream().filter(l -> l.contains(" DEBUG ")).toList();
        assertTrue(
            debug.stream().anyMatch(l -> l.contains("dev.guise.pool - opened " + HOST)),
            "connections opened are told at DEBUG: " + lines);
        assertTrue(
            debug.stream().anyMatch(l -> l.contains("dev.guise.pool - retrying " + HOST)),
            "retries are told at DEBUG: " + lines);
        assertTrue(
            info.stream().allMatch(l -> l.contains("dev.guise.pool - banned ")),
            "only bans at INFO: " + info);
        assertEquals(bans, info.size(), "one INFO line per ban, none per request: " + info);
        assertTrue(
            Files.readAllLines(log).stream().noneMatch(l -> l.contains(SECRET)),
            "a secret was logged");
        assertTrue(
            lines.stream().noneMatch(l -> l.contains(" WARN ") || l.contains(" ERROR ")),
            "nothing went wrong in the pool: " + lines);
      }
    }
  }
}
