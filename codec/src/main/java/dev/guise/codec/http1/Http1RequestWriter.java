package dev.guise.codec.http1;

import dev.guise.api.Header;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes HTTP/1.1 request heads exactly as given: header names keep their case and the list its
 * order (both are part of a client's fingerprint); nothing is added, removed or reordered (the
 * caller supplies Host, Content-Length or Transfer-Encoding). The body follows through the stream
 * itself or a {@link ChunkedOutputStream}. Does not flush.
 *
 * <p>Not thread-safe (it reuses a buffer); one per connection.
 */
public final class Http1RequestWriter {
  private final Http1HeadWriter head = new Http1HeadWriter();

  /**
   * @throws IllegalArgumentException for a method that is not a token or a target with white space
   *     or control characters
   */
  public void writeHead(OutputStream out, String method, String target, List<Header> headers)
      throws IOException {
    writeHead(out, method, target, headers, Http1FieldLines.NONE);
  }

  /**
   * As {@link #writeHead(OutputStream, String, String, List)}, copying the line of each header that
   * {@code known} has encoded already (the same octets either way).
   */
  public void writeHead(
      OutputStream out, String method, String target, List<Header> headers, Http1FieldLines known)
      throws IOException {
    if (method.isEmpty()) {
      throw new IllegalArgumentException("empty method");
    }
    for (int i = 0; i < method.length(); i++) {
      if (!Http1Heads.isTokenChar(method.charAt(i))) {
        throw new IllegalArgumentException("invalid method: " + method);
      }
    }
    if (target.isEmpty()) {
      throw new IllegalArgumentException("empty request target");
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        throw new IllegalArgumentException("invalid character in request target: " + target);
      }
    }
    head.write(out, method, target, "HTTP/1.1", headers, known);
  }
}
