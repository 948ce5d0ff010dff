package dev.guise.pool.proxy;

/**
 * What a ban (a response the classifier calls {@code IP_BLOCKED}, or enough strikes) through a
 * proxy bans. The site saw the proxy's exit, not Guise, so by default that is what is banned.
 */
public enum ProxyBanTarget {
  /**
   * The proxy for that host: the host is not fetched through that proxy while the ban lasts (other
   * proxies serve it), and other hosts still use the proxy. The default.
   */
  EXIT,
  /**
   * The site's IP, through every proxy: for sites that block an IP of theirs for everyone (an
   * overloaded or retired front end) rather than the client.
   */
  SITE_IP
}
