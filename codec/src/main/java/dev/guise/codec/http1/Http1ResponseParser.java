package dev.guise.codec.http1;

import dev.guise.api.Header;
import dev.guise.codec.CodecException;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Parses HTTP/1.1 response heads (client side) and decides how the body is framed (RFC 9112 section
 * 6.3): no body for HEAD, 1xx, 204 and 304; chunked when Transfer-Encoding ends with chunked
 * (Transfer-Encoding overrides Content-Length, and then the connection is not kept);
 * Content-Length; otherwise until close.
 *
 * <p>Bytes that do not start with {@code HTTP/} where a response should begin are PROTOCOL_ERROR:
 * on a kept-alive connection that is how an earlier body longer than its Content-Length shows up.
 * Stateless and thread-safe; blocking reads happen on the given {@link Http1Input}.
 */
public final class Http1ResponseParser {
  private final Http1Limits limits;

  public Http1ResponseParser(Http1Limits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Reads one response head.
   *
   * @param requestMethod the method of the request this answers (HEAD responses have no body)
   * @return the head, or {@code null} if the connection was closed before any byte of it
   */
  public Http1Response parse(Http1Input in, String requestMethod) throws IOException {
    String statusLine = in.readLine(limits.maxLineLength(), "status line");
    if (statusLine == null) {
      return null;
    }
    if (!statusLine.startsWith("HTTP/1.")) {
      throw CodecException.protocolError(
          "HTTP/1.1: expected a status line, got "
              + Http1Heads.abbreviate(statusLine)
              + " (a previous body longer than declared?)");
    }
    // HTTP-version SP 3DIGIT SP [reason]
    if (statusLine.length() < 12
        || statusLine.charAt(8) != ' '
        || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
      throw CodecException.protocolError(
          "HTTP/1.1: malformed status line: " + Http1Heads.abbreviate(statusLine));
    }
    String version = statusLine.substring(0, 8);
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      throw CodecException.protocolError("HTTP/1.1: unsupported version " + version);
    }
    int status = 0;
    for (int i = 9; i < 12; i++) {
      char c = statusLine.charAt(i);
      if (c < '0' || c > '9') {
        throw CodecException.protocolError(
            "HTTP/1.1: malformed status code: " + Http1Heads.abbreviate(statusLine));
      }
      status = status * 10 + (c - '0');
    }
    if (status < 100) {
      throw CodecException.protocolError("HTTP/1.1: status code " + status);
    }
    String reason = statusLine.length() > 13 ? statusLine.substring(13) : "";
    List<Header> headers =
        Http1Heads.readFields(
            in, limits.maxLineLength(), limits.maxHeaderBytes(), "header section");

    boolean keepAlive = keepAlive(version, headers);
    Http1BodyFraming framing;
    long contentLength = -1;
    Boolean chunked = Http1Heads.chunkedLast(headers);
    long declared = Http1Heads.contentLength(headers);
    if ("HEAD".equals(requestMethod) || status < 200 || status == 204 || status == 304) {
      framing = Http1BodyFraming.NONE;
    } else if (chunked != null) {
      framing = chunked ? Http1BodyFraming.CHUNKED : Http1BodyFraming.CLOSE_DELIMITED;
      if (!chunked || declared >= 0) {
        keepAlive = false;
      }
    } else if (declared >= 0) {
      framing = Http1BodyFraming.CONTENT_LENGTH;
      contentLength = declared;
    } else {
      framing = Http1BodyFraming.CLOSE_DELIMITED;
      keepAlive = false;
    }
    return new Http1Response(version, status, reason, headers, framing, contentLength, keepAlive);
  }

  private static boolean keepAlive(String version, List<Header> headers) {
    boolean close = false;
    boolean keepAlive = false;
    for (Header h : headers) {
      if (h.is("connection")) {
        for (String option : h.value().split(",")) {
          String o = option.trim();
          close |= o.equalsIgnoreCase("close");
          keepAlive |= o.equalsIgnoreCase("keep-alive");
        }
      }
    }
    return !close && (version.equals("HTTP/1.1") || keepAlive);
  }
}
