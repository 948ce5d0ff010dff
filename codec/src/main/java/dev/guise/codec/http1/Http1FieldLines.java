package dev.guise.codec.http1;

import dev.guise.api.Header;
import java.util.Collection;
import java.util.IdentityHashMap;

/**
 * Field lines encoded once ({@code name: value} and CRLF, as the octets a request head carries) for
 * headers that reach the writer again and again as the very same instances: a browser profile's own
 * defaults, which make up most of every request's head. The writer copies such a line whole instead
 * of encoding it a character at a time (at 64 HTTP/1.1 callers, encoding the fields was about a
 * tenth of the client's CPU samples, with Chrome's 15 headers).
 *
 * <p>Looked up by identity, never by value: a header equal to a known one but made elsewhere (a
 * caller's) is encoded as usual, so what is known here can never stand in for anything else. A
 * header whose text is not octets is left out, so it fails when a request carries it, as it would
 * without this. Immutable; one is shared by every connection of a profile.
 */
public final class Http1FieldLines {
  /** Knows no header: every line is encoded as it is written. */
  public static final Http1FieldLines NONE = new Http1FieldLines(new IdentityHashMap<>());

  /** Never changed after the constructor. */
  private final IdentityHashMap<Header, byte[]> lines;

  private Http1FieldLines(IdentityHashMap<Header, byte[]> lines) {
    this.lines = lines;
  }

  /** The lines of {@code headers}, each encoded now. */
  public static Http1FieldLines of(Collection<Header> headers) {
    IdentityHashMap<Header, byte[]> lines = new IdentityHashMap<>();
    Http1HeadWriter encoder = new Http1HeadWriter();
    for (Header h : headers) {
      try {
        lines.put(h, encoder.fieldLine(h));
      } catch (IllegalArgumentException notOctets) {
        // left to fail where a request carries it
      }
    }
    return new Http1FieldLines(lines);
  }

  /** The encoded line of this very instance, or null when it is not one of the known headers. */
  byte[] line(Header h) {
    return lines.get(h);
  }

  /** How many headers are known (for tests). */
  int size() {
    return lines.size();
  }
}
