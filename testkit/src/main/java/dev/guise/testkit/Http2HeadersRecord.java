package dev.guise.testkit;

import dev.guise.api.Header;
import dev.guise.fingerprint.AkamaiFingerprint;
import java.util.List;
import java.util.Optional;

/**
 * The client's first HTTP/2 HEADERS frame (with its CONTINUATIONs).
 *
 * @param streamId its stream
 * @param flags the HEADERS frame's flags byte
 * @param priority the priority it carried (PRIORITY flag), if any
 * @param headers the decoded header list in wire order
 */
public record Http2HeadersRecord(
    int streamId, int flags, Optional<AkamaiFingerprint.Priority> priority, List<Header> headers) {
  public Http2HeadersRecord {
    headers = List.copyOf(headers);
  }
}
