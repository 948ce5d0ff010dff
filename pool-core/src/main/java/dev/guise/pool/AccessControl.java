package dev.guise.pool;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.pool.fleet.AccessEntry;
import dev.guise.pool.fleet.Ban;
import dev.guise.pool.fleet.BanKey;
import dev.guise.pool.fleet.FleetStore;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pool's allow and deny lists and its bans, changed at run time: {@link
 * HotConnectionPool#access()}. Everything goes through the pool's {@link FleetStore}, so with a
 * shared store a change here reaches every process of the fleet.
 *
 * <p>A denied IP is never used; when a host has allow entries (its own or global ones) only its
 * allowed IPs are used; deny wins. A change takes effect for the next lease, and the connections a
 * new deny entry (or a narrower allow list) forbids are retired: idle ones close at once, leased
 * ones when given back.
 *
 * <p>Bans are listed, made, lifted one by one or all, and exported and imported as JSON:
 *
 * <pre>{@code
 * {"bans": [
 *   {"host": "example.com", "port": 443, "ip": "203.0.113.7", "reason": "403 block page",
 *    "at": "2026-12-04T19:00:00Z", "until": "2026-12-04T19:30:00Z"},
 *   {"host": "example.com", "port": 443, "proxy_exit": "http://proxy.example:3128",
 *    "reason": "...", "at": "...", "until": "..."}
 * ]}
 * }</pre>
 *
 * Thread-safe.
 */
public final class AccessControl {
  private final FleetStore store;
  private final Clock clock;

  AccessControl(FleetStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Allows {@code ip} for {@code host} (null: every host); returns whether it is new. */
  public boolean allow(String host, InetAddress ip) {
    return store.addAccessEntry(AccessEntry.allow(host, ip));
  }

  /** Denies {@code ip} for {@code host} (null: every host); returns whether it is new. */
  public boolean deny(String host, InetAddress ip) {
    return store.addAccessEntry(AccessEntry.deny(host, ip));
  }

  /** Removes an allow or deny entry; returns whether there was one. */
  public boolean remove(AccessEntry entry) {
    return store.removeAccessEntry(entry);
  }

  /** Every allow and deny entry. */
  public List<AccessEntry> entries() {
    return store.accessEntries();
  }

  /** The bans in force now, by the pool's clock. */
  public List<Ban> bans() {
    Instant now = clock.instant();
    return store.bans().stream().filter(b -> b.inForceAt(now)).toList();
  }

  /** Bans {@code key} for {@code duration} from now, replacing a ban of it. */
  public Ban ban(BanKey key, Duration duration, String reason) {
    Instant now = clock.instant();
    Ban ban = new Ban(key, reason, now, now.plus(duration));
    store.putBan(ban);
    return ban;
  }

  /** Lifts the ban of {@code key}; returns whether there was one. */
  public boolean lift(BanKey key) {
    return store.liftBan(key);
  }

  /** Lifts every ban; returns how many there were. */
  public int liftAll() {
    return store.liftAllBans();
  }

  /** The bans in force now, as JSON (the form in the class comment). */
  public String exportBans() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Ban b : bans()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("host", b.key().host());
      m.put("port", b.key().port());
      if (b.key().isProxyExit()) {
        m.put("proxy_exit", b.key().proxyExit());
      } else {
        m.put("ip", b.key().ip().getHostAddress());
      }
      m.put("reason", b.reason());
      m.put("at", b.at().toString());
      m.put("until", b.until().toString());
      out.add(m);
    }
    try {
      return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(Map.of("bans", out));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write bans as JSON", e);
    }
  }

  /**
   * Puts the bans of {@code json} (the form {@link #exportBans()} writes) in the store; bans
   * already over by the pool's clock are skipped. {@code port} defaults to 443, {@code reason} to
   * empty, {@code at} to now.
   *
   * @return how many bans were put
   * @throws IllegalArgumentException for JSON not of that form, naming the ban and field at fault;
   *     nothing is put then
   */
  public int importBans(String json) {
    Map<String, Object> root;
    try {
      root = JSON.std.mapFrom(Objects.requireNonNull(json, "json"));
    } catch (IOException e) {
      throw new IllegalArgumentException("bans: not JSON: " + e.getMessage(), e);
    }
    if (root == null || !(root.get("bans") instanceof List<?> list)) {
      throw new IllegalArgumentException("bans: expected an object with a \"bans\" list");
    }
    Instant now = clock.instant();
    List<Ban> read = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("ban " + (i + 1) + ": not an object");
      }
      read.add(readBan(i + 1, m, now));
    }
    int put = 0;
    for (Ban b : read) {
      if (b.inForceAt(now)) {
        store.putBan(b);
        put++;
      }
    }
    return put;
  }

  private static Ban readBan(int n, Map<?, ?> m, Instant now) {
    String at = "ban " + n + ": ";
    try {
      String host = text(m, "host", at);
      int port = m.get("port") == null ? 443 : number(m, "port", at);
      Object ip = m.get("ip");
      Object exit = m.get("proxy_exit");
      if ((ip == null) == (exit == null)) {
        throw new IllegalArgumentException(at + "needs \"ip\" or \"proxy_exit\", exactly one");
      }
      BanKey key =
          ip != null
              ? BanKey.parse(host + ":" + port + "|ip|" + text(m, "ip", at))
              : BanKey.ofProxyExit(host, port, text(m, "proxy_exit", at));
      Object reason = m.get("reason");
      Instant made = m.get("at") == null ? now : Instant.parse(text(m, "at", at));
      return new Ban(
          key, reason == null ? "" : reason.toString(), made, Instant.parse(text(m, "until", at)));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(at + "a time is not ISO-8601 (" + e.getMessage() + ")");
    } catch (IllegalArgumentException e) {
      throw e.getMessage() != null && e.getMessage().startsWith(at)
          ? e
          : new IllegalArgumentException(at + e.getMessage(), e);
    }
  }

  private static String text(Map<?, ?> m, String field, String at) {
    if (!(m.get(field) instanceof String s) || s.isEmpty()) {
      throw new IllegalArgumentException(at + "\"" + field + "\" must be a non-empty string");
    }
    return s;
  }

  private static int number(Map<?, ?> m, String field, String at) {
    if (!(m.get(field) instanceof Number n) || n.doubleValue() != n.intValue()) {
      throw new IllegalArgumentException(at + "\"" + field + "\" must be an integer");
    }
    return n.intValue();
  }

  /** The store everything here goes through. */
  public FleetStore store() {
    return store;
  }

  @Override
  public String toString() {
    return "AccessControl[" + store.describe() + "]";
  }
}
