package dev.guise.session.internal;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import java.net.IDN;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Host names as cookies see them: canonical form (RFC 6265bis, section 5.1.2), domain matching
 * (5.1.3), and public suffixes and registrable domains from the public suffix list that Guava ships
 * ({@link InternetDomainName}), both its ICANN and its private sections, as browsers use both.
 */
public final class CookieDomains {

  private CookieDomains() {}

  /** The canonical host of a URL: lower case, IDNA ASCII, IPv6 without brackets; or empty. */
  static Optional<String> host(URI url) {
    String host = url.getHost();
    if (host == null || host.isEmpty()) {
      return Optional.empty();
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return canonical(host);
  }

  /** A host or domain in canonical form: lower case, IDNA ASCII, no trailing dot; or empty. */
  static Optional<String> canonical(String name) {
    if (InetAddresses.isInetAddress(name)) {
      return Optional.of(name.toLowerCase(Locale.ROOT));
    }
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (n.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(IDN.toASCII(n, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException notAName) {
      return Optional.empty();
    }
  }

  static boolean isIpAddress(String host) {
    return InetAddresses.isInetAddress(host);
  }

  /**
   * Domain matching (5.1.3): identical, or {@code domain} a suffix of {@code host} after a dot
   * where {@code host} is a name, not an IP address.
   */
  static boolean domainMatches(String host, String domain) {
    if (host.equals(domain)) {
      return true;
    }
    return host.endsWith(domain)
        && host.length() > domain.length()
        && host.charAt(host.length() - domain.length() - 1) == '.'
        && !isIpAddress(host);
  }

  /** Whether {@code domain} is on the public suffix list (co.uk, com, github.io). */
  static boolean isPublicSuffix(String domain) {
    if (isIpAddress(domain) || !InternetDomainName.isValid(domain)) {
      return false;
    }
    return InternetDomainName.from(domain).isPublicSuffix();
  }

  /**
   * The registrable domain (the public suffix and one label more: example.co.uk), or the host
   * itself for an IP address, a public suffix, or a name the list does not know (localhost). This
   * is what Chrome counts cookies by, and with the scheme what makes a site.
   */
  static String registrableDomain(String host) {
    if (isIpAddress(host) || !InternetDomainName.isValid(host)) {
      return host;
    }
    InternetDomainName name = InternetDomainName.from(host);
    if (name.isUnderPublicSuffix()) {
      return name.topPrivateDomain().toString();
    }
    return host;
  }

  /**
   * A URL's site (HTML's "scheme-and-registrable-domain", which Chrome's schemeful same-site
   * compares): the scheme and the registrable domain.
   */
  public static Optional<String> site(URI url) {
    String scheme = url.getScheme();
    return host(url)
        .map(
            h ->
                (scheme == null ? "" : scheme.toLowerCase(Locale.ROOT))
                    + "://"
                    + registrableDomain(h));
  }
}
