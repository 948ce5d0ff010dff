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
 * Which IPs of a host may be used. An IP collects strikes ({@link PoolAction#PENALISE_IP}: refused
 * connections, rate limits); {@code strikesToBan} strikes, or one {@link PoolAction#BAN_IP} (a block
 * page), ban it for {@code banDuration}. A ban expires by the clock; a success clears the strikes.
 *
 * <p>Thread-safe. Time is passed in, so the rules are tested without sleeping.
 */
public final class IpAccessController {
  private final Duration banDuration;
  private final int strikesToBan;
  private final Map<Key, Standing> standings = new ConcurrentHashMap<>();

  public IpAccessController(Duration banDuration, int strikesToBan) {
    this.banDuration = banDuration;
    this.strikesToBan = strikesToBan;
  }

  private record Key(HostKey host, InetAddress ip) {}

  /** A ban in force. */
  public record Ban(HostKey host, InetAddress ip, Instant until, String reason) {}

  private static final class Standing {
    int strikes;
    Instant bannedUntil;
    String reason;
  }

  /** Whether {@code ip} may be used for {@code host} at {@code nowMillis} (epoch milliseconds). */
  public boolean isAllowed(HostKey host, InetAddress ip, long nowMillis) {
    if (standings.isEmpty()) {
      return true; // the common case: no IP has ever been penalised; no lookup, no allocation
    }
    Standing s = standings.get(new Key(host, ip));
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
  public Ban apply(HostKey host, InetAddress ip, PoolAction action, String reason, Instant now) {
    if (action != PoolAction.PENALISE_IP && action != PoolAction.BAN_IP) {
      return null;
    }
    Standing s = standings.computeIfAbsent(new Key(host, ip), k -> new Standing());
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
        return new Ban(host, ip, s.bannedUntil, reason);
      }
      return null;
    }
  }

  /** A success clears the IP's strikes (an active ban stays). */
  public void succeeded(HostKey host, InetAddress ip) {
    Standing s = standings.get(new Key(host, ip));
    if (s != null) {
      synchronized (s) {
        s.strikes = 0;
      }
    }
  }

  /** The bans in force at {@code now}. */
  public List<Ban> bans(Instant now) {
    List<Ban> out = new ArrayList<>();
    standings.forEach((k, s) -> {
      synchronized (s) {
        if (s.bannedUntil != null && now.isBefore(s.bannedUntil)) {
          out.add(new Ban(k.host(), k.ip(), s.bannedUntil, s.reason));
        }
      }
    });
    return out;
  }
}
