package dev.guise.session;

import dev.guise.pool.http.StreamedResponse;
import dev.guise.session.SessionResponse.Redirect;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The end of a streamed session request ({@link Session#sendStreaming}): the last response with its
 * body still to be read, the URL that gave it, and the redirects followed on the way. Close it: the
 * body holds its connection or stream until then.
 *
 * @param response the last response (a 3xx when redirects are not followed, or had no Location)
 * @param url the URL of the last request
 * @param redirects each redirect followed, in order
 */
public record SessionStreamedResponse(StreamedResponse response, URI url, List<Redirect> redirects)
    implements AutoCloseable {
  public SessionStreamedResponse {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(url, "url");
    redirects = List.copyOf(redirects);
  }

  /** Shorthand for {@code response().status()}. */
  public int status() {
    return response.status();
  }

  /** Closes the response's body. */
  @Override
  public void close() throws IOException {
    response.close();
  }
}
