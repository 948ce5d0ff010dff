package dev.guise.codec.http1;

import java.io.IOException;
import java.io.InputStream;

/** A body that ends when the peer closes the connection, which then cannot be reused. */
public final class CloseDelimitedInputStream extends InputStream {
  private final Http1Input in;

  public CloseDelimitedInputStream(Http1Input in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    return in.read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return in.read(b, off, len);
  }
}
