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
 * @param hpack HTTP/2: each field's HPACK representation, in the notation of the session captures'
 *     {@code requests.md} ({@code indexed[s2]}, {@code indexed[d62]}, {@code inc(name=s1,val=H)},
 *     {@code noidx(name=s4,val=H)}, {@code never(name=s32,val=H)}, {@code inc(name=litH,val=raw)}),
 *     one per field of {@code headers}; empty for HTTP/1.1
 */
public record RequestRecord(
    HttpProtocol protocol,
    int streamId,
    String requestLine,
    List<Header> headers,
    List<String> hpack) {
  public RequestRecord {
    headers = List.copyOf(headers);
    hpack = List.copyOf(hpack);
  }

  /** A request without HPACK representations (HTTP/1.1). */
  public RequestRecord(
      HttpProtocol protocol, int streamId, String requestLine, List<Header> headers) {
    this(protocol, streamId, requestLine, headers, List.of());
  }
}
