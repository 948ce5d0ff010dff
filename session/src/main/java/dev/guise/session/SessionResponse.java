package dev.guise.session;

import dev.guise.pool.http.HttpResponse;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The end of a session request: the last response, the URL that gave it, and the redirects followed
 * on the way.
 *
 * @param response the last response (a 3xx when redirects are not followed, or had no Location)
 * @param url the URL of the last request
 * @param redirects each redirect followed, in order
 */
public record SessionResponse(HttpResponse response, URI url, List<Redirect> redirects) {
  public SessionResponse {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(url, "url");
    redirects = List.copyOf(redirects);
  }

  /**
   * One redirect followed.
   *
   * @param from the URL that answered with the redirect
   * @param status its status (301, 302, 303, 307 or 308)
   * @param to the URL requested next
   * @param method the method of the next request (GET after a 301/302 POST or a 303)
   */
  public record Redirect(URI from, int status, URI to, String method) {}

  /** Shorthand for {@code response().status()}. */
  public int status() {
    return response.status();
  }
}
