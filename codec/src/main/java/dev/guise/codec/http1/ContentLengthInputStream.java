package dev.guise.codec.http1;

import dev.guise.codec.io.InputStreams;
import java.io.IOException;
import java.io.InputStream;

/**
 * A body of exactly {@code length} bytes. Ends at the declared length even if the peer sent more;
 * those extra bytes stay in the {@link Http1Input} where {@link Http1Input#checkIdle()} and the
 * next response parse find them. A connection closed early is CONNECTION_CLOSED. Closing the stream
 * does not close the connection.
 */
public final class ContentLengthInputStream extends InputStream {
  private final Http1Input in;
  private long remaining;

  public ContentLengthInputStream(Http1Input in, long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length < 0");
    }
    this.in = in;
    this.remaining = length;
  }

  /** Whether the whole declared body has been read. */
  public boolean complete() {
    return remaining == 0;
  }

  @Override
  public int read() throws IOException {
    return InputStreams.readByte(this);
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (remaining == 0) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    int n = in.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw Http1Input.closed("connection closed with " + remaining + " body bytes still to come");
    }
    remaining -= n;
    return n;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(remaining, in.buffered());
  }
}
