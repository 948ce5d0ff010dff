package dev.guise.codec.http1;

/**
 * Size limits for HTTP/1.1 message heads and chunked framing.
 *
 * @param maxLineLength the longest start line or header line, CRLF excluded
 * @param maxHeaderBytes the largest header section (all lines together)
 * @param maxChunkLineLength the longest chunk-size line (size and extensions)
 * @param maxTrailerBytes the largest trailer section
 */
public record Http1Limits(
    int maxLineLength, int maxHeaderBytes, int maxChunkLineLength, int maxTrailerBytes) {
  /** 8 KiB lines, 64 KiB of headers, 1 KiB chunk lines, 16 KiB of trailers. */
  public static final Http1Limits DEFAULT = new Http1Limits(8192, 65536, 1024, 16384);

  public Http1Limits {
    if (maxLineLength < 16
        || maxHeaderBytes < maxLineLength
        || maxChunkLineLength < 3
        || maxTrailerBytes < 0) {
      throw new IllegalArgumentException("implausible HTTP/1.1 limits");
    }
  }
}
