package dev.guise.codec.http1;

import dev.guise.api.Header;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/** Builds a message head in one array and writes it with one call. */
final class Http1HeadWriter {
  private byte[] buf = new byte[1024];
  private int pos;

  Http1HeadWriter startLine(String a, String b, String c) {
    pos = 0;
    ascii(a);
    put(' ');
    ascii(b);
    put(' ');
    ascii(c);
    crlf();
    return this;
  }

  Http1HeadWriter fields(List<Header> headers) {
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

  void writeTo(OutputStream out) throws IOException {
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
