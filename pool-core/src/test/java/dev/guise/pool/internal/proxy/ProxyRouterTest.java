package dev.guise.pool.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyRouting;
import dev.guise.pool.proxy.ProxyTarget;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When no proxy is usable, the failure's kind names the cause that holds more of them: proxies
 * resting for their own faults ({@code PROXY_UNREACHABLE}) or proxies whose exits the site banned
 * for the host ({@code IP_BLOCKED}, a tie included). Never retryable, never a direct connection.
 */
class ProxyRouterTest {
  private static final ProxyTarget TARGET =
      new ProxyTarget("www.router.test", 443, Optional.empty());
  private static final ClassifiedFailure OWN_FAULT =
      ClassifiedFailure.of(
          FailureKind.PROXY_PROTOCOL_ERROR,
          true,
          PoolAction.DISCARD_CONNECTION,
          "closed mid-CONNECT",
          null);

  private static List<Proxy> proxies(int n) {
    List<Proxy> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(Proxy.parse("http://127.0.0.1:" + (30_000 + i)));
    }
    return all;
  }

  @ParameterizedTest
  @CsvSource({
    "6, 2, 4, IP_BLOCKED", // the soak's case: two dead proxies, the site banned the other four
    "6, 3, 3, IP_BLOCKED",
    "6, 4, 2, PROXY_UNREACHABLE",
    "6, 6, 0, PROXY_UNREACHABLE",
    "6, 0, 6, IP_BLOCKED"
  })
  void noUsableProxyIsNamedByTheCauseThatHoldsMore(
      int n, int resting, int banned, FailureKind expected) {
    List<Proxy> all = proxies(n);
    ProxyRouting routing = ProxyRouting.of(all).withRest(1, Duration.ofMinutes(5));
    ProxyHealth health = new ProxyHealth(routing, Clock.systemUTC());
    for (Proxy p : all.subList(0, resting)) {
      health.failed(p, OWN_FAULT);
    }
    Set<Proxy> bannedForHost = Set.copyOf(all.subList(resting, resting + banned));
    ProxyRouter router = new ProxyRouter(routing, health);
    ClassifiedIOException e =
        assertThrows(
            ClassifiedIOException.class,
            () -> router.choose(TARGET, p -> !bannedForHost.contains(p), Set.of()));
    assertEquals(expected, e.kind(), e.getMessage());
    assertFalse(e.failure().retryable());
  }

  @Test
  void aFailureThatStrikesTheSitesRouteRestsNoProxy() {
    List<Proxy> all = proxies(1);
    ProxyHealth health =
        new ProxyHealth(ProxyRouting.of(all).withRest(1, Duration.ofMinutes(5)), Clock.systemUTC());
    health.failed(
        all.get(0),
        ClassifiedFailure.of(
            FailureKind.CONNECTION_REFUSED,
            true,
            PoolAction.PENALISE_IP,
            "SOCKS5 reply 0x04: host unreachable",
            null));
    assertFalse(health.resting(all.get(0)));
    assertEquals(1, health.stats().get(0).failures());
  }
}
