package dev.guise.pool.internal.proxy;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * What a tunnel is asked to reach: the pinned IP when there is one (that is what pins the
 * connection: the proxy connects to that IP), else the host name for the proxy to resolve.
 *
 * @param host the site's host name
 * @param ip the pinned IP, or null to ask for the name
 * @param port the site's port
 */
public record TunnelTarget(String host, InetAddress ip, int port) {
  /** {@code host:port} as a CONNECT line names it: the IP when pinned, IPv6 in brackets. */
  String authority() {
    if (ip == null) {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
    String a = ip.getHostAddress();
    return (ip instanceof Inet6Address ? "[" + a + "]" : a) + ":" + port;
  }
}
