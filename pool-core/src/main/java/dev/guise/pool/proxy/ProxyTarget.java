package dev.guise.pool.proxy;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ProxyChoice} chooses a proxy for: the site's host and port, and the IP the
 * connection is pinned to when it is.
 *
 * @param host the site's host name, lower case
 * @param port the site's port
 * @param ip the pinned IP, or empty when the pool (or the proxy) picks it
 */
public record ProxyTarget(String host, int port, Optional<InetAddress> ip) {
  public ProxyTarget {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(ip, "ip");
  }
}
