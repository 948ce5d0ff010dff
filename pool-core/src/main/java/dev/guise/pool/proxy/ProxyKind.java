package dev.guise.pool.proxy;

/** How Guise talks to a proxy, named as in a proxy URL's scheme. */
public enum ProxyKind {
  /** An HTTP proxy: a plain TCP connection, then {@code CONNECT host:port}. */
  HTTP("http", 80),
  /**
   * An HTTP proxy behind TLS: TLS to the proxy (its certificate verified like any server's), then
   * {@code CONNECT} inside; the site's TLS then runs inside the proxy's.
   */
  HTTPS("https", 443),
  /** SOCKS5 (RFC 1928); a target without a pinned IP is resolved locally, as curl does. */
  SOCKS5("socks5", 1080),
  /** SOCKS5 where the proxy resolves host names: Guise sends the name and resolves nothing. */
  SOCKS5H("socks5h", 1080);

  private final String scheme;
  private final int defaultPort;

  ProxyKind(String scheme, int defaultPort) {
    this.scheme = scheme;
    this.defaultPort = defaultPort;
  }

  /** The URL scheme: {@code http}, {@code https}, {@code socks5}, {@code socks5h}. */
  public String scheme() {
    return scheme;
  }

  /** The port a proxy URL without one means. */
  public int defaultPort() {
    return defaultPort;
  }

  /**
   * Whether the proxy resolves the site's name for a connection that is not pinned to an IP (so
   * Guise asks it for the name and looks nothing up itself). Only {@link #SOCKS5} does not.
   */
  public boolean resolvesNames() {
    return this != SOCKS5;
  }
}
