package dev.guise.pool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.PoolAction;
import dev.guise.pool.internal.fleet.MemoryFleetStore;
import dev.guise.pool.proxy.ProxyBanTarget;
import dev.guise.testing.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the access controller keeps over time: only bans in force and strikes that count. */
class IpAccessControllerTest {
  private static final HostKey HOST = new HostKey("example.test", 443);
  private final MutableClock clock = new MutableClock();
  private final IpAccessController access =
      new IpAccessController(
          Duration.ofMinutes(5), 2, ProxyBanTarget.EXIT, new MemoryFleetStore(clock));

  private static Route route(int last) throws Exception {
    return new Route(HOST, InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) last}));
  }

  @Test
  void endedBansAndLapsedStrikesAreForgottenAndLiveOnesKept() throws Exception {
    assertNotNull(access.apply(route(1), PoolAction.BAN_IP, "403", clock.instant()));
    access.apply(route(2), PoolAction.PENALISE_IP, "reset", clock.instant());
    assertEquals(2, access.entriesKept());

    clock.advance(Duration.ofMinutes(4));
    access.apply(route(3), PoolAction.PENALISE_IP, "reset", clock.instant());
    access.forgetEnded(clock.millis());
    assertEquals(3, access.entriesKept(), "all still count");
    assertFalse(access.isAllowed(route(1), clock.millis()));

    clock.advance(Duration.ofMinutes(1));
    access.forgetEnded(clock.millis());
    assertEquals(1, access.entriesKept(), "the ended ban and the lapsed strike are gone");
    assertTrue(access.isAllowed(route(1), clock.millis()));
    assertEquals(0, access.bans(clock.instant()).size());

    // The strike kept still counts: a second one within the ban duration bans.
    assertNotNull(access.apply(route(3), PoolAction.PENALISE_IP, "reset", clock.instant()));
    clock.advance(Duration.ofMinutes(5));
    access.forgetEnded(clock.millis());
    assertEquals(0, access.entriesKept());
  }
}
