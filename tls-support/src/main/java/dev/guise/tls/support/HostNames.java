package dev.guise.tls.support;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The host name rules every engine follows: which name goes into SNI, and whether a server
 * certificate is valid for the host the caller asked for.
 *
 * <p>Matching is what browsers do (RFC 6125 and the CA/Browser Forum rules): only subject
 * alternative names count (the subject's common name is ignored); a DNS name matches
 * case-insensitively and without a trailing dot; a wildcard is allowed only as the entire left-most
 * label ({@code *.example.com}), matches exactly one label, and never stands for a label right
 * below a top-level label ({@code *.com} matches nothing); an IP literal host matches only an IP
 * address SAN of the same address, never a DNS SAN.
 *
 * <p>The host checked is always the requested host (the one in SNI), never the IP the socket is
 * connected to: a pool pins connections to IPs, and a certificate for the IP says nothing about the
 * site.
 *
 * <p>Stateless and thread-safe.
 */
public final class HostNames {
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private HostNames() {}

  /** Whether {@code host} is an IPv4 or IPv6 literal (brackets allowed for IPv6). */
  public static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
  }

  /** The host in the form certificates use: lower-case ASCII (IDNA), without a trailing dot. */
  public static String normalise(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (!isIpLiteral(h)) {
      h = IDN.toASCII(h, IDN.ALLOW_UNASSIGNED);
    }
    return h.toLowerCase(Locale.ROOT);
  }

  /**
   * The name to send in SNI for {@code host}: normalised, or empty for an IP literal (RFC 6066
   * forbids literals in SNI, and browsers send none).
   */
  public static Optional<String> serverName(String host) {
    String normalised = normalise(host);
    return isIpLiteral(normalised) ? Optional.empty() : Optional.of(normalised);
  }

  /** Whether {@code certificate} is valid for {@code host}. */
  public static boolean matches(String host, X509Certificate certificate)
      throws CertificateParsingException {
    Collection<List<?>> names = certificate.getSubjectAlternativeNames();
    if (names == null) {
      return false;
    }
    String wanted = normalise(host);
    if (isIpLiteral(wanted)) {
      byte[] address = literalAddress(wanted);
      if (address == null) {
        return false;
      }
      for (List<?> name : names) {
        if (((Integer) name.get(0)) == SAN_IP) {
          byte[] san = literalAddress(String.valueOf(name.get(1)));
          if (san != null && Arrays.equals(address, san)) {
            return true;
          }
        }
      }
      return false;
    }
    for (List<?> name : names) {
      if (((Integer) name.get(0)) == SAN_DNS
          && dnsNameMatches(wanted, String.valueOf(name.get(1)))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Checks that {@code leaf} is valid for {@code host}.
   *
   * @throws HostNameMismatchException when it is not, naming the certificate's names
   * @throws CertificateException when its subject alternative names cannot be read
   */
  public static void check(String host, X509Certificate leaf) throws CertificateException {
    if (!matches(host, leaf)) {
      throw new HostNameMismatchException(
          "server certificate does not match host "
              + host
              + " (names: "
              + describeNames(leaf)
              + ")");
    }
  }

  /** Whether the normalised {@code host} matches the SAN {@code pattern} (one DNS name). */
  static boolean dnsNameMatches(String host, String pattern) {
    String p = pattern.toLowerCase(Locale.ROOT);
    if (p.endsWith(".")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.isEmpty() || host.isEmpty()) {
      return false;
    }
    if (!p.startsWith("*.")) {
      return p.indexOf('*') < 0 && p.equals(host);
    }
    String suffix = p.substring(1); // ".example.com"
    if (suffix.indexOf('*') >= 0) {
      return false; // only the whole left-most label may be a wildcard
    }
    if (suffix.indexOf('.', 1) < 0) {
      return false; // "*.com": a wildcard directly below a top-level label
    }
    if (!host.endsWith(suffix)) {
      return false;
    }
    String firstLabel = host.substring(0, host.length() - suffix.length());
    return !firstLabel.isEmpty() && firstLabel.indexOf('.') < 0;
  }

  private static byte[] literalAddress(String literal) {
    String l = literal;
    if (l.startsWith("[") && l.endsWith("]")) {
      l = l.substring(1, l.length() - 1);
    }
    if (!isIpLiteral(l)) {
      return null;
    }
    if (l.indexOf(':') < 0) {
      // Parsed here: InetAddress would resolve "1.2.3.999" as a name.
      String[] parts = l.split("\\.");
      byte[] out = new byte[4];
      for (int i = 0; i < 4; i++) {
        int v = Integer.parseInt(parts[i]);
        if (v > 255) {
          return null;
        }
        out[i] = (byte) v;
      }
      return out;
    }
    try {
      return InetAddress.getByName(l).getAddress(); // a literal: no name lookup
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static String describeNames(X509Certificate leaf) {
    try {
      Collection<List<?>> names = leaf.getSubjectAlternativeNames();
      if (names == null) {
        return "no subject alternative names";
      }
      List<String> out = new ArrayList<>();
      for (List<?> n : names) {
        out.add(String.valueOf(n.get(1)));
      }
      return String.join(", ", out);
    } catch (CertificateParsingException e) {
      return "unreadable";
    }
  }
}
