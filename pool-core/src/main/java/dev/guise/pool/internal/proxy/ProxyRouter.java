package dev.guise.pool.internal.proxy;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyRouting;
import dev.guise.pool.proxy.ProxyTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Picks the proxy for a lease: the routing's choice among the proxies that are usable for the
 * target now (not resting, not banned for the host), preferring those the request has not failed
 * through yet; so a retry after a proxy failure goes through another proxy whenever there is one.
 * When none is usable the lease fails: never a direct connection.
 */
public final class ProxyRouter {
  private final ProxyRouting routing;
  private final ProxyHealth health;

  public ProxyRouter(ProxyRouting routing, ProxyHealth health) {
    this.routing = routing;
    this.health = health;
  }

  public ProxyHealth health() {
    return health;
  }

  /**
   * @param allowedForHost whether a proxy's exit is not banned for the target's host
   * @param failedThrough proxies this request already failed through
   */
  public Proxy choose(ProxyTarget target, Predicate<Proxy> allowedForHost, Set<Proxy> failedThrough)
      throws ClassifiedIOException {
    List<Proxy> usable = new ArrayList<>(routing.proxies().size());
    List<Proxy> fresh = new ArrayList<>(routing.proxies().size());
    int resting = 0;
    int banned = 0;
    List<String> named = new ArrayList<>(); // the first few passed over, for the message
    for (Proxy p : routing.proxies()) {
      if (health.resting(p)) {
        resting++;
        if (named.size() < 3) {
          named.add(p + " resting");
        }
      } else if (!allowedForHost.test(p)) {
        banned++;
        if (named.size() < 3) {
          named.add(p + " banned");
        }
      } else {
        usable.add(p);
        if (!failedThrough.contains(p)) {
          fresh.add(p);
        }
      }
    }
    if (usable.isEmpty()) {
      // Both causes may hold at once: proxies resting for their own faults, others whose exits the
      // site banned. The kind names the cause that holds more of them (a tie is the site's), so
      // failures by kind say what to fix: the proxies, or how the site is crawled. Naming any mix
      // PROXY_UNREACHABLE hid the site's bans behind one or two dead proxies (the soak of issue
      // #21: 2 resting and 4 banned read as "unreachable").
      throw new ClassifiedIOException(
          banned >= resting ? FailureKind.IP_BLOCKED : FailureKind.PROXY_UNREACHABLE,
          false,
          PoolAction.KEEP,
          "no proxy is usable for "
              + target.host()
              + " ("
              + resting
              + " resting, "
              + banned
              + " banned for the host, of "
              + routing.proxies().size()
              + ": "
              + String.join(", ", named)
              + (resting + banned > named.size() ? ", ..." : "")
              + "); nothing goes out directly",
          null);
    }
    List<Proxy> from = fresh.isEmpty() ? usable : fresh;
    Proxy p = routing.choice().choose(target, List.copyOf(from));
    if (!from.contains(p)) {
      throw new IllegalStateException(
          "the proxy choice returned a proxy that was not offered: " + p);
    }
    return p;
  }
}
