package dev.guise.cli.internal;

import dev.guise.cli.internal.FetchPlan.PlannedRequest;
import dev.guise.pool.http.StreamedResponse;
import java.io.IOException;
import java.net.URI;

/**
 * Sends the requests of one {@code guise fetch} invocation, in order, over one pool: the seam
 * between the command line and what carries the requests. {@link SessionFetch} is the
 * implementation. Not thread-safe: one invocation sends one request at a time.
 */
interface FetchSession extends AutoCloseable {
  /**
   * Sends one planned request and returns the final response, its body unread.
   *
   * @throws dev.guise.api.ClassifiedIOException when it failed, classified
   */
  FetchResult send(PlannedRequest request) throws IOException;

  /**
   * The identity the requests are sent as: the pool keeps its connections apart, so a connection
   * leased to describe it ({@code --verbose}) must be leased as this identity to be the one used.
   */
  String identity();

  /** Ends the session (a browser session saves its cookie jar here). */
  @Override
  void close() throws IOException;

  /**
   * What one planned request brought back: the head, and the body still to be read as it arrives.
   * Close it (the body read to its end or not) before the next request.
   *
   * @param response the last response, its body unread
   * @param effectiveUrl the URL that response answered (after redirects)
   * @param redirects how many redirects were followed to get there
   */
  record FetchResult(StreamedResponse response, URI effectiveUrl, int redirects)
      implements AutoCloseable {
    @Override
    public void close() throws IOException {
      response.close();
    }
  }
}
