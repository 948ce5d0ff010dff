package dev.guise.codec.http1;

import dev.guise.api.Header;
import dev.guise.codec.io.BufferPool;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Builds a message head in one array and writes it with one call. The array is borrowed from the
 * {@link BufferPool} for the write only, so a connection between messages holds none.
 */
final class Http1HeadWriter {
  private byte[] buf;
  private int pos;

  /** Writes the start line {@code a b c} and the fields, then gives the buffer back. */
  void write(OutputStream out, String a, String b, String c, List<Header> headers)
      throws IOException {
    try {
      startLine(a, b, c).fields(headers).writeTo(out);
    } finally {
      byte[] used = buf;
      buf = null;
      BufferPool.release(used);
    }
  }

  private Http1HeadWriter startLine(String a, String b, String c) {
    if (buf == null) {
      buf = BufferPool.acquire();
    }
    pos = 0;
    ascii(a);
    put(' ');
    ascii(b);
    put(' ');
    ascii(c);
    crlf();
    return this;
  }

  private Http1HeadWriter fields(List<Header> headers) {
    for (int i = 0, n = headers.size(); i < n; i++) {
      Header h = headers.get(i);
      ascii(h.name());
      put(':');
      put(' ');
      ascii(h.value());
      crlf();
    }
    crlf();
    return this;
  }

  private void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, pos);
  }

  private void crlf() {
    put('\r');
    put('\n');
  }

  private void put(char c) {
    if (pos == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    buf[pos++] = (byte) c;
  }

  private void ascii(String s) {
    int n = s.length();
    if (pos + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n + 64));
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c > 0xff) {
        throw new IllegalArgumentException("HTTP/1.1 head text must be octets: " + s);
      }
      buf[pos++] = (byte) c;
    }
  }
}
