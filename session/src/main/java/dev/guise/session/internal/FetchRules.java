package dev.guise.session.internal;

import dev.guise.session.Sites;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The browser's rules for the headers that depend on who initiated a request and where it has been
 * redirected: {@code sec-fetch-site} (Fetch Metadata), {@code referer} under the default policy
 * {@code strict-origin-when-cross-origin}, and {@code origin} (Fetch, "append a request Origin
 * header"). Stateless.
 */
public final class FetchRules {
  /** The {@code origin} header of a request whose origin a redirect tainted. */
  public static final String TAINTED_ORIGIN = "null";

  private FetchRules() {}

  /**
   * Whether the redirect from {@code from} to {@code next} taints the request's origin, so that its
   * {@code origin} header says {@code null} from then on. Chromium 156 (headless against a loopback
   * server, POSTs redirected by 307: {@code ChromiumTaintedOriginTest}):
   *
   * <ul>
   *   <li>a CORS-mode request ({@code fetch}) follows Fetch's tainted origin flag: the hop leaves
   *       {@code from}'s origin, and {@code from} is not of the initiator's origin (a.test's fetch
   *       to a.test, redirected to b.test, still says a.test; to b.test redirected to a.test says
   *       {@code null});
   *   <li>any other request that carries an {@code origin} header (a form POST navigation) is
   *       tainted by any hop that leaves {@code from}'s origin, the initiator's own included: the
   *       network stack's rule, so that a POST cannot be reflected to a site with its origin.
   * </ul>
   *
   * @param originSent whether the hop from {@code from} carried an {@code origin} header
   */
  public static boolean taintsOrigin(
      Optional<URI> initiator, URI from, URI next, boolean corsMode, boolean originSent) {
    if (initiator.isEmpty() || sameOrigin(from, next)) {
      return false;
    }
    return corsMode ? !sameOrigin(initiator.get(), from) : originSent;
  }

  /** The origin of {@code url}: scheme, host and port (default port left out). */
  public static String origin(URI url) {
    String scheme = url.getScheme().toLowerCase(Locale.ROOT);
    String host = url.getHost().toLowerCase(Locale.ROOT);
    int port = url.getPort();
    boolean defaultPort = port < 0 || (scheme.equals("https") && port == 443);
    return scheme + "://" + host + (defaultPort ? "" : ":" + port);
  }

  public static boolean sameOrigin(URI a, URI b) {
    return origin(a).equals(origin(b));
  }

  /**
   * {@code sec-fetch-site} for a request initiated by {@code initiator} (empty: the user) that has
   * visited {@code chain} (its URL, then each redirect target): the weakest relation of any URL of
   * the chain with the initiator. A navigation the user started stays {@code none} through its
   * redirects (the captures' /start to /landing).
   */
  public static String secFetchSite(Optional<URI> initiator, List<URI> chain, Sites sites) {
    if (initiator.isEmpty()) {
      return "none";
    }
    String site = "same-origin";
    for (URI url : chain) {
      if (!sameOrigin(initiator.get(), url)) {
        if (!sites.sameSite(initiator.get(), url)) {
          return "cross-site";
        }
        site = "same-site";
      }
    }
    return site;
  }

  /**
   * The {@code referer} for a request to {@code target} from a document at {@code referrer} under
   * {@code strict-origin-when-cross-origin}: the full URL (no fragment, no user info) to the same
   * origin, the origin alone to another, nothing from https to http.
   */
  public static Optional<String> referer(Optional<URI> referrer, URI target) {
    if (referrer.isEmpty()) {
      return Optional.empty();
    }
    URI from = referrer.get();
    if (from.getScheme().equalsIgnoreCase("https")
        && !target.getScheme().equalsIgnoreCase("https")) {
      return Optional.empty();
    }
    if (!sameOrigin(from, target)) {
      return Optional.of(origin(from) + "/");
    }
    // The raw path and query, as the URL was: Chromium sends a query's percent-escapes as they are
    // (a decoded and re-encoded query would turn %3A into ':'). No user info, no fragment.
    String path =
        from.getRawPath() == null || from.getRawPath().isEmpty() ? "/" : from.getRawPath();
    String query = from.getRawQuery() == null ? "" : "?" + from.getRawQuery();
    return Optional.of(origin(from) + path + query);
  }

  /**
   * The {@code origin} header, when the browser sends one: a CORS-mode request ({@code fetch}) to
   * another origin, or any request whose method is neither GET nor HEAD.
   */
  public static Optional<String> originHeader(
      Optional<URI> initiator, URI target, boolean corsMode, String method) {
    if (initiator.isEmpty()) {
      return Optional.empty();
    }
    boolean unsafe = !method.equals("GET") && !method.equals("HEAD");
    if (unsafe || (corsMode && !sameOrigin(initiator.get(), target))) {
      return Optional.of(origin(initiator.get()));
    }
    return Optional.empty();
  }
}
