package dev.guise.pool.internal;

import dev.guise.api.PoolAction;
import dev.guise.pool.fleet.AccessEntry;
import dev.guise.pool.fleet.Ban;
import dev.guise.pool.fleet.BanKey;
import dev.guise.pool.fleet.FleetStore;
import dev.guise.pool.internal.fleet.MemoryFleetStore;
import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyBanTarget;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which routes (IPs of a host) may be used: the allow and deny lists, and bans. A route collects
 * strikes ({@link PoolAction#PENALISE_IP}: refused connections, rate limits); {@code strikesToBan}
 * strikes, or one {@link PoolAction#BAN_IP} (a block page), ban it for {@code banDuration}. A ban
 * expires by the clock; a success clears the strikes.
 *
 * <p>All of it is kept in a {@link FleetStore}, shared with other processes or not. The lease path
 * never asks the store: it reads this controller's own copy of the bans and an index of the lists,
 * kept current by the store's change notification (the store reports every change, its own and the
 * fleet's). A change heard from the fleet, and any change of the lists, runs {@code onChange} so
 * the pool retires the connections a new ban or deny entry forbids.
 *
 * <p>Standings are kept per {@link Route}. Through a proxy the site saw the proxy's exit, so by
 * default ({@link ProxyBanTarget#EXIT}) a route through a proxy is judged under its exit's key,
 * {@link Route#exit}: strikes and bans hold for the host through that proxy, whatever the IP, and
 * other hosts still use the proxy. With {@link ProxyBanTarget#SITE_IP} they are kept under the
 * site's IP, for every way to it. Thread-safe. Time is passed in, so the rules are tested without
 * sleeping.
 */
public final class IpAccessController implements FleetStore.Listener {
  private final Duration banDuration;
  private final int strikesToBan;
  private final ProxyBanTarget banTarget;
  private final FleetStore store;

  /** The store's bans, copied by its notifications; read on every lease. */
  private final Map<BanKey, Ban> bans = new ConcurrentHashMap<>();

  /**
   * Keys this process struck since their last success, with the time of the last strike (epoch
   * milliseconds): only they need clearing on a success, and only until the strike lapses.
   */
  private final Map<BanKey, Long> struck = new ConcurrentHashMap<>();

  private volatile AccessRules rules = AccessRules.NONE;
  private volatile Runnable onChange = () -> {};

  public IpAccessController(Duration banDuration, int strikesToBan) {
    this(banDuration, strikesToBan, ProxyBanTarget.EXIT);
  }

  public IpAccessController(Duration banDuration, int strikesToBan, ProxyBanTarget banTarget) {
    this(banDuration, strikesToBan, banTarget, new MemoryFleetStore(Clock.systemUTC()));
  }

  public IpAccessController(
      Duration banDuration, int strikesToBan, ProxyBanTarget banTarget, FleetStore store) {
    this.banDuration = banDuration;
    this.strikesToBan = strikesToBan;
    this.banTarget = banTarget;
    this.store = store;
    // The listener first, then the copy: a change between the two is heard, and applying a ban
    // twice is harmless.
    store.addListener(this);
    for (var b : store.bans()) {
      bans.put(b.key(), b);
    }
    rules = AccessRules.of(store.accessEntries());
  }

  /** What the pool does when the fleet's bans or the lists change: retire what is forbidden. */
  public void onChange(Runnable onChange) {
    this.onChange = onChange;
  }

  /** The store this controller keeps its state in. */
  public FleetStore store() {
    return store;
  }

  /** Stops hearing the store (the pool is closing). */
  public void detach() {
    store.removeListener(this);
  }

  /** The proxy exit a ban through {@code proxy} names: {@code scheme://[user@]host:port}. */
  public static String exitOf(Proxy proxy) {
    String h = proxy.host().indexOf(':') >= 0 ? "[" + proxy.host() + "]" : proxy.host();
    String user = proxy.credentials().map(c -> c.username() + "@").orElse("");
    return proxy.kind().scheme() + "://" + user + h + ":" + proxy.port();
  }

  /** The key {@code route}'s standing is kept under: its IP, or its proxy's exit, for the host. */
  private BanKey key(Route route) {
    HostKey h = route.host();
    if (route.proxy() != null && (route.ip() == null || banTarget == ProxyBanTarget.EXIT)) {
      return BanKey.ofProxyExit(h.host(), h.port(), exitOf(route.proxy()));
    }
    return BanKey.ofIp(h.host(), h.port(), route.ip());
  }

  /** The route a key names, as the pool's books know it: its IP, or {@link Route#exit}. */
  private static Route routeOf(Route route, BanKey key) {
    return key.isProxyExit()
        ? Route.exit(route.host(), route.proxy())
        : new Route(route.host(), key.ip());
  }

  /** A ban this process just made. */
  public record NewBan(Route route, Instant until, String reason) {
    public HostKey host() {
      return route.host();
    }

    /** The banned IP; the unspecified address for a ban of a proxy's exit. */
    public InetAddress ip() {
      return route.endpoint().ip();
    }
  }

  /** Whether {@code route} may be used at {@code nowMillis} (epoch milliseconds). */
  public boolean isAllowed(Route route, long nowMillis) {
    AccessRules r = rules;
    if (!r.isEmpty() && !r.permits(route.host().host(), route.ip())) {
      return false;
    }
    if (bans.isEmpty()) {
      return true; // the common case: nothing banned; no key, no lookup
    }
    var b = bans.get(key(route));
    return b == null || nowMillis >= b.until().toEpochMilli();
  }

  /**
   * Applies a failure's pool action to the IP.
   *
   * @return the new ban when this action started one, else null
   */
  public NewBan apply(Route route, PoolAction action, String reason, Instant now) {
    if (action != PoolAction.PENALISE_IP && action != PoolAction.BAN_IP) {
      return null;
    }
    BanKey key = key(route);
    var current = bans.get(key);
    if (current != null && current.inForceAt(now)) {
      return null; // already banned; a second failure does not extend the ban
    }
    boolean ban = action == PoolAction.BAN_IP;
    if (!ban) {
      struck.put(key, now.toEpochMilli());
      ban = store.addStrike(key, banDuration) >= strikesToBan;
    }
    if (!ban) {
      return null;
    }
    var made = new Ban(key, reason, now, now.plus(banDuration));
    bans.put(key, made); // seen by this process's next lease, whenever the store's notice comes
    store.putBan(made);
    struck.remove(key);
    store.clearStrikes(key);
    return new NewBan(routeOf(route, key), made.until(), reason);
  }

  /** A success clears the route's strikes (an active ban stays). */
  public void succeeded(Route route) {
    if (struck.isEmpty()) {
      return; // no strikes of this process: nothing to tell the store
    }
    BanKey key = key(route);
    if (struck.remove(key) != null) {
      store.clearStrikes(key);
    }
  }

  /**
   * Forgets the bans that have ended and the strikes that have lapsed (a strike counts for the ban
   * duration), so that a process meeting ever new hosts keeps only what is in force; the lease's
   * fast path ("nothing banned") comes back once the last ban ends. A ban that replaced an ended
   * one under the same key meanwhile is not removed: removal is by key and value.
   */
  public void forgetEnded(long nowMillis) {
    if (!bans.isEmpty()) {
      bans.values().removeIf(b -> nowMillis >= b.until().toEpochMilli());
    }
    if (!struck.isEmpty()) {
      long lapsedBefore = nowMillis - banDuration.toMillis();
      struck.values().removeIf(at -> at <= lapsedBefore);
    }
  }

  /** Bans and struck keys kept now (tests). */
  int entriesKept() {
    return bans.size() + struck.size();
  }

  /** The bans in force at {@code now}. */
  public List<Ban> bans(Instant now) {
    List<Ban> out = new ArrayList<>();
    for (var b : bans.values()) {
      if (b.inForceAt(now)) {
        out.add(b);
      }
    }
    return out;
  }

  @Override
  public void banned(Ban ban, FleetStore.Origin origin) {
    // A ban this controller made is in the copy already, and the pool retired its connections
    // then; any other (from the fleet, another pool on the store, a ban made by hand) retires here.
    if (!ban.equals(bans.put(ban.key(), ban))) {
      onChange.run();
    }
  }

  @Override
  public void banLifted(BanKey key, FleetStore.Origin origin) {
    bans.remove(key);
  }

  @Override
  public void accessChanged(AccessEntry entry, boolean added, FleetStore.Origin origin) {
    rules = AccessRules.of(store.accessEntries());
    onChange.run();
  }
}
