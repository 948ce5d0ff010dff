package dev.guise.pool.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One proxy: its kind, address, credentials, and whether its tunnels are pooled.
 *
 * <p>A proxy is <em>sticky</em> by default: a tunnel keeps the exit it got, so the pool keeps and
 * reuses connections through it like any other. A rotating proxy (one endpoint, a new exit per
 * tunnel) is {@link #withNewTunnelPerRequest() new-tunnel-per-request}: every request opens its own
 * tunnel and closes it after, so no two requests share an exit by accident.
 *
 * <p>{@link #toString()} prints {@code socks5h://user:***@127.0.0.1:1080}: never the password.
 * Immutable; equal when kind, host, port, credentials and mode are.
 */
public final class Proxy {
  private final ProxyKind kind;
  private final String host;
  private final int port;
  private final Optional<ProxyCredentials> credentials;
  private final boolean newTunnelPerRequest;

  private Proxy(
      ProxyKind kind,
      String host,
      int port,
      Optional<ProxyCredentials> credentials,
      boolean newTunnelPerRequest) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.host = Objects.requireNonNull(host, "host").toLowerCase(Locale.ROOT);
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    if (host.isBlank()) {
      throw new IllegalArgumentException("a proxy needs a host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("proxy port must be between 1 and 65535: " + port);
    }
    this.port = port;
    this.newTunnelPerRequest = newTunnelPerRequest;
  }

  /** A sticky proxy without credentials. */
  public static Proxy of(ProxyKind kind, String host, int port) {
    return new Proxy(kind, host, port, Optional.empty(), false);
  }

  /**
   * A proxy from its URL: {@code http://}, {@code https://}, {@code socks5://} or {@code
   * socks5h://}, optionally with {@code user:password@} (percent-encoded where needed), a host and
   * a port (by default 80, 443 and 1080 as {@link ProxyKind#defaultPort()} says). Nothing may
   * follow the port but an optional {@code /}.
   *
   * @throws IllegalArgumentException naming what is wrong; the message never holds the password
   */
  public static Proxy parse(String url) {
    Objects.requireNonNull(url, "url");
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      // Not e.getMessage(): it quotes the input, password and all.
      throw new IllegalArgumentException(
          "not a proxy URL (expected scheme://[user:password@]host[:port]): " + redact(url));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    ProxyKind kind = null;
    for (ProxyKind k : ProxyKind.values()) {
      if (k.scheme().equals(scheme)) {
        kind = k;
      }
    }
    if (kind == null) {
      throw new IllegalArgumentException(
          "unknown proxy scheme '"
              + scheme
              + "' in "
              + redact(url)
              + "; expected http, https, socks5 or socks5h");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("the proxy URL has no host: " + redact(url));
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "a proxy URL has no path, query or fragment: " + redact(url));
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    Optional<ProxyCredentials> credentials = Optional.empty();
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
      String password = colon < 0 ? "" : userInfo.substring(colon + 1);
      credentials =
          Optional.of(
              new ProxyCredentials(
                  URLDecoder.decode(user, StandardCharsets.UTF_8),
                  URLDecoder.decode(password, StandardCharsets.UTF_8)));
    }
    int port = uri.getPort() < 0 ? kind.defaultPort() : uri.getPort();
    return new Proxy(kind, host, port, credentials, false);
  }

  /** {@code url} with anything between the scheme and an {@code @} replaced, for messages. */
  static String redact(String url) {
    int at = url.lastIndexOf('@');
    if (at < 0) {
      return url;
    }
    int start = url.indexOf("://");
    start = start < 0 ? 0 : start + 3;
    return at < start ? url : url.substring(0, start) + "***" + url.substring(at);
  }

  /** This proxy with {@code credentials}. */
  public Proxy withCredentials(ProxyCredentials credentials) {
    return new Proxy(kind, host, port, Optional.of(credentials), newTunnelPerRequest);
  }

  /** This proxy, opening a new tunnel for every request and never reusing one. */
  public Proxy withNewTunnelPerRequest() {
    return new Proxy(kind, host, port, credentials, true);
  }

  public ProxyKind kind() {
    return kind;
  }

  /** The proxy's host name or IP literal (lower case, IPv6 without brackets). */
  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public Optional<ProxyCredentials> credentials() {
    return credentials;
  }

  /** Whether every request opens its own tunnel (a rotating proxy), instead of pooled tunnels. */
  public boolean newTunnelPerRequest() {
    return newTunnelPerRequest;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Proxy p
        && kind == p.kind
        && port == p.port
        && newTunnelPerRequest == p.newTunnelPerRequest
        && host.equals(p.host)
        && credentials.equals(p.credentials);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, host, port, credentials, newTunnelPerRequest);
  }

  /** {@code scheme://user:***@host:port}; the password never. */
  @Override
  public String toString() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return kind.scheme()
        + "://"
        + credentials.map(c -> c + "@").orElse("")
        + h
        + ":"
        + port
        + (newTunnelPerRequest ? " (new tunnel per request)" : "");
  }
}
