package dev.guise.pool.internal;

import dev.guise.pool.fleet.AccessEntry;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The allow and deny lists, indexed for the lease path: immutable, rebuilt whenever an entry
 * changes. Deny wins; a host with allow entries (its own or global ones) uses only those IPs.
 */
final class AccessRules {
  static final AccessRules NONE = new AccessRules(Set.of(), Set.of(), Map.of(), Map.of());

  private final Set<InetAddress> globalDeny;
  private final Set<InetAddress> globalAllow;
  private final Map<String, Set<InetAddress>> hostDeny;
  private final Map<String, Set<InetAddress>> hostAllow;

  private AccessRules(
      Set<InetAddress> globalDeny,
      Set<InetAddress> globalAllow,
      Map<String, Set<InetAddress>> hostDeny,
      Map<String, Set<InetAddress>> hostAllow) {
    this.globalDeny = globalDeny;
    this.globalAllow = globalAllow;
    this.hostDeny = hostDeny;
    this.hostAllow = hostAllow;
  }

  static AccessRules of(List<AccessEntry> entries) {
    if (entries.isEmpty()) {
      return NONE;
    }
    Set<InetAddress> globalDeny = new HashSet<>();
    Set<InetAddress> globalAllow = new HashSet<>();
    Map<String, Set<InetAddress>> hostDeny = new HashMap<>();
    Map<String, Set<InetAddress>> hostAllow = new HashMap<>();
    for (AccessEntry e : entries) {
      boolean deny = e.list() == AccessEntry.AccessList.DENY;
      if (e.isGlobal()) {
        (deny ? globalDeny : globalAllow).add(e.ip());
      } else {
        (deny ? hostDeny : hostAllow).computeIfAbsent(e.host(), h -> new HashSet<>()).add(e.ip());
      }
    }
    return new AccessRules(globalDeny, globalAllow, hostDeny, hostAllow);
  }

  boolean isEmpty() {
    return this == NONE;
  }

  /** Whether {@code ip} may be used for {@code host} (null: a proxy resolves; no list applies). */
  boolean permits(String host, InetAddress ip) {
    if (this == NONE || ip == null) {
      return true;
    }
    if (globalDeny.contains(ip) || hostDeny.getOrDefault(host, Set.of()).contains(ip)) {
      return false;
    }
    Set<InetAddress> allowed = hostAllow.get(host);
    if (allowed == null && globalAllow.isEmpty()) {
      return true; // no allow list for this host
    }
    return globalAllow.contains(ip) || (allowed != null && allowed.contains(ip));
  }
}
