package dev.guise.codec.http1;

import dev.guise.api.Header;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes HTTP/1.1 response heads (server side, for the test server) exactly as given, like {@link
 * Http1RequestWriter}. Does not flush. Not thread-safe; one per connection.
 */
public final class Http1ResponseWriter {
  private final Http1HeadWriter head = new Http1HeadWriter();

  public void writeHead(OutputStream out, int status, String reason, List<Header> headers)
      throws IOException {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status must have three digits: " + status);
    }
    for (int i = 0; i < reason.length(); i++) {
      char c = reason.charAt(i);
      if (c == '\r' || c == '\n') {
        throw new IllegalArgumentException("reason phrase with CR or LF");
      }
    }
    head.write(out, "HTTP/1.1", Integer.toString(status), reason, headers, Http1FieldLines.NONE);
  }
}
