package dev.guise.session;

import java.net.URI;
import java.util.Locale;

/**
 * Whether two URLs are the same site (same scheme and registrable domain), as {@code
 * sec-fetch-site} and SameSite cookies need it. The registrable domain needs the public suffix
 * list, which the cookie jar holds; a session without one uses {@link #sameHost()}.
 */
@FunctionalInterface
public interface Sites {
  /** Whether {@code a} and {@code b} are the same site. */
  boolean sameSite(URI a, URI b);

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
