package dev.guise.flink;

import java.io.Serializable;
import java.net.URI;
import java.util.Locale;

/**
 * One URL to fetch: an element of the stream {@link GuiseFetch#fetch} reads.
 *
 * <p>Nothing is checked here, so that a bad element read from a queue or a file does not fail the
 * job where the stream is built: a URL that is not absolute {@code https}, an IP that is not a
 * literal or an unknown kind comes back as a {@link FetchResult} failed with {@code
 * INVALID_REQUEST}.
 *
 * @param url the absolute {@code https} URL
 * @param pinnedIp the IP literal to fetch it from, or null to let the pool choose one of the host's
 * @param kind what the request is for ({@code document}, {@code style}, {@code script}, {@code
 *     image}, {@code fetch}: it picks the profile's browser headers), or null for the default
 * @param sessionKey the caller's name for the crawl session the URL belongs to, carried into the
 *     result unchanged (null when none)
 */
public record FetchRequest(String url, String pinnedIp, String kind, String sessionKey)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A GET of {@code url} from any IP of its host, with the default kind and no session. */
  public static FetchRequest of(String url) {
    return new FetchRequest(url, null, null, null);
  }

  /** A GET of {@code url} from {@code ip}. */
  public static FetchRequest pinned(String url, String ip) {
    return new FetchRequest(url, ip, null, null);
  }

  /**
   * The host and port the request goes to, as the pool keys its connections ({@code host} in lower
   * case, {@code :port} added unless 443); the empty string when the URL has no host (such a
   * request fails as {@code INVALID_REQUEST} in whichever task it lands).
   */
  public String hostKey() {
    if (url == null) {
      return "";
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return "";
    }
    if (uri.getHost() == null) {
      return "";
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    return uri.getPort() < 0 || uri.getPort() == 443 ? host : host + ":" + uri.getPort();
  }
}
