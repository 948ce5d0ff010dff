package dev.guise.micrometer.internal;

import io.micrometer.core.instrument.Tags;
import java.net.InetAddress;
import java.util.Locale;

/**
 * The tags of every Guise meter: the user's common tags, {@code host} (at most the host limit of
 * distinct names, the rest {@code other}), and, where the data is per IP and the IP limit is above
 * 0, {@code ip} (at most that many distinct host and IP pairs, the rest {@code other}).
 */
public final class Tagging {
  private final Tags common;
  private final TagLimiter hosts;
  private final TagLimiter ips;

  public Tagging(Tags common, int hostLimit, int ipLimit) {
    this.common = common;
    this.hosts = new TagLimiter(hostLimit);
    this.ips = new TagLimiter(ipLimit);
  }

  /** The tags of a per-host series. */
  public Tags host(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    return common.and("host", hosts.tag(name, name));
  }

  /** The tags of a per-IP series: {@link #host} and, when IPs are tagged at all, {@code ip}. */
  public Tags route(String host, InetAddress ip) {
    Tags tags = host(host);
    if (ips.limit() == 0) {
      return tags;
    }
    String address = ip.getHostAddress();
    String key = host.toLowerCase(Locale.ROOT) + " " + address;
    return tags.and("ip", ips.tag(key, address));
  }

  /**
   * The host name in a {@code PoolStats} host, which is the name followed by {@code :port} unless
   * the port is 443: the meters name hosts as the events do, without the port.
   */
  public static String hostName(String statsHost) {
    int colon = statsHost.lastIndexOf(':');
    if (colon < 0) {
      return statsHost;
    }
    String before = statsHost.substring(0, colon);
    // An IPv6 literal comes bracketed from a URL ("[::1]:8443"); bare, its colons are no port.
    boolean portSuffix =
        (before.indexOf(':') < 0 || before.endsWith("]"))
            && colon + 1 < statsHost.length()
            && statsHost.substring(colon + 1).chars().allMatch(Character::isDigit);
    return portSuffix ? before : statsHost;
  }
}
