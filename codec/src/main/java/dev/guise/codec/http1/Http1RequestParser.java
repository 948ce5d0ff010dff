package dev.guise.codec.http1;

import dev.guise.api.Header;
import dev.guise.codec.CodecException;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Parses HTTP/1.1 request heads (server side, for the test server). Request bodies are framed by
 * Content-Length or chunked; a request with both, or with a Transfer-Encoding not ending in
 * chunked, is PROTOCOL_ERROR (RFC 9112 section 6.3: the request smuggling cases). Stateless and
 * thread-safe.
 */
public final class Http1RequestParser {
  private final Http1Limits limits;

  public Http1RequestParser(Http1Limits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Reads one request head.
   *
   * @return the head, or {@code null} if the connection was closed before any byte of it
   */
  public Http1Request parse(Http1Input in) throws IOException {
    String line = in.readLine(limits.maxLineLength(), "request line");
    if (line == null) {
      return null;
    }
    int sp1 = line.indexOf(' ');
    int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 <= sp1 + 1 || line.indexOf(' ', sp2 + 1) >= 0) {
      throw CodecException.protocolError(
          "HTTP/1.1: malformed request line: " + Http1Heads.abbreviate(line));
    }
    String method = line.substring(0, sp1);
    for (int i = 0; i < method.length(); i++) {
      if (!Http1Heads.isTokenChar(method.charAt(i))) {
        throw CodecException.protocolError(
            "HTTP/1.1: invalid method: " + Http1Heads.abbreviate(method));
      }
    }
    String target = line.substring(sp1 + 1, sp2);
    String version = line.substring(sp2 + 1);
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      throw CodecException.protocolError(
          "HTTP/1.1: unsupported version " + Http1Heads.abbreviate(version));
    }
    List<Header> headers =
        Http1Heads.readFields(
            in, limits.maxLineLength(), limits.maxHeaderBytes(), "header section");
    Boolean chunked = Http1Heads.chunkedLast(headers);
    long declared = Http1Heads.contentLength(headers);
    if (chunked != null) {
      if (!chunked) {
        throw CodecException.protocolError(
            "HTTP/1.1: request Transfer-Encoding does not end with chunked");
      }
      if (declared >= 0) {
        throw CodecException.protocolError(
            "HTTP/1.1: request with both Transfer-Encoding and Content-Length");
      }
      return new Http1Request(method, target, version, headers, Http1BodyFraming.CHUNKED, -1);
    }
    if (declared >= 0) {
      return new Http1Request(
          method, target, version, headers, Http1BodyFraming.CONTENT_LENGTH, declared);
    }
    return new Http1Request(method, target, version, headers, Http1BodyFraming.NONE, -1);
  }
}
