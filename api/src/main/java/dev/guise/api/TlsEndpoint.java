package dev.guise.api;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Where a connection goes: a host name for SNI, {@code Host} and certificate verification, and the
 * one IP address of that host the socket is pinned to.
 *
 * <p>The certificate is always checked against {@link #host()}, never against {@link #ip()}.
 *
 * @param host the DNS host name (or IP literal) the caller asked for, without port
 * @param ip the address the socket connects to
 * @param port the TCP port, 1 to 65535
 */
public record TlsEndpoint(String host, InetAddress ip, int port) {
  public TlsEndpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(ip, "ip");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be between 1 and 65535: " + port);
    }
  }

  /** {@code host:port}, or {@code host} alone for the default HTTPS port. */
  public String authority() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return port == 443 ? h : h + ":" + port;
  }

  @Override
  public String toString() {
    return host + "@" + ip.getHostAddress() + ":" + port;
  }
}
