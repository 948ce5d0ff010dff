package dev.guise.testkit;

import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import java.util.List;

/**
 * One request's head as the client put it on the wire.
 *
 * @param protocol HTTP/1.1 or HTTP/2
 * @param streamId the HTTP/2 stream id, 0 for HTTP/1.1
 * @param requestLine the HTTP/1.1 request line, {@code ""} for HTTP/2
 * @param headers the header list in wire order (HTTP/2: pseudo-headers included; HTTP/1.1: names as
 *     spelled)
 */
public record RequestRecord(
    HttpProtocol protocol, int streamId, String requestLine, List<Header> headers) {
  public RequestRecord {
    headers = List.copyOf(headers);
  }
}
