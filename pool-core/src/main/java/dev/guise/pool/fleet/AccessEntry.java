package dev.guise.pool.fleet;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of an allow list or a deny list, for one host or for every host.
 *
 * <p>The rules the pool applies: a denied IP (denied for the host or globally) is never used; when
 * a host has allow entries (its own or global ones), only the allowed IPs are used. Deny wins over
 * allow. Entries hold until removed; they do not expire.
 *
 * @param list which list the entry is on
 * @param host the host name (lower case; every port), or null for every host
 * @param ip the IP
 */
public record AccessEntry(AccessList list, String host, InetAddress ip) {
  /** Which list an entry is on. */
  public enum AccessList {
    /** When a host has any, only its allowed IPs are used. */
    ALLOW,
    /** Never used. */
    DENY
  }

  /** Checks the fields and puts the host in lower case. */
  public AccessEntry {
    Objects.requireNonNull(list, "list");
    Objects.requireNonNull(ip, "ip");
    if (host != null) {
      host = host.toLowerCase(Locale.ROOT);
      if (host.isEmpty() || host.indexOf('|') >= 0) {
        throw new IllegalArgumentException("an access entry's host must be a name without '|'");
      }
    }
  }

  /** Allows {@code ip} for {@code host} (null: every host). */
  public static AccessEntry allow(String host, InetAddress ip) {
    return new AccessEntry(AccessList.ALLOW, host, ip);
  }

  /** Denies {@code ip} for {@code host} (null: every host). */
  public static AccessEntry deny(String host, InetAddress ip) {
    return new AccessEntry(AccessList.DENY, host, ip);
  }

  /** Whether the entry holds for every host. */
  public boolean isGlobal() {
    return host == null;
  }

  /**
   * {@code allow|host|ip} or {@code deny|*|ip} for a global entry: stable, one line, made for store
   * keys; {@link #parse(String)} reads it back.
   */
  public String id() {
    return list.name().toLowerCase(Locale.ROOT)
        + "|"
        + (host == null ? "*" : host)
        + "|"
        + ip.getHostAddress();
  }

  /**
   * Reads an {@link #id()} back.
   *
   * @throws IllegalArgumentException when {@code id} is not one
   */
  public static AccessEntry parse(String id) {
    String[] parts = id.split("\\|", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException("not an access entry: " + id);
    }
    AccessList list =
        switch (parts[0]) {
          case "allow" -> AccessList.ALLOW;
          case "deny" -> AccessList.DENY;
          default -> throw new IllegalArgumentException("not an access entry (list): " + id);
        };
    return new AccessEntry(
        list, parts[1].equals("*") ? null : parts[1], BanKey.literal(parts[2], id));
  }

  @Override
  public String toString() {
    return id();
  }
}
