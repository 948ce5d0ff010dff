package dev.guise.pool.internal;

import dev.guise.api.PoolAction;
import dev.guise.pool.proxy.ProxyBanTarget;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which routes (IPs of a host) may be used. A route collects strikes ({@link
 * PoolAction#PENALISE_IP}: refused connections, rate limits); {@code strikesToBan} strikes, or one
 * {@link PoolAction#BAN_IP} (a block page), ban it for {@code banDuration}. A ban expires by the
 * clock; a success clears the strikes.
 *
 * <p>Standings are kept per {@link Route}. Through a proxy the site saw the proxy's exit, so by
 * default ({@link ProxyBanTarget#EXIT}) a route through a proxy is judged under its exit's key,
 * {@link Route#exit}: strikes and bans hold for the host through that proxy, whatever the IP, and
 * other hosts still use the proxy. With {@link ProxyBanTarget#SITE_IP} they are kept under the
 * site's IP, for every way to it. Thread-safe. Time is passed in, so the rules are tested without
 * sleeping.
 */
public final class IpAccessController {
  private final Duration banDuration;
  private final int strikesToBan;
  private final ProxyBanTarget banTarget;
  private final Map<Route, Standing> standings = new ConcurrentHashMap<>();

  public IpAccessController(Duration banDuration, int strikesToBan) {
    this(banDuration, strikesToBan, ProxyBanTarget.EXIT);
  }

  public IpAccessController(Duration banDuration, int strikesToBan, ProxyBanTarget banTarget) {
    this.banDuration = banDuration;
    this.strikesToBan = strikesToBan;
    this.banTarget = banTarget;
  }

  /** The key {@code route}'s standing is kept under: itself, or its proxy's exit or site IP. */
  private Route key(Route route) {
    if (route.proxy() == null || route.ip() == null) {
      return route;
    }
    return banTarget == ProxyBanTarget.EXIT
        ? Route.exit(route.host(), route.proxy())
        : new Route(route.host(), route.ip());
  }

  /** A ban in force. */
  public record Ban(Route route, Instant until, String reason) {
    public HostKey host() {
      return route.host();
    }

    /** The banned IP; the unspecified address for a ban of a proxy's exit. */
    public InetAddress ip() {
      return route.endpoint().ip();
    }
  }

  private static final class Standing {
    int strikes;
    Instant bannedUntil;
    String reason;
  }

  /** Whether {@code route} may be used at {@code nowMillis} (epoch milliseconds). */
  public boolean isAllowed(Route route, long nowMillis) {
    if (standings.isEmpty()) {
      return true; // the common case: no IP has ever been penalised; no lookup, no allocation
    }
    Standing s = standings.get(key(route));
    if (s == null) {
      return true;
    }
    synchronized (s) {
      return s.bannedUntil == null || nowMillis >= s.bannedUntil.toEpochMilli();
    }
  }

  /**
   * Applies a failure's pool action to the IP.
   *
   * @return the new ban when this action started one, else null
   */
  public Ban apply(Route route, PoolAction action, String reason, Instant now) {
    if (action != PoolAction.PENALISE_IP && action != PoolAction.BAN_IP) {
      return null;
    }
    Route key = key(route);
    Standing s = standings.computeIfAbsent(key, k -> new Standing());
    synchronized (s) {
      if (s.bannedUntil != null && now.isBefore(s.bannedUntil)) {
        return null; // already banned; a second failure does not extend the ban
      }
      if (s.bannedUntil != null) { // the previous ban expired: start afresh
        s.bannedUntil = null;
        s.strikes = 0;
      }
      s.strikes++;
      if (action == PoolAction.BAN_IP || s.strikes >= strikesToBan) {
        s.bannedUntil = now.plus(banDuration);
        s.reason = reason;
        return new Ban(key, s.bannedUntil, reason);
      }
      return null;
    }
  }

  /** A success clears the route's strikes (an active ban stays). */
  public void succeeded(Route route) {
    if (standings.isEmpty()) {
      return;
    }
    Standing s = standings.get(key(route));
    if (s != null) {
      synchronized (s) {
        s.strikes = 0;
      }
    }
  }

  /** The bans in force at {@code now}. */
  public List<Ban> bans(Instant now) {
    List<Ban> out = new ArrayList<>();
    standings.forEach(
        (k, s) -> {
          synchronized (s) {
            if (s.bannedUntil != null && now.isBefore(s.bannedUntil)) {
              out.add(new Ban(k, s.bannedUntil, s.reason));
            }
          }
        });
    return out;
  }
}
