package dev.guise.session;

import dev.guise.session.internal.CookieDomains;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether two URLs are the same site (same scheme and registrable domain), as {@code
 * sec-fetch-site} and SameSite cookies need it. Sessions use {@link #publicSuffixList()}, the rule
 * browsers and the cookie jar apply.
 */
@FunctionalInterface
public interface Sites {
  /** Whether {@code a} and {@code b} are the same site. */
  boolean sameSite(URI a, URI b);

  /**
   * Same scheme and the same registrable domain by the public suffix list (HTML's schemeful
   * same-site, as Chrome applies it): {@code a.example.co.uk} and {@code b.example.co.uk} are the
   * same site, {@code a.co.uk} and {@code b.co.uk} are not. A host the list does not know is a site
   * of its own.
   */
  static Sites publicSuffixList() {
    return (a, b) -> {
      Optional<String> siteA = CookieDomains.site(a);
      return siteA.isPresent() && siteA.equals(CookieDomains.site(b));
    };
  }

  /**
   * Same scheme and the same host: never calls two hosts of one registrable domain the same site
   * (it says {@code cross-site} where a browser says {@code same-site}), never the reverse.
   */
  static Sites sameHost() {
    return (a, b) ->
        a.getScheme().equalsIgnoreCase(b.getScheme())
            && a.getHost().toLowerCase(Locale.ROOT).equals(b.getHost().toLowerCase(Locale.ROOT));
  }
}
