package dev.guise.benchmarks.clients;

import dev.guise.codec.content.ContentDecoders;
import java.io.IOException;
import java.io.InputStream;

/**
 * The one content decoder every peer uses in the {@code Download} benchmark: Guise's own {@link
 * ContentDecoders} (java.util.zip's {@code GZIPInputStream} for gzip, org.brotli:dec for br), which
 * Guise's client runs on every response. The peers' own transparent decoding is switched off (or
 * never asked for), so every client does the same decoding work on the same bytes.
 */
final class Decoding {
  /** Far above the largest page; a client that decodes a bomb fails as Guise's would. */
  private static final long LIMIT = 64L << 20;

  private Decoding() {}

  /**
   * The decoded length of {@code raw}, which the server sent with {@code contentEncoding}.
   *
   * @throws IOException when the response carries no coding or another one than asked for (the
   *     client decoded it on its own, which would not be a fair comparison)
   */
  static int decodedLength(String contentEncoding, String expected, InputStream raw)
      throws IOException {
    if (!expected.equals(contentEncoding)) {
      throw new IOException(
          "the response came with Content-Encoding " + contentEncoding + ", not " + expected);
    }
    try (InputStream decoded = ContentDecoders.decode(contentEncoding, raw, LIMIT)) {
      return decoded.readAllBytes().length;
    }
  }
}
