package dev.guise.pool.internal.http2;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsEndpoint;
import dev.guise.codec.http2.Http2ErrorCode;
import dev.guise.fingerprint.Http2Behaviour;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import dev.guise.pool.internal.exchange.HttpFailures;
import dev.guise.pool.internal.exchange.RequestTemplate;
import dev.guise.pool.internal.exchange.ResponseBodies;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Between messages and header lists: a request becomes the header list the browser would send
 * (pseudo-headers in its order, then its header template), and the server's header blocks and body
 * become a response, checked against RFC 9113 section 8. Stateless.
 */
final class Http2Messages {
  /**
   * Interim (1xx) responses tolerated on one stream before the final one, as over HTTP/1.1: a
   * server sending them without end would otherwise hold the stream (and the reader) until the
   * request's deadline, each HEADERS frame counting as progress.
   */
  static final int MAX_INTERIM = 16;

  private Http2Messages() {}

  /** A final response's status and regular header fields. */
  record ResponseHead(int status, List<Header> headers) {}

  /**
   * The request's header list in the template's order.
   *
   * @throws IllegalArgumentException a header the request cannot carry (outside ISO-8859-1)
   */
  static List<Header> requestHeaders(RequestTemplate template, HttpRequest request, byte[] body) {
    List<Header> caller = template.callerHeaders(request);
    if (body != null && caller.stream().noneMatch(h -> h.is("content-length"))) {
      caller.add(new Header("content-length", Integer.toString(body.length)));
    }
    List<Header> merged =
        splitCookies(template.requestHeaders(request.kind(), request.redirectHop(), caller));
    Http2Behaviour wire = template.http2();
    List<Header> list = new ArrayList<>(merged.size() + 4);
    for (String pseudo : wire.pseudoHeaderOrder()) {
      switch (pseudo) {
        case ":method" -> list.add(new Header(":method", request.method()));
        case ":authority" -> list.add(new Header(":authority", authority(request)));
        case ":scheme" -> list.add(new Header(":scheme", "https"));
        case ":path" -> list.add(new Header(":path", request.pathAndQuery()));
        default -> throw new IllegalStateException("unknown pseudo-header in profile: " + pseudo);
      }
    }
    list.addAll(merged);
    for (Header h : list) {
      // HPACK carries octets; a wider char would fail half-way through encoding and leave the
      // encoder's dynamic table out of step with the peer's.
      if (!isLatin1(h.name()) || !isLatin1(h.value())) {
        throw new IllegalArgumentException(
            "header " + h.name() + " has characters outside ISO-8859-1");
      }
    }
    return list;
  }

  /**
   * Sends each cookie of a {@code cookie} field as a field of its own, in order, as both browsers
   * do over HTTP/2 (RFC 9113 section 8.2.3 allows it): each pair is then indexed or never-indexed
   * on its own, which is what the captures show.
   */
  private static List<Header> splitCookies(List<Header> headers) {
    List<Header> out = null;
    for (int i = 0; i < headers.size(); i++) {
      Header h = headers.get(i);
      if (h.name().equals("cookie") && h.value().contains("; ")) {
        if (out == null) {
          out = new ArrayList<>(headers.subList(0, i));
        }
        for (String crumb : h.value().split("; ")) {
          if (!crumb.isEmpty()) {
            out.add(new Header("cookie", crumb));
          }
        }
      } else if (out != null) {
        out.add(h);
      }
    }
    return out == null ? headers : out;
  }

  private static boolean isLatin1(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0xff) {
        return false;
      }
    }
    return true;
  }

  private static String authority(HttpRequest request) {
    String host = request.host();
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return request.port() == 443 ? h : h + ":" + request.port();
  }

  /** The size of a header list as SETTINGS_MAX_HEADER_LIST_SIZE counts it (RFC 9113 6.5.2). */
  static long listSize(List<Header> fields) {
    long size = 0;
    for (Header h : fields) {
      size += h.name().length() + h.value().length() + 32;
    }
    return size;
  }

  /**
   * A response header block: the final head, or null for an interim (1xx) response, after which the
   * final one follows.
   */
  static ResponseHead responseHead(int streamId, List<Header> fields, boolean endStream)
      throws Http2ConnectionError {
    int status = -1;
    List<Header> regular = new ArrayList<>(fields.size());
    for (Header h : fields) {
      if (h.name().startsWith(":")) {
        if (!regular.isEmpty() || !h.name().equals(":status") || status != -1) {
          throw new Http2ConnectionError(
              Http2ErrorCode.PROTOCOL_ERROR,
              "malformed response pseudo-header " + h.name() + " on stream " + streamId);
        }
        String v = h.value();
        if (v.length() != 3
            || !Character.isDigit(v.charAt(0))
            || !Character.isDigit(v.charAt(1))
            || !Character.isDigit(v.charAt(2))) {
          throw new Http2ConnectionError(Http2ErrorCode.PROTOCOL_ERROR, "malformed :status " + v);
        }
        status = Integer.parseInt(v);
      } else {
        regular.add(h);
      }
    }
    if (status < 100) {
      throw new Http2ConnectionError(
          Http2ErrorCode.PROTOCOL_ERROR, "response without :status on stream " + streamId);
    }
    if (status < 200) {
      if (status == 101 || endStream) {
        throw new Http2ConnectionError(
            Http2ErrorCode.PROTOCOL_ERROR,
            "informational response " + status + " ends stream " + streamId);
      }
      return null;
    }
    return new ResponseHead(status, List.copyOf(regular));
  }

  /** Trailers end the stream and carry no pseudo-headers (RFC 9113 section 8.1). */
  static void checkTrailers(int streamId, List<Header> fields, boolean endStream)
      throws Http2ConnectionError {
    if (!endStream) {
      throw new Http2ConnectionError(
          Http2ErrorCode.PROTOCOL_ERROR, "trailers without END_STREAM on stream " + streamId);
    }
    for (Header h : fields) {
      if (h.name().startsWith(":")) {
        throw new Http2ConnectionError(
            Http2ErrorCode.PROTOCOL_ERROR, "pseudo-header in trailers: " + h.name());
      }
    }
  }

  /** A complete body must have the length content-length declared (RFC 9113 section 8.1.1). */
  static void checkContentLength(Http2Stream s) throws Http2ConnectionError {
    if (s.head || s.status == 204 || s.status == 304) {
      return;
    }
    for (Header h : s.headers) {
      if (h.is("content-length")) {
        long declared;
        try {
          declared = Long.parseLong(h.value().trim());
        } catch (NumberFormatException e) {
          throw new Http2ConnectionError(
              Http2ErrorCode.PROTOCOL_ERROR, "malformed content-length: " + h.value());
        }
        if (declared != s.received) {
          throw new Http2ConnectionError(
              Http2ErrorCode.PROTOCOL_ERROR,
              "stream "
                  + s.id
                  + " carried "
                  + s.received
                  + " body bytes but content-length said "
                  + declared);
        }
        return;
      }
    }
  }

  /**
   * The decoded body. The whole raw body is already here, so a body over the limit leaves the
   * connection in step: the failure keeps it. The decoder reads the DATA payloads in place.
   */
  static byte[] decodeBody(Http2Stream stream, ExchangeLimits limits, TlsEndpoint endpoint)
      throws IOException {
    String coding = ResponseBodies.contentEncoding(stream.headers);
    ArrayDeque<byte[]> chunks = stream.bodyChunks();
    if (ResponseBodies.isIdentity(coding) && stream.buffered <= limits.maxBodyBytes()) {
      return joined(chunks, (int) stream.buffered);
    }
    try {
      return ResponseBodies.read(
          coding,
          new ChunkInputStream(chunks),
          limits.maxBodyBytes(),
          limits.truncateBody(),
          stream.truncated,
          stream.truncated ? -1 : ResponseBodies.gzipSize(coding, chunks, stream.buffered));
    } catch (ClassifiedIOException e) {
      if (e.kind() == FailureKind.RESPONSE_TOO_LARGE) {
        throw HttpFailures.tooLarge(
            "response body of stream "
                + stream.id
                + " from "
                + endpoint
                + " exceeds the limit of "
                + limits.maxBodyBytes()
                + " bytes",
            PoolAction.KEEP);
      }
      throw e;
    }
  }

  /** The chunks as one array: the only chunk itself, else one copy of them all. */
  private static byte[] joined(Collection<byte[]> chunks, int size) {
    if (chunks.size() == 1) {
      return chunks.iterator().next();
    }
    byte[] out = new byte[size];
    int off = 0;
    for (byte[] c : chunks) {
      System.arraycopy(c, 0, out, off, c.length);
      off += c.length;
    }
    return out;
  }
}
