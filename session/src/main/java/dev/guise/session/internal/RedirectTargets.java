package dev.guise.session.internal;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Where a {@code Location} sends a request: resolved against the URL it answered as the URL
 * Standard resolves it, and refused unless it is an https URL with a host. Stateless.
 */
public final class RedirectTargets {
  private static final String HEX = "0123456789ABCDEF";

  private RedirectTargets() {}

  /**
   * The URL {@code location} names, relative to {@code from}.
   *
   * @throws ClassifiedIOException {@code INVALID_REDIRECT}, not retryable: the value does not parse
   *     as a URL reference even after a browser's repairs (a host that is not one), or it leaves
   *     https ({@code http:}, {@code file:}, {@code ftp:}, {@code data:}, {@code javascript:}: the
   *     pool speaks TLS only, and a browser refuses all but {@code http:} as a redirect target too)
   */
  public static URI resolve(URI from, String location) throws ClassifiedIOException {
    URI next;
    try {
      String repaired = repair(location.strip());
      // java.net.URI resolves a query alone as RFC 2396 did (against the path's directory); the
      // URL Standard and RFC 3986 keep the whole path.
      next =
          repaired.startsWith("?")
              ? URI.create(origin(from) + pathOf(from) + repaired)
              : from.resolve(URI.create(repaired));
    } catch (IllegalArgumentException e) {
      throw invalid("unparsable Location from " + from);
    }
    if (!"https".equalsIgnoreCase(next.getScheme())
        || next.getHost() == null
        || next.getRawAuthority() == null) {
      throw invalid(
          "redirect from " + from + " leaves https (" + next.getScheme() + "); Guise speaks https");
    }
    if (next.getRawUserInfo() != null) {
      // Found by LocationFuzzTest: the pool refuses URLs with credentials, and a redirect that
      // names some is refused here, classified, rather than failing the request builder. (Fetch
      // refuses it for CORS requests; a browser navigation drops the credentials.)
      throw invalid("redirect from " + from + " to a URL with credentials");
    }
    String path = next.getRawPath();
    // java.net.URI keeps ".." segments that climb above the root; the URL Standard drops them.
    String trimmed = path == null ? "" : path;
    while (trimmed.startsWith("/../") || trimmed.equals("/..")) {
      trimmed = trimmed.substring(3);
    }
    if (trimmed.equals(path)) {
      return next;
    }
    String text =
        next.getScheme()
            + "://"
            + next.getRawAuthority()
            + (trimmed.isEmpty() ? "/" : trimmed)
            + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery())
            + (next.getRawFragment() == null ? "" : "#" + next.getRawFragment());
    try {
      return URI.create(text);
    } catch (IllegalArgumentException e) {
      throw invalid("unparsable Location from " + from);
    }
  }

  /**
   * What a browser's URL parser repairs before {@code java.net.URI} would refuse it: tabs and
   * newlines are removed, a backslash before the query is a slash, and space, controls, {@code " <
   * > ` { } | ^} and non-ASCII are percent-encoded. The field value arrived as ISO-8859-1 (one char
   * per octet), so each octet of 0x80 and above is encoded as it is: a server's UTF-8 bytes reach
   * the wire as the browser sends them.
   */
  static String repair(String location) {
    StringBuilder out = new StringBuilder(location.length());
    boolean inPath = true;
    for (int i = 0; i < location.length(); i++) {
      char c = location.charAt(i);
      if (c == '\t' || c == '\n' || c == '\r') {
        continue;
      }
      if (c == '?' || c == '#') {
        inPath = false;
      }
      if (c == '\\' && inPath) {
        out.append('/');
      } else if (c > 0xFF) {
        for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
          percent(out, b & 0xFF);
        }
      } else if (c <= ' ' || c >= 0x7F || "\"<>`{}|^".indexOf(c) >= 0) {
        percent(out, c);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String origin(URI url) {
    return url.getScheme() + "://" + url.getRawAuthority();
  }

  private static String pathOf(URI url) {
    return url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
  }

  private static void percent(StringBuilder out, int octet) {
    out.append('%').append(HEX.charAt(octet >> 4)).append(HEX.charAt(octet & 0xF));
  }

  private static ClassifiedIOException invalid(String message) {
    return new ClassifiedIOException(
        FailureKind.INVALID_REDIRECT, false, PoolAction.KEEP, message, null);
  }
}
