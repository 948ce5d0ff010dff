package dev.guise.pool.http;

import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.api.TlsEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A response whose body is read as it arrives, for bodies too large to hold (the buffered form is
 * {@link HttpResponse}). The head is here; the {@link #body()} stream yields the body decoded from
 * its {@code Content-Encoding}, within the pool's body size limit (past it, a read fails with
 * {@code RESPONSE_TOO_LARGE}), and no read of it blocks longer than the request's timeout (a server
 * that stalls fails the read with {@code READ_TIMEOUT}). Failures are {@code
 * ClassifiedIOException}s.
 *
 * <p>The response holds its connection (HTTP/1.1) or its stream (HTTP/2) until the body is read to
 * its end or closed: always {@link #close()} it (try-with-resources). Closing early cancels the
 * HTTP/2 stream (the connection stays pooled), and on HTTP/1.1 drains a small rest or else closes
 * the connection. Not thread-safe: one thread reads the body.
 */
public final class StreamedResponse implements AutoCloseable {
  private final int status;
  private final List<Header> headers;
  private final InputStream body;
  private final Supplier<List<Header>> trailers;
  private final HttpProtocol protocol;
  private final TlsEndpoint endpoint;
  private final String profile;
  private final boolean reusedConnection;

  /**
   * @param status the status code
   * @param headers response headers in wire order
   * @param body the decoded body; closing it gives the connection or stream back
   * @param trailers the trailer fields, known once the body was read to its end
   * @param protocol HTTP/1.1 or HTTP/2
   * @param endpoint host, IP and port that answered
   * @param profile the fingerprint profile the connection presented
   * @param reusedConnection whether the connection had carried a request or validation before
   */
  public StreamedResponse(
      int status,
      List<Header> headers,
      InputStream body,
      Supplier<List<Header>> trailers,
      HttpProtocol protocol,
      TlsEndpoint endpoint,
      String profile,
      boolean reusedConnection) {
    this.status = status;
    this.headers = List.copyOf(headers);
    this.body = Objects.requireNonNull(body, "body");
    this.trailers = Objects.requireNonNull(trailers, "trailers");
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.profile = Objects.requireNonNull(profile, "profile");
    this.reusedConnection = reusedConnection;
  }

  public int status() {
    return status;
  }

  /** Response headers in wire order. */
  public List<Header> headers() {
    return headers;
  }

  /** The first value of a header, ignoring name case. */
  public Optional<String> header(String name) {
    for (Header h : headers) {
      if (h.is(name)) {
        return Optional.of(h.value());
      }
    }
    return Optional.empty();
  }

  /** The decoded body, as it arrives. The same stream on every call. */
  public InputStream body() {
    return body;
  }

  /** Trailer fields: empty until the body was read to its end, and when there are none. */
  public List<Header> trailers() {
    return List.copyOf(trailers.get());
  }

  /** HTTP/1.1 or HTTP/2. */
  public HttpProtocol protocol() {
    return protocol;
  }

  /** Host, IP and port that answered. */
  public TlsEndpoint endpoint() {
    return endpoint;
  }

  /** The fingerprint profile the connection presented. */
  public String profile() {
    return profile;
  }

  /** Whether the connection had carried a request or validation before. */
  public boolean reusedConnection() {
    return reusedConnection;
  }

  /** Closes the body (see the class comment for what that does to the connection). Idempotent. */
  @Override
  public void close() throws IOException {
    body.close();
  }

  @Override
  public String toString() {
    // Headers stay out: they may carry cookies.
    return "StreamedResponse[" + status + " " + protocol + " from " + endpoint + "]";
  }
}
