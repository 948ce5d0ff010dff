package dev.guise.pool.fleet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;

/**
 * What a ban or a strike is held against: a host (name and port) and either one of its IPs or the
 * exit of a proxy through which the host was fetched.
 *
 * <p>Exactly one of {@link #ip()} and {@link #proxyExit()} is set. A proxy exit is the proxy's
 * {@code scheme://[user@]host:port} (never a password), as the pool writes it: the site saw the
 * proxy, so a ban through a proxy bans that proxy for that host.
 *
 * <p>{@link #id()} is a stable one-line text of the key, made for store keys and messages ({@code
 * example.com:443|ip|203.0.113.7} or {@code example.com:443|exit|http://proxy.example:3128}), and
 * {@link #parse(String)} reads it back. Host names are lower case.
 *
 * @param host the host name, lower case
 * @param port the host's port
 * @param ip the banned IP; null for a proxy exit
 * @param proxyExit the banned proxy exit; null for an IP
 */
public record BanKey(String host, int port, InetAddress ip, String proxyExit) {
  /** Checks the fields and puts the host in lower case. */
  public BanKey {
    host = Objects.requireNonNull(host, "host").toLowerCase(Locale.ROOT);
    if (host.isEmpty() || host.indexOf('|') >= 0) {
      throw new IllegalArgumentException("a ban needs a host name without '|': " + host);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if ((ip == null) == (proxyExit == null)) {
      throw new IllegalArgumentException("a ban key names an IP or a proxy exit, exactly one");
    }
    if (proxyExit != null && (proxyExit.isEmpty() || proxyExit.indexOf('|') >= 0)) {
      throw new IllegalArgumentException("a proxy exit must be non-empty, without '|'");
    }
  }

  /** The key of {@code ip} for {@code host:port}. */
  public static BanKey ofIp(String host, int port, InetAddress ip) {
    return new BanKey(host, port, Objects.requireNonNull(ip, "ip"), null);
  }

  /** The key of a proxy's exit ({@code scheme://[user@]host:port}) for {@code host:port}. */
  public static BanKey ofProxyExit(String host, int port, String proxyExit) {
    return new BanKey(host, port, null, Objects.requireNonNull(proxyExit, "proxyExit"));
  }

  /** Whether this key names a proxy exit rather than an IP. */
  public boolean isProxyExit() {
    return proxyExit != null;
  }

  /** {@code host:port|ip|address} or {@code host:port|exit|proxy}: stable, one line. */
  public String id() {
    return host + ":" + port + (ip != null ? "|ip|" + ip.getHostAddress() : "|exit|" + proxyExit);
  }

  /**
   * Reads an {@link #id()} back.
   *
   * @throws IllegalArgumentException when {@code id} is not one
   */
  public static BanKey parse(String id) {
    String[] parts = id.split("\\|", 3);
    int colon = parts[0].lastIndexOf(':');
    if (parts.length != 3 || colon <= 0) {
      throw new IllegalArgumentException("not a ban key: " + id);
    }
    String host = parts[0].substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(parts[0].substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a ban key (port): " + id, e);
    }
    return switch (parts[1]) {
      case "ip" -> ofIp(host, port, literal(parts[2], id));
      case "exit" -> ofProxyExit(host, port, parts[2]);
      default -> throw new IllegalArgumentException("not a ban key (kind): " + id);
    };
  }

  /** An IP literal, never a name lookup. */
  static InetAddress literal(String text, String context) {
    if (text.isEmpty() || !(text.indexOf(':') >= 0 || Character.digit(text.charAt(0), 16) >= 0)) {
      throw new IllegalArgumentException("not an IP address: " + context);
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(Character.digit(c, 16) >= 0 || c == '.' || c == ':' || c == '%')) {
        throw new IllegalArgumentException("not an IP address: " + context);
      }
    }
    try {
      return InetAddress.getByName(text); // a literal: parsed, no DNS
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + context, e);
    }
  }

  @Override
  public String toString() {
    return id();
  }
}
