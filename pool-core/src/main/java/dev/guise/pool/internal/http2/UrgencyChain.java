package dev.guise.pool.internal.http2;

import dev.guise.api.Header;
import java.util.List;
import java.util.SequencedCollection;

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
      if (h.is("priority")) {
        int u = urgencyMember(h.value());
        if (u >= 0) {
          return u;
        }
      }
    }
    return DEFAULT_URGENCY;
  }

  /**
   * The {@code u=N} member of a priority value (comma-separated, each member stripped of white
   * space), or -1 when it has none in range. Read in place: this runs on every request.
   */
  private static int urgencyMember(String value) {
    int n = value.length();
    for (int start = 0; start <= n; ) {
      int end = value.indexOf(',', start);
      if (end < 0) {
        end = n;
      }
      int from = start;
      int to = end;
      while (from < to && Character.isWhitespace(value.charAt(from))) {
        from++;
      }
      while (to > from && Character.isWhitespace(value.charAt(to - 1))) {
        to--;
      }
      if (to - from == 3 && value.charAt(from) == 'u' && value.charAt(from + 1) == '=') {
        char c = value.charAt(from + 2);
        if (c >= '0' && c <= '0' + LEAST_URGENT) {
          return c - '0';
        }
      }
      start = end + 1;
    }
    return -1;
  }

  /**
   * The stream a new stream of {@code urgency} depends on: among the open streams of urgency at or
   * above it (numerically at most), those of the least urgent such level, the newest (highest id);
   * 0 when there is none. A stream whose both sides ended (or that was reset) has left the chain
   * even if its exchange has not yet taken the response.
   *
   * <p>Looks from the newest stream back and stops at the first open one of {@code urgency} itself,
   * which no older stream can beat: with a browser's few urgencies that is most often the newest.
   *
   * @param streams the connection's streams in the order they opened (ascending ids)
   */
  static int parent(SequencedCollection<Http2Stream> streams, int urgency) {
    int parent = 0;
    int parentUrgency = -1;
    for (Http2Stream s : streams.reversed()) {
      if (s.id == 0 || s.state.isClosed() || s.urgency > urgency) {
        continue;
      }
      if (s.urgency == urgency) {
        return s.id;
      }
      // Newest first: the first stream met at a level is that level's newest.
      if (s.urgency > parentUrgency) {
        parent = s.id;
        parentUrgency = s.urgency;
      }
    }
    return parent;
  }
}
