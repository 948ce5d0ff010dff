package dev.guise.pool.internal;

import dev.guise.api.PoolAction;
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
 * <p>Standings are kept per {@link Route}, so a route component added later (a proxy) is told apart
 * here with no change. Thread-safe. Time is passed in, so the rules are tested without sleeping.
 */
public final class IpAccessController {
  private final Duration banDuration;
  private final int strikesToBan;
  private final Map<Route, Standing> standings = new ConcurrentHashMap<>();

  public IpAccessController(Duration banDuration, int strikesToBan) {
    this.banDuration = banDuration;
    this.strikesToBan = strikesToBan;
  }

  /** A ban in force. */
  public record Ban(Route route, Instant until, String reason) {
    public HostKey host() {
      return route.host();
    }

    public InetAddress ip() {
      return route.ip();
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
    Standing s = standings.get(route);
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
    Standing s = standings.computeIfAbsent(route, k -> new Standing());
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
        return new Ban(route, s.bannedUntil, reason);
      }
      return null;
    }
  }

  /** A success clears the route's strikes (an active ban stays). */
  public void succeeded(Route route) {
    Standing s = standings.get(route);
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
