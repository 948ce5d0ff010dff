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

  /**
   * Writes the start line {@code a b c} and the fields, then gives the buffer back. A field that
   * {@code known} has a line for is copied from it.
   */
  void write(
      OutputStream out, String a, String b, String c, List<Header> headers, Http1FieldLines known)
      throws IOException {
    try {
      startLine(a, b, c).fields(headers, known).writeTo(out);
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

  private Http1HeadWriter fields(List<Header> headers, Http1FieldLines known) {
    for (int i = 0, n = headers.size(); i < n; i++) {
      Header h = headers.get(i);
      byte[] line = known.line(h);
      if (line != null) {
        octets(line);
      } else {
        field(h);
      }
    }
    crlf();
    return this;
  }

  private void field(Header h) {
    ascii(h.name());
    put(':');
    put(' ');
    ascii(h.value());
    crlf();
  }

  /**
   * One field's line, as {@link #write} would put it in a head, in an array of its own (for {@link
   * Http1FieldLines}).
   *
   * @throws IllegalArgumentException when the name or value is not octets
   */
  byte[] fieldLine(Header h) {
    byte[] line = new byte[h.name().length() + h.value().length() + 4]; // name ": " value CRLF
    buf = line;
    pos = 0;
    try {
      field(h);
      return line;
    } finally {
      buf = null;
    }
  }

  private void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, pos);
  }

  private void crlf() {
    put('\r');
    put('\n');
  }

  /** Grows the buffer, when needed, to take {@code n} more bytes. */
  private void room(int n) {
    if (pos + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n + 64));
    }
  }

  private void put(char c) {
    room(1);
    buf[pos++] = (byte) c;
  }

  private void octets(byte[] line) {
    room(line.length);
    System.arraycopy(line, 0, buf, pos, line.length);
    pos += line.length;
  }

  private void ascii(String s) {
    int n = s.length();
    room(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c > 0xff) {
        throw new IllegalArgumentException("HTTP/1.1 head text must be octets: " + s);
      }
      buf[pos++] = (byte) c;
    }
  }
}
