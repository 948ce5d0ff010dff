package dev.guise.codec.http1;

import dev.guise.api.Header;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a chunked body: each non-empty {@code write} becomes one chunk; {@link #finish(List)}
 * writes the last chunk and trailers. {@link #close()} finishes without trailers but does not close
 * the connection stream. Not thread-safe.
 */
public final class ChunkedOutputStream extends OutputStream {
  private final OutputStream out;
  private boolean finished;

  public ChunkedOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (finished) {
      throw new IOException("chunked body already finished");
    }
    if (len == 0) {
      return;
    }
    out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(b, off, len);
    out.write('\r');
    out.write('\n');
  }

  /** Writes the last chunk and the trailer fields. */
  public void finish(List<Header> trailers) throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    StringBuilder sb = new StringBuilder("0\r\n");
    for (Header h : trailers) {
      sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }
    sb.append("\r\n");
    out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    finish(List.of());
    out.flush();
  }
}
