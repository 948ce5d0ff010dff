package dev.guise.codec.http1;

import dev.guise.api.Header;
import java.util.List;
import java.util.Objects;

/**
 * An HTTP/1.1 request head as received, headers in wire order with their case as sent (which is
 * what a fingerprinting test server wants to see).
 *
 * @param method the method token
 * @param target the request target as sent
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers the header fields in wire order
 * @param framing {@link Http1BodyFraming#NONE}, {@code CONTENT_LENGTH} or {@code CHUNKED}
 * @param contentLength the body length for {@code CONTENT_LENGTH}, else -1
 */
public record Http1Request(
    String method,
    String target,
    String version,
    List<Header> headers,
    Http1BodyFraming framing,
    long contentLength) {
  public Http1Request {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(version, "version");
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
