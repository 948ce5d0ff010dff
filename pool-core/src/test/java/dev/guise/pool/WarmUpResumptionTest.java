package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.pool.config.PoolConfig;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.TestServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Warm-up resumes as a browser would: the host's first connection gets a TLS 1.3 ticket before the
 * others open, and connections to its other IPs offer it (the testkit server, one JDK TLS context
 * on every IP, sees {@code pre_shared_key} in their ClientHellos). Also prints warm-up wall time
 * and process CPU with and without resumption (client and server share the process), a bounded
 * measurement.
 */
@Timeout(120)
class WarmUpResumptionTest {
  private static final String HOST = "www.warm.test";
  private static final int PRE_SHARED_KEY = 41;
  private static final int IPS = 8;

  private static HotConnectionPool pool(TestServer server, boolean resumption) {
    return HotConnectionPool.create(
        PoolConfig.builder()
            .engine("bouncycastle")
            .profile("chrome-156")
            .tlsResumption(resumption)
            .trust(server.certificateAuthority().trustPolicy())
            .build());
  }

  private static List<ConnectionRecord> byArrival(TestServer server) {
    return server.connections().stream()
        .sorted(Comparator.comparingLong(ConnectionRecord::id))
        .toList();
  }

  private static boolean offersTicket(ConnectionRecord c) {
    return c.clientHello().orElseThrow().hasExtension(PRE_SHARED_KEY);
  }

  @Test
  void theFirstConnectionGetsATicketAndTheOthersResume() throws Exception {
    try (TestServer server =
            TestServer.builder().loopbackAddresses(IPS).hostNames(HOST).build().start();
        HotConnectionPool pool = pool(server, true)) {
      List<InetAddress> ips = server.addresses();
      WarmUpSummary w = pool.warmUp(HOST, server.port(), ips, WarmUpProgress.NONE);
      assertEquals(IPS, w.ready(), "" + w);
      List<ConnectionRecord> seen = byArrival(server);
      assertEquals(IPS, seen.size());
      ConnectionRecord first = seen.get(0);
      assertEquals(ips.get(0), first.localAddress().getAddress(), "the first IP goes first");
      assertFalse(offersTicket(first), "nothing to resume yet: a full handshake");
      // Tickets are used once, as the browsers use them: as many of the rest resume as the first
      // connection got tickets (the JDK server sends one). Opened all at once, none would.
      long offering = seen.subList(1, IPS).stream().filter(c -> offersTicket(c)).count();
      System.out.println(
          "warm-up of " + IPS + " IPs: " + offering + " later hellos offer a ticket");
      assertTrue(offering >= 1, "a later connection offers the first one's ticket");
    }
  }

  @Test
  void withResumptionOffEveryWarmUpHandshakeIsFull() throws Exception {
    try (TestServer server =
            TestServer.builder().loopbackAddresses(IPS).hostNames(HOST).build().start();
        HotConnectionPool pool = pool(server, false)) {
      WarmUpSummary w = pool.warmUp(HOST, server.port(), server.addresses(), WarmUpProgress.NONE);
      assertEquals(IPS, w.ready(), "" + w);
      for (ConnectionRecord c : byArrival(server)) {
        assertFalse(offersTicket(c));
      }
    }
  }

  /** Warm-up of 32 IPs, three rounds each way after one to warm the JIT; figures printed. */
  @Test
  void measuresWarmUpWithAndWithoutResumption() throws Exception {
    int ips = 32;
    try (TestServer server =
        TestServer.builder().loopbackAddresses(ips).hostNames(HOST).build().start()) {
      warmUp(server, true);
      warmUp(server, false);
      for (boolean resumption : new boolean[] {true, false, true, false, true, false}) {
        long cpuBefore = cpuNanos();
        Duration wall = warmUp(server, resumption);
        long cpu = cpuNanos() - cpuBefore;
        System.out.printf(
            "warm-up of %d IPs, resumption %s: wall %d ms, process CPU %d ms%n",
            ips, resumption ? "on " : "off", wall.toMillis(), cpu / 1_000_000);
      }
    }
  }

  private static Duration warmUp(TestServer server, boolean resumption) throws Exception {
    try (HotConnectionPool pool = pool(server, resumption)) {
      WarmUpSummary w = pool.warmUp(HOST, server.port(), server.addresses(), WarmUpProgress.NONE);
      assertEquals(server.addresses().size(), w.ready(), "" + w);
      return w.took();
    }
  }

  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
  }
}
