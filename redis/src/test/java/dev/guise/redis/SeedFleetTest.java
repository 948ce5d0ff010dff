package dev.guise.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.guise.testing.RedisServer;
import dev.guise.testkit.Fault;
import dev.guise.testkit.FaultScope;
import dev.guise.testkit.TestServer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The seed scenario with three crawler processes sharing state: three JVMs ({@link SeedFleetChild})
 * on one real redis-server each warm up validated connections to the same 1,000 loopback IPs of one
 * host (127.0.1.1 ... 127.0.4.232), then crawl rounds of requests pinned to every IP. After the
 * warm-up ten IPs start answering 403: the process that meets one first bans it, the others hear of
 * it through Redis. Each process must reuse its warm connections for at least 99.9 % of its
 * requests, fail at most 0.1 % of its warm-up, and send no request to an IP once it knew of the
 * IP's ban.
 *
 * <p>Sockets: 3,000 client connections in the children and 3,000 accepted here (this JVM's limit is
 * the machine's {@code ulimit -n}, 20,000 on the build machine).
 */
class SeedFleetTest {
  private static final String HOST = "www.seed.test";
  private static final int IPS = 1000;
  private static final int PROCESSES = 3;
  private static final int ROUNDS = 3;
  private static final int BLOCKED = 10;

  @Test
  void threeProcessesOnThousandIpsReuseWarmConnectionsAndShareBans() throws Exception {
    assumeTrue(RedisServer.installed(), RedisServer.MISSING);
    Path ca = Files.createTempFile("guise-seed-ca-", ".der");
    List<Process> children = new ArrayList<>();
    try (RedisServer redis = RedisServer.start();
        TestServer server =
            TestServer.builder().loopbackAddresses(IPS).hostNames(HOST).build().start()) {
      Files.write(ca, server.certificateAuthority().certificate().getEncoded());
      List<InetAddress> ips = server.addresses();
      String ipList =
          ips.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(","));
      List<BlockingQueue<String>> outs = new ArrayList<>();
      for (int i = 0; i < PROCESSES; i++) {
        Process p =
            FleetProcessesTest.java(
                SeedFleetChild.class,
                redis.uri(),
                "seed:",
                Integer.toString(server.port()),
                ca.toString(),
                HOST,
                ipList,
                Integer.toString(i),
                Integer.toString(ROUNDS));
        children.add(p);
        outs.add(FleetProcessesTest.lines(p));
      }

      long warmFailed = 0;
      for (int i = 0; i < PROCESSES; i++) {
        String line =
            FleetProcessesTest.next(children.get(i), outs.get(i), Duration.ofSeconds(180));
        String[] w = line.split(" ");
        assertEquals("warm", w[0], line);
        assertEquals(IPS, Integer.parseInt(w[1]), line);
        int failed = Integer.parseInt(w[2]);
        System.out.printf(
            "seed fleet: process %d warmed %s IPs in %s ms, %d failed%n", i, w[1], w[3], failed);
        assertTrue(failed <= IPS / 1000, "process " + i + " warm-up failures: " + line);
        warmFailed += failed;
      }

      // Blocked only now, so the warm-up's validation requests all answer 200.
      List<InetAddress> blocked = new ArrayList<>();
      Map<InetAddress, Long> receivedBefore = new HashMap<>();
      for (int i = 0; i < BLOCKED; i++) {
        InetAddress ip = ips.get(i * (IPS / BLOCKED) + 50);
        blocked.add(ip);
        receivedBefore.put(ip, server.requestsReceived(ip));
        server.faults().add(FaultScope.address(ip), Fault.status(403));
      }
      for (Process p : children) {
        p.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
      }

      // Every process's figures first, then the checks: a failure shows the whole fleet.
      List<Map<String, String>> figures = new ArrayList<>();
      List<List<String>> details = new ArrayList<>();
      for (int i = 0; i < PROCESSES; i++) {
        String line =
            FleetProcessesTest.next(children.get(i), outs.get(i), Duration.ofSeconds(180));
        System.out.println("seed fleet: process " + i + " " + line);
        assertTrue(line.startsWith("done "), line);
        Map<String, String> f = figures(line);
        figures.add(f);
        List<String> more = new ArrayList<>();
        long lines =
            Math.min(10, Long.parseLong(f.get("violations")))
                + Math.min(10, Long.parseLong(f.get("other")));
        for (long v = 0; v < lines; v++) {
          more.add(FleetProcessesTest.next(children.get(i), outs.get(i), Duration.ofSeconds(5)));
        }
        int n = i;
        more.forEach(m -> System.out.println("seed fleet: process " + n + " " + m));
        details.add(more);
      }
      long requests = 0;
      long fromFleet = 0;
      for (int i = 0; i < PROCESSES; i++) {
        Map<String, String> f = figures.get(i);
        String line = f.toString();
        assertEquals(
            0, Long.parseLong(f.get("violations")), "process " + i + ": " + details.get(i));
        double reuse = Double.parseDouble(f.get("reuse"));
        assertTrue(reuse >= 0.999, "process " + i + " reuse " + reuse + ": " + line);
        // No IP but the ten failed, and each of those was met (a 403) or refused as banned.
        assertEquals(0, Long.parseLong(f.get("other")), "process " + i + ": " + details.get(i));
        assertEquals(
            (long) ROUNDS * IPS,
            Long.parseLong(f.get("answered"))
                + Long.parseLong(f.get("blocked"))
                + Long.parseLong(f.get("refused")),
            line);
        // Every blocked IP was met or heard of: each process knows all ten bans.
        assertEquals(BLOCKED, Long.parseLong(f.get("bans_known")), "process " + i + ": " + line);
        assertEquals("true", f.get("redis_connected"), line);
        requests += Long.parseLong(f.get("requests"));
        fromFleet += Long.parseLong(f.get("bans_from_fleet"));
      }
      System.out.printf(
          "seed fleet: %d processes x %d IPs x %d rounds: %d requests, %d warm-up failures,"
              + " %d bans heard from the fleet before meeting the IP%n",
          PROCESSES, IPS, ROUNDS, requests, warmFailed, fromFleet);
      // The processes start their rounds a third of the IPs apart: most meet a blocked IP after
      // another banned it, so sharing shows.
      assertTrue(fromFleet > 0, "no process heard a ban from the fleet first");
      for (InetAddress ip : blocked) {
        // The server's own count: each process sent a blocked IP at most one request (the 403 it
        // banned on, or none when it heard of the ban first); every later one was refused.
        long sent = server.requestsReceived(ip) - receivedBefore.get(ip);
        assertTrue(sent <= PROCESSES, ip + " got " + sent + " requests after the warm-up");
      }
    } finally {
      for (Process p : children) {
        p.getOutputStream().close();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      Files.deleteIfExists(ca);
    }
  }

  private static Map<String, String> figures(String line) {
    Map<String, String> m = new HashMap<>();
    for (String part : line.split(" ")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        m.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return m;
  }
}
