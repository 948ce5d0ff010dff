package dev.guise.codec.http1;

import dev.guise.api.Header;
import dev.guise.api.PoolAction;
import dev.guise.codec.CodecException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Field-section parsing and framing decisions shared by the request and response parsers. */
final class Http1Heads {
  private Http1Heads() {}

  /**
   * Reads field lines up to the empty line. Obsolete line folding (a line starting with SP or HTAB)
   * is rejected (RFC 9112 section 5.2 allows it; we do not, it is a smuggling vector).
   */
  static List<Header> readFields(Http1Input in, int maxLine, int maxBytes, String what)
      throws IOException {
    List<Header> fields = new ArrayList<>(16);
    long total = 0;
    while (true) {
      String line = in.readLine(maxLine, what + " line");
      if (line == null) {
        throw Http1Input.closed("connection closed inside the " + what);
      }
      if (line.isEmpty()) {
        return fields;
      }
      total += line.length() + 2;
      if (total > maxBytes) {
        throw CodecException.tooLarge(
            "HTTP/1.1 " + what + " larger than " + maxBytes + " bytes",
            PoolAction.DISCARD_CONNECTION);
      }
      char first = line.charAt(0);
      if (first == ' ' || first == '\t') {
        throw CodecException.protocolError("HTTP/1.1: obsolete line folding in the " + what);
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw CodecException.protocolError(
            "HTTP/1.1: field line without a name and colon: " + abbreviate(line));
      }
      String name = line.substring(0, colon);
      for (int i = 0; i < name.length(); i++) {
        if (!isTokenChar(name.charAt(i))) {
          throw CodecException.protocolError("HTTP/1.1: invalid field name: " + abbreviate(name));
        }
      }
      int start = colon + 1;
      int end = line.length();
      while (start < end && isOws(line.charAt(start))) {
        start++;
      }
      while (end > start && isOws(line.charAt(end - 1))) {
        end--;
      }
      try {
        fields.add(new Header(name, line.substring(start, end)));
      } catch (IllegalArgumentException e) {
        throw CodecException.protocolError("HTTP/1.1: invalid field: " + e.getMessage(), e);
      }
    }
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  static boolean isTokenChar(char c) {
    if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
      return true;
    }
    return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  /** Whether the last transfer coding is chunked; null when there is no Transfer-Encoding. */
  static Boolean chunkedLast(List<Header> headers) throws CodecException {
    String last = null;
    for (Header h : headers) {
      if (h.is("transfer-encoding")) {
        for (String coding : h.value().split(",")) {
          String c = coding.trim();
          if (!c.isEmpty()) {
            last = c;
          }
        }
        if (last == null) {
          throw CodecException.protocolError("HTTP/1.1: empty Transfer-Encoding");
        }
      }
    }
    return last == null ? null : last.equalsIgnoreCase("chunked");
  }

  /**
   * The Content-Length, -1 when absent. Repeated fields or list values must all agree (RFC 9110
   * section 8.6); anything else is PROTOCOL_ERROR.
   */
  static long contentLength(List<Header> headers) throws CodecException {
    long length = -1;
    for (Header h : headers) {
      if (h.is("content-length")) {
        for (String part : h.value().split(",", -1)) {
          long v = parseLength(part.trim());
          if (length >= 0 && v != length) {
            throw CodecException.protocolError("HTTP/1.1: conflicting Content-Length values");
          }
          length = v;
        }
      }
    }
    return length;
  }

  private static long parseLength(String s) throws CodecException {
    if (s.isEmpty() || s.length() > 18) {
      throw CodecException.protocolError("HTTP/1.1: invalid Content-Length: " + abbreviate(s));
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw CodecException.protocolError("HTTP/1.1: invalid Content-Length: " + abbreviate(s));
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
