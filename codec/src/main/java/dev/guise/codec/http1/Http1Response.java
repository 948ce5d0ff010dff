package dev.guise.codec.http1;

import dev.guise.api.Header;
import java.util.List;
import java.util.Objects;

/**
 * An HTTP/1.1 response head, headers in wire order with their case as received.
 *
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param status the three-digit status code
 * @param reason the reason phrase (may be empty)
 * @param headers the header fields in wire order
 * @param framing how the body that follows ends
 * @param contentLength the body length for {@link Http1BodyFraming#CONTENT_LENGTH}, else -1
 * @param keepAlive whether the connection may carry another request after this response's body
 */
public record Http1Response(
    String version,
    int status,
    String reason,
    List<Header> headers,
    Http1BodyFraming framing,
    long contentLength,
    boolean keepAlive) {
  public Http1Response {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(reason, "reason");
    headers = List.copyOf(headers);
    Objects.requireNonNull(framing, "framing");
  }

  /** The first value of header {@code name} (case-insensitive), or null. */
  public String header(String name) {
    for (Header h : headers) {
      if (h.is(name)) {
        return h.value();
      }
    }
    return null;
  }
}
