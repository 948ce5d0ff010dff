package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.internal.ConnectionFactory;
import dev.guise.pool.internal.DefaultConnectionFactory;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.TestServer;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
    return pool(server, resumption, "bouncycastle", "chrome-156");
  }

  private static HotConnectionPool pool(
      TestServer server, boolean resumption, String engine, String profile) {
    return HotConnectionPool.create(
        PoolConfig.builder()
            .engine(engine)
            .profile(profile)
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

  /**
   * Every engine: BouncyCastle counts the tickets a connection brought in; the JDK's and
   * Conscrypt's caches cannot say, and a connection that read counts as one.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"bouncycastle, chrome-156", "jdk, jdk-default", "conscrypt, chrome-156"})
  void theFirstConnectionGetsATicketAndTheOthersResume(String engine, String profile)
      throws Exception {
    try (TestServer server =
            TestServer.builder().loopbackAddresses(IPS).hostNames(HOST).build().start();
        HotConnectionPool pool = pool(server, true, engine, profile)) {
      List<InetAddress> ips = server.addresses();
      WarmUpSummary w = pool.warmUp(HOST, server.port(), ips, WarmUpProgress.NONE);
      assertEquals(IPS, w.ready(), "" + w);
      List<ConnectionRecord> seen = byArrival(server);
      assertEquals(IPS, seen.size());
      ConnectionRecord first = seen.get(0);
      assertEquals(ips.get(0), first.localAddress().getAddress(), "the first IP goes first");
      assertFalse(offersTicket(first), "nothing to resume yet: a full handshake");
      // Tickets are used once, as the browsers use them, and the JDK server sends one per
      // handshake: each connection hands the ticket it received on to the next, so every one after
      // the first offers a ticket, each a different one. Opened all at once, none would.
      List<String> offered = new ArrayList<>();
      for (ConnectionRecord c : seen.subList(1, IPS)) {
        c.clientHello().orElseThrow().pskIdentities().forEach(id -> offered.add(id.ticketHex()));
      }
      System.out.println(
          engine
              + ": warm-up of "
              + IPS
              + " IPs in "
              + w.took().toMillis()
              + " ms: "
              + offered.size()
              + " of the "
              + (IPS - 1)
              + " later hellos offer a ticket");
      assertEquals(
          IPS - 1, offered.size(), engine + ": every connection after the first offers one");
      assertEquals(IPS - 1, new HashSet<>(offered).size(), engine + ": each ticket is used once");
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

  /**
   * An HTTP/1.1 connection without a validator reads nothing during warm-up, so it brings no ticket
   * in for the others: the first IP does not open alone, every IP opens at once. The first IP's
   * connection is held until the second's has begun (at most 5 s): opened one after the other, the
   * second would only begin after that wait ran out.
   */
  @Test
  void overHttp11WithoutValidatorNothingWaitsForTickets() throws Exception {
    try (TestServer server =
        TestServer.builder()
            .loopbackAddresses(2)
            .hostNames(HOST)
            .alpn("http/1.1")
            .build()
            .start()) {
      List<InetAddress> ips = server.addresses();
      PoolConfig config =
          PoolConfig.builder()
              .engine("bouncycastle")
              .profile("chrome-156")
              .alpn(List.of("http/1.1"))
              .trust(server.certificateAuthority().trustPolicy())
              .build();
      DefaultConnectionFactory real = new DefaultConnectionFactory(config);
      CountDownLatch secondBegun = new CountDownLatch(1);
      AtomicBoolean firstWaitedInVain = new AtomicBoolean();
      ConnectionFactory gate =
          (endpoint, profile, deadline) -> {
            if (endpoint.ip().equals(ips.get(0))) {
              try {
                firstWaitedInVain.set(!secondBegun.await(5, TimeUnit.SECONDS));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
              }
            } else {
              secondBegun.countDown();
            }
            return real.open(endpoint, profile, deadline);
          };
      try (HotConnectionPool pool = HotConnectionPool.withFactory(config, gate)) {
        WarmUpSummary w = pool.warmUp(HOST, server.port(), ips, WarmUpProgress.NONE);
        assertEquals(2, w.ready(), "" + w);
        assertFalse(firstWaitedInVain.get(), "the second IP opened while the first was opening");
        for (ConnectionRecord c : byArrival(server)) {
          assertFalse(offersTicket(c), "an HTTP/1.1 warm-up connection read no ticket");
        }
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
