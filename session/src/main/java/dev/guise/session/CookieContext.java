package dev.guise.session;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a cookie jar needs to know about a request to decide which cookies it may carry and which
 * cookies its response may set (RFC 6265bis, "same-site" and "cross-site" requests).
 *
 * @param url the request's URL
 * @param siteForCookies the URL of the top-level document the request is made for; empty for a
 *     navigation the user started (typed URL, bookmark), which counts as same-site
 * @param topLevelNavigation whether the request navigates the top-level document
 * @param method the request's method, upper case
 */
public record CookieContext(
    URI url, Optional<URI> siteForCookies, boolean topLevelNavigation, String method) {

  public CookieContext {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(siteForCookies, "siteForCookies");
    method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
  }

  /** A navigation the user started: a top-level GET with no initiating document. */
  public static CookieContext navigation(URI url) {
    return new CookieContext(url, Optional.empty(), true, "GET");
  }
}
