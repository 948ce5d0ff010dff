package dev.guise.session.internal;

import java.net.URI;

/** Cookie paths: the default path (RFC 6265bis, section 5.1.4) and path matching. */
final class CookiePaths {

  private CookiePaths() {}

  /** The path of a URL as sent (still percent-encoded), "/" when it has none. */
  static String requestPath(URI url) {
    String path = url.getRawPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  /**
   * The default path: the request path up to, not including, its last '/'; "/" when the path is
   * empty, relative, or has one '/' only.
   */
  static String defaultPath(URI url) {
    String path = url.getRawPath();
    if (path == null || !path.startsWith("/")) {
      return "/";
    }
    int last = path.lastIndexOf('/');
    return last == 0 ? "/" : path.substring(0, last);
  }

  /**
   * Path matching: identical, or the cookie's path a prefix of the request's that ends in '/' or is
   * followed there by '/'.
   */
  static boolean matches(String requestPath, String cookiePath) {
    if (requestPath.equals(cookiePath)) {
      return true;
    }
    if (!requestPath.startsWith(cookiePath)) {
      return false;
    }
    return cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length()) == '/';
  }
}
