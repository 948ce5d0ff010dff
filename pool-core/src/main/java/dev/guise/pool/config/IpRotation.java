package dev.guise.pool.config;

/**
 * How the pool picks the IP for a request that names none, among the host's IPs that are not
 * banned. Whichever it picks first, when that IP can neither lend a connection with room nor open
 * one within the limits, the next in the rotation's order is asked.
 */
public enum IpRotation {
  /**
   * Each IP in turn (the default): load spreads evenly over all of a host's IPs, and the hot path
   * of an HTTP/1.1 request takes an idle connection without the host lock.
   */
  ROUND_ROBIN,
  /**
   * The IP with the fewest requests in flight and connections being opened, ties in turn. Suits
   * exchanges of uneven length; every unpinned request decides under the host lock.
   */
  LEAST_LOADED
}
