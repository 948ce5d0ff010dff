package dev.guise.pool.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Which proxies a pool goes out through and how it picks one. With a routing configured, every
 * connection of the pool goes through a proxy: none goes out directly, not on a retry and not for
 * DNS (a proxy that resolves names is asked for the name). When no proxy is usable a request fails
 * with {@code PROXY_UNREACHABLE}.
 *
 * @param proxies the proxies, in order; not empty, no duplicates
 * @param choice the rule that picks one for a connection
 * @param banTarget what a ban through a proxy bans: its exit for the host (default) or the site IP
 * @param restAfter consecutive failures of a proxy itself (unreachable, timeout, rejected, garbled)
 *     after which it rests
 * @param restFor how long a proxy rests: no connection is opened through it meanwhile
 */
public record ProxyRouting(
    List<Proxy> proxies,
    ProxyChoice choice,
    ProxyBanTarget banTarget,
    int restAfter,
    Duration restFor) {

  public ProxyRouting {
    proxies = List.copyOf(proxies);
    Objects.requireNonNull(choice, "choice");
    Objects.requireNonNull(banTarget, "banTarget");
    Objects.requireNonNull(restFor, "restFor");
    if (proxies.isEmpty()) {
      throw new IllegalArgumentException("a proxy routing needs at least one proxy");
    }
    if (proxies.stream().distinct().count() != proxies.size()) {
      throw new IllegalArgumentException("a proxy is listed twice: " + proxies);
    }
    if (restAfter < 1) {
      throw new IllegalArgumentException("restAfter must be at least 1: " + restAfter);
    }
    if (restFor.isNegative()) {
      throw new IllegalArgumentException("restFor must not be negative: " + restFor);
    }
  }

  /**
   * {@code proxies} with the defaults: {@link ProxyChoice#sticky()}, bans on the exit, a proxy
   * rests 30 s after 3 failures in a row.
   */
  public static ProxyRouting of(List<Proxy> proxies) {
    return new ProxyRouting(
        proxies, ProxyChoice.sticky(), ProxyBanTarget.EXIT, 3, Duration.ofSeconds(30));
  }

  /** One proxy. */
  public static ProxyRouting of(Proxy proxy) {
    return of(List.of(proxy));
  }

  public ProxyRouting withChoice(ProxyChoice choice) {
    return new ProxyRouting(proxies, choice, banTarget, restAfter, restFor);
  }

  public ProxyRouting withBanTarget(ProxyBanTarget banTarget) {
    return new ProxyRouting(proxies, choice, banTarget, restAfter, restFor);
  }

  public ProxyRouting withRest(int restAfter, Duration restFor) {
    return new ProxyRouting(proxies, choice, banTarget, restAfter, restFor);
  }
}
