package dev.guise.api;

import java.util.List;
import java.util.Objects;

/**
 * What a validator's request got back.
 *
 * @param status the status code
 * @param headers the response headers in wire order
 * @param body at most the requested number of body bytes
 * @param bodyTruncated whether the body was longer than that
 */
public record ProbeResponse(int status, List<Header> headers, byte[] body, boolean bodyTruncated) {
  public ProbeResponse {
    headers = List.copyOf(Objects.requireNonNull(headers, "headers"));
    body = Objects.requireNonNull(body, "body").clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
