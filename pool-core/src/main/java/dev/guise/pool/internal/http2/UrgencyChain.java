package dev.guise.pool.internal.http2;

import dev.guise.api.Header;
import java.util.Collection;
import java.util.List;

/**
 * Chromium's HEADERS dependency ({@code StreamDependency.URGENCY_CHAIN}): the connection's open
 * streams form one chain ordered by urgency, and a new stream goes in exclusively after the newest
 * open stream at the nearest urgency level at or above its own. Stateless; the caller holds the
 * session's state lock, so the set of open streams cannot change while it looks.
 */
final class UrgencyChain {
  /** RFC 9218's default urgency, for a request without a {@code priority} header (or {@code u}). */
  static final int DEFAULT_URGENCY = 3;

  private static final int LEAST_URGENT = 7;

  private UrgencyChain() {}

  /**
   * The urgency in the request's {@code priority} header (RFC 9218 {@code u=0..7}): the number the
   * browser derived both its header and its HEADERS dependency from, so a caller who overrides the
   * header moves the stream in the chain too.
   */
  static int urgency(List<Header> requestHeaders) {
    for (Header h : requestHeaders) {
      if (!h.is("priority")) {
        continue;
      }
      for (String member : h.value().split(",")) {
        String m = member.strip();
        if (m.length() == 3 && m.startsWith("u=")) {
          char c = m.charAt(2);
          if (c >= '0' && c <= '0' + LEAST_URGENT) {
            return c - '0';
          }
        }
      }
    }
    return DEFAULT_URGENCY;
  }

  /**
   * The stream a new stream of {@code urgency} depends on: among the open streams of urgency at or
   * above it (numerically at most), those of the least urgent such level, the newest (highest id);
   * 0 when there is none. A stream whose both sides ended (or that was reset) has left the chain
   * even if its exchange has not yet taken the response.
   */
  static int parent(Collection<Http2Stream> streams, int urgency) {
    int parent = 0;
    int parentUrgency = -1;
    for (Http2Stream s : streams) {
      if (s.id == 0 || s.state.isClosed() || s.urgency > urgency) {
        continue;
      }
      if (s.urgency > parentUrgency || (s.urgency == parentUrgency && s.id > parent)) {
        parent = s.id;
        parentUrgency = s.urgency;
      }
    }
    return parent;
  }
}
