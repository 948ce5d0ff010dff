package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.HttpProtocol;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.ValidationResult;
import dev.guise.api.ValidationTarget;
import dev.guise.api.spi.ConnectionValidator;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.internal.ConnectionFactory;
import dev.guise.pool.internal.FakeHttpConnection;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How warm-up paces its connections by the tickets they bring in, over connections that report a
 * set number of tickets (the engines' counts are tested against real servers in their modules and
 * in {@link WarmUpResumptionTest}): a server that sends two per handshake lets the workers double
 * up to the parallelism, one that sends one leaves a single worker until the relay is over, and
 * none (or an engine that keeps none) starts every worker at once after the first.
 */
@Timeout(60)
class WarmUpPacingTest {
  private static final String HOST = "www.pacing.test";
  private static final int PORT = 443;
  private static final int PARALLELISM = 8;

  /** Opens fake connections that each take {@code openMillis} and report {@code tickets}. */
  private static final class Opener implements ConnectionFactory {
    final int tickets;
    final long firstMillis;
    final long openMillis;
    final AtomicInteger opening = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final List<Integer> openingAtStart = new ArrayList<>(); // guarded by itself
    volatile long firstOpenedNanos; // when the first connection's open ended
    volatile long allOpeningNanos; // when PARALLELISM opens first ran at once
    volatile CountDownLatch gate; // when set, the second open waits for the last worker's first

    Opener(int tickets, long firstMillis, long openMillis) {
      this.tickets = tickets;
      this.firstMillis = firstMillis;
      this.openMillis = openMillis;
    }

    @Override
    public FakeHttpConnection open(TlsEndpoint endpoint, String profile, long deadlineNanos)
        throws InterruptedIOException {
      int now = opening.incrementAndGet();
      int index;
      synchronized (openingAtStart) {
        index = openingAtStart.size();
        openingAtStart.add(now);
      }
      if (mostAtOnce.accumulateAndGet(now, Math::max) == PARALLELISM && allOpeningNanos == 0) {
        allOpeningNanos = System.nanoTime();
      }
      try {
        CountDownLatch g = gate;
        if (g != null && index == 1) {
          // Released when the open of the parallelism-th worker begins: only if all start at once.
          if (!g.await(700, TimeUnit.MILLISECONDS)) {
            throw new InterruptedIOException("the other workers did not start meanwhile");
          }
        } else if (g != null && index == PARALLELISM) {
          g.countDown();
        }
        Thread.sleep(index == 0 ? firstMillis : openMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      } finally {
        opening.decrementAndGet();
        if (index == 0) {
          firstOpenedNanos = System.nanoTime();
        }
      }
      return new FakeHttpConnection(endpoint, HttpProtocol.HTTP_1_1, profile, 1)
          .withTicketsKept(tickets);
    }

    List<Integer> openingAtStart() {
      synchronized (openingAtStart) {
        return List.copyOf(openingAtStart);
      }
    }
  }

  private static final ConnectionValidator ACCEPT_ALL =
      new ConnectionValidator() {
        @Override
        public String name() {
          return "accept-all";
        }

        @Override
        public ValidationResult validate(ValidationTarget target, Duration timeout) {
          return ValidationResult.ok("accepted", Duration.ZERO);
        }
      };

  private static List<InetAddress> ips(int n) throws UnknownHostException {
    List<InetAddress> ips = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ips.add(
          InetAddress.getByAddress(
              new byte[] {127, 0, (byte) (1 + i / 250), (byte) (1 + i % 250)}));
    }
    return ips;
  }

  private static PoolConfig config() {
    return PoolConfig.builder()
        .alpn(List.of("http/1.1"))
        .validator(ACCEPT_ALL) // an HTTP/1.1 connection reads its tickets in its validation
        .limits(l -> l.withWarmUpParallelism(PARALLELISM))
        .build();
  }

  private static WarmUpSummary warmUp(Opener opener, int ips) throws Exception {
    try (HotConnectionPool pool = HotConnectionPool.withFactory(config(), opener)) {
      WarmUpSummary s = pool.warmUp(HOST, PORT, ips(ips), WarmUpProgress.NONE);
      assertEquals(ips, s.ready(), "" + s);
      return s;
    }
  }

  @Test
  void twoTicketsPerConnectionDoubleTheWorkersUpToTheParallelism() throws Exception {
    // The first connection takes 600 ms, so the relay would wait that long for a spare ticket:
    // growing by the spare tickets, the workers reach the parallelism in three rounds of 20 ms.
    Opener opener = new Opener(2, 600, 20);
    warmUp(opener, 96);
    List<Integer> seen = opener.openingAtStart();
    assertEquals(1, seen.get(0), "the first connection opens alone");
    // The first brought two tickets: two workers. Until one of their connections is in, with a
    // ticket to spare, no third worker starts.
    assertTrue(seen.get(1) <= 2 && seen.get(2) <= 2, "two workers on the first tickets: " + seen);
    assertEquals(PARALLELISM, opener.mostAtOnce.get(), "the workers grew to the parallelism");
    long grew = opener.allOpeningNanos - opener.firstOpenedNanos;
    assertTrue(
        grew < TimeUnit.MILLISECONDS.toNanos(400),
        "grew by tickets, not after the patience: " + grew / 1_000_000 + " ms");
  }

  @Test
  void oneTicketPerConnectionKeepsOneWorkerUntilTheRelayIsOver() throws Exception {
    // The first connection takes 150 ms: the relay's patience. A single worker resumes its way on
    // through more IPs than fit in one patience, as tickets keep coming in, until the relay's
    // budget (its 0.5 s floor) is over; then every worker starts.
    Opener opener = new Opener(1, 150, 20);
    WarmUpSummary s = warmUp(opener, 64);
    List<Integer> seen = opener.openingAtStart();
    assertEquals(
        List.of(1, 1, 1, 1, 1, 1, 1, 1), seen.subList(0, 8), "one worker at first: " + seen);
    assertEquals(PARALLELISM, opener.mostAtOnce.get(), "then every worker");
    assertTrue(s.took().toMillis() < 5_000, "bounded: " + s.took());
  }

  @Test
  void noTicketStartsEveryWorkerAtOnceAfterTheFirst() throws Exception {
    // The second connection's open is held until the last worker's first open has begun (at most
    // 700 ms). Had the relay started (its patience: the first connection's 1.5 s), or the workers
    // one after another, it would wait in vain and fail.
    Opener opener = new Opener(0, 1500, 20);
    opener.gate = new CountDownLatch(1);
    WarmUpSummary s = warmUp(opener, 32);
    assertEquals(1, opener.openingAtStart().get(0), "the first connection still opens alone");
    assertEquals(0, s.failed(), "" + s);
    assertEquals(PARALLELISM, opener.mostAtOnce.get());
  }

  @Test
  void interruptingTheWarmUpStopsItOpeningMoreIps() throws Exception {
    Opener opener = new Opener(0, 20, 50);
    try (HotConnectionPool pool = HotConnectionPool.withFactory(config(), opener)) {
      AtomicInteger interrupted = new AtomicInteger();
      Thread caller =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      pool.warmUp(HOST, PORT, ips(400), WarmUpProgress.NONE);
                    } catch (InterruptedException e) {
                      interrupted.incrementAndGet();
                    } catch (UnknownHostException e) {
                      throw new IllegalStateException(e);
                    }
                  });
      Thread.sleep(300);
      caller.interrupt();
      caller.join(10_000);
      assertEquals(1, interrupted.get(), "the caller saw the interruption");
      int openedThen = opener.openingAtStart().size();
      Thread.sleep(300); // six opens' time: workers that went on would open more
      int openedLater = opener.openingAtStart().size();
      assertTrue(openedLater <= openedThen + PARALLELISM, openedThen + " then " + openedLater);
      assertTrue(openedLater < 100, "stopped well short of 400: " + openedLater);
    }
  }
}
