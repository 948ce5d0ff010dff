package dev.guise.pool.internal.tls;

/** Small facts about host names. */
final class HostNames {
  private HostNames() {}

  /** Whether {@code host} is an IPv4 or IPv6 literal (SNI must not carry those, RFC 6066). */
  static boolean isIpLiteral(String host) {
    if (host.indexOf(':') >= 0) {
      return true;
    }
    int dots = 0;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == '.') {
        dots++;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return dots == 3;
  }
}
