package dev.guise.pool.internal;

import dev.guise.api.TlsEndpoint;
import java.net.InetAddress;

/**
 * Where a connection goes: the unit connections are pooled, leased and banned by. Today a host and
 * port ({@link HostKey}) at one IP; a proxy (and later a session) becomes a component here, and
 * then every map keyed by a route (the per-route pools, the bans) tells them apart with no other
 * change. The per-host side (limits, the lock, the rotation among routes) stays keyed by {@link
 * HostKey}.
 */
public record Route(HostKey host, InetAddress ip) {
  public Route {
    if (host == null || ip == null) {
      throw new NullPointerException("a route needs a host and an IP");
    }
  }

  /** Host name (SNI, Host header, certificate checks), the route's IP, and the port. */
  public TlsEndpoint endpoint() {
    return new TlsEndpoint(host.host(), ip, host.port());
  }

  // Written out, as HostKey's are: a pinned lease looks its route up by this key on every call.
  @Override
  public boolean equals(Object o) {
    return o instanceof Route r && ip.equals(r.ip) && host.equals(r.host);
  }

  @Override
  public int hashCode() {
    return host.hashCode() * 31 + ip.hashCode();
  }

  @Override
  public String toString() {
    return host + "@" + ip.getHostAddress();
  }
}
