package dev.guise.pool.http;

import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.api.TlsEndpoint;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A complete response: head, decoded body and trailers, with the facts of how it was fetched.
 *
 * @param status the status code
 * @param headers response headers in wire order
 * @param body the body, decoded from its {@code Content-Encoding}
 * @param trailers trailer fields, empty when none
 * @param protocol HTTP/1.1 or HTTP/2
 * @param endpoint host, IP and port that answered
 * @param profile the fingerprint profile the connection presented
 * @param reusedConnection whether the connection had carried a request or validation before
 */
public record HttpResponse(
    int status,
    List<Header> headers,
    byte[] body,
    List<Header> trailers,
    HttpProtocol protocol,
    TlsEndpoint endpoint,
    String profile,
    boolean reusedConnection) {

  public HttpResponse {
    headers = List.copyOf(headers);
    trailers = List.copyOf(trailers);
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(profile, "profile");
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

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
