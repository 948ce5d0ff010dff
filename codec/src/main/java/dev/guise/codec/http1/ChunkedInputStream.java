package dev.guise.codec.http1;

import dev.guise.api.Header;
import dev.guise.codec.CodecException;
import dev.guise.codec.io.InputStreams;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A {@code Transfer-Encoding: chunked} body (RFC 9112 section 7.1). Chunk extensions are ignored;
 * trailer fields are parsed and exposed by {@link #trailers()} once the body has been read to its
 * end. Chunk-size lines and the trailer section are bounded by {@link Http1Limits}; a malformed
 * size, a missing CRLF after chunk data or a size that overflows is PROTOCOL_ERROR, and a
 * connection closed inside the body is CONNECTION_CLOSED. Closing the stream does not close the
 * connection.
 */
public final class ChunkedInputStream extends InputStream {
  private final Http1Input in;
  private final Http1Limits limits;

  /** Bytes left in the current chunk; -1 before the first chunk and after each chunk's CRLF. */
  private long remaining = -1;

  private boolean done;
  private List<Header> trailers = List.of();

  public ChunkedInputStream(Http1Input in, Http1Limits limits) {
    this.in = in;
    this.limits = limits;
  }

  /** The trailer fields, in order; empty until the last chunk has been read. */
  public List<Header> trailers() {
    return trailers;
  }

  /** Whether the last chunk and the trailers have been read. */
  public boolean complete() {
    return done;
  }

  @Override
  public int read() throws IOException {
    return InputStreams.readByte(this);
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (done) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    if (remaining <= 0) {
      if (remaining == 0) {
        readChunkEnd();
      }
      remaining = readChunkSize();
      if (remaining == 0) {
        trailers =
            Http1Heads.readFields(
                in, limits.maxLineLength(), limits.maxTrailerBytes(), "trailer section");
        done = true;
        return -1;
      }
    }
    int n = in.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw Http1Input.closed("connection closed inside a chunk");
    }
    remaining -= n;
    return n;
  }

  private void readChunkEnd() throws IOException {
    String line;
    try {
      line = in.readLine(limits.maxChunkLineLength(), "chunk data terminator");
    } catch (CodecException e) {
      throw CodecException.protocolError("HTTP/1.1: chunk data longer than its size", e);
    }
    if (line == null) {
      throw Http1Input.closed("connection closed after chunk data");
    }
    if (!line.isEmpty()) {
      throw CodecException.protocolError("HTTP/1.1: chunk data not followed by CRLF");
    }
  }

  private long readChunkSize() throws IOException {
    String line;
    try {
      line = in.readLine(limits.maxChunkLineLength(), "chunk-size line");
    } catch (CodecException e) {
      throw CodecException.protocolError("HTTP/1.1: " + e.failure().message(), e);
    }
    if (line == null) {
      throw Http1Input.closed("connection closed before the next chunk");
    }
    long size = 0;
    int digits = 0;
    int i = 0;
    for (; i < line.length(); i++) {
      int d = Character.digit(line.charAt(i), 16);
      if (d < 0) {
        break;
      }
      if (++digits > 15) {
        throw CodecException.protocolError("HTTP/1.1: chunk size too large: " + line);
      }
      size = (size << 4) | d;
    }
    if (digits == 0) {
      throw CodecException.protocolError("HTTP/1.1: invalid chunk size line: " + line);
    }
    // Anything after the size must be white space and/or chunk extensions (";name=value"), ignored.
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    if (i < line.length() && line.charAt(i) != ';') {
      throw CodecException.protocolError("HTTP/1.1: invalid chunk size line: " + line);
    }
    return size;
  }
}
