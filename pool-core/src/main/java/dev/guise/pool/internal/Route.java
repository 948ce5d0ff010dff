package dev.guise.pool.internal;

import dev.guise.api.TlsEndpoint;
import dev.guise.pool.proxy.Proxy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Where a connection goes: the unit connections are pooled, leased and banned by. A host and port
 * ({@link HostKey}), an IP, the proxy the connection goes through (null: directly), and the
 * identity whose connections these are (null: the pool's shared ones). Every map keyed by a route
 * (the per-route pools, the bans) tells proxies apart with no other change. The per-host side
 * (limits, the lock, the rotation among routes) stays keyed by {@link HostKey}, proxy and identity
 * ({@link HostRoutes}).
 *
 * <p>The IP is null only through a proxy: for a connection the proxy resolves (asked for the host
 * name), and as the key of a ban on a proxy's exit for the host ({@link #exit}).
 *
 * <p>An identity (a session's, {@code HttpRequest.identity}) has connections of its own, as a
 * browser profile does: two identities never share a connection, nor a TLS session (the engine's
 * session scope names the identity). Bans ignore it: the site sees the IP or the exit, whoever
 * sends, so the access controller keys standings by host, IP and proxy alone.
 */
public record Route(HostKey host, InetAddress ip, Proxy proxy, String identity) {
  /** What {@link #endpoint()} reports for a route the proxy resolves: the unspecified address. */
  public static final InetAddress UNRESOLVED = unspecified();

  public Route {
    if (host == null || (ip == null && proxy == null)) {
      throw new NullPointerException("a route needs a host, and an IP or a proxy");
    }
  }

  /** A route of the pool's shared connections. */
  public Route(HostKey host, InetAddress ip, Proxy proxy) {
    this(host, ip, proxy, null);
  }

  /** A direct route. */
  public Route(HostKey host, InetAddress ip) {
    this(host, ip, null, null);
  }

  /** The key a ban on {@code proxy}'s exit for {@code host} is kept under. */
  public static Route exit(HostKey host, Proxy proxy) {
    return new Route(host, null, Objects.requireNonNull(proxy, "proxy"));
  }

  private static InetAddress unspecified() {
    try {
      return InetAddress.getByAddress(new byte[4]);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Host name (SNI, Host header, certificate checks), the route's IP, and the port. A route the
   * proxy resolves reports the unspecified address {@code 0.0.0.0}: Guise never learns the IP.
   */
  public TlsEndpoint endpoint() {
    return new TlsEndpoint(host.host(), ip == null ? UNRESOLVED : ip, host.port());
  }

  // Written out, as HostKey's are: a pinned lease looks its route up by this key on every call.
  @Override
  public boolean equals(Object o) {
    return o instanceof Route r
        && Objects.equals(ip, r.ip)
        && host.equals(r.host)
        && Objects.equals(proxy, r.proxy)
        && Objects.equals(identity, r.identity);
  }

  @Override
  public int hashCode() {
    return ((host.hashCode() * 31 + Objects.hashCode(ip)) * 31 + Objects.hashCode(proxy)) * 31
        + Objects.hashCode(identity);
  }

  /** {@code host@ip}, {@code via} the proxy (its password never printed), {@code for} identity. */
  @Override
  public String toString() {
    return host
        + "@"
        + (ip == null ? "(proxy resolves)" : ip.getHostAddress())
        + (proxy == null ? "" : " via " + proxy)
        + (identity == null ? "" : " for " + identity);
  }
}
