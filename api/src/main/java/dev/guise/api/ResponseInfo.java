package dev.guise.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The head of an HTTP response, as a {@link dev.guise.api.spi.FailureClassifier} sees it.
 *
 * @param status the status code
 * @param headers the response headers in wire order
 * @param endpoint where the response came from
 */
public record ResponseInfo(int status, List<Header> headers, TlsEndpoint endpoint) {
  public ResponseInfo {
    headers = List.copyOf(Objects.requireNonNull(headers, "headers"));
    Objects.requireNonNull(endpoint, "endpoint");
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status out of range: " + status);
    }
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
}
