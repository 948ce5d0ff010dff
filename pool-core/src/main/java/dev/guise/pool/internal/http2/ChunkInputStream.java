package dev.guise.pool.internal.http2;

import java.io.InputStream;
import java.util.Collection;
import java.util.Iterator;

/**
 * A complete raw body read in place from the DATA payloads that carried it: the decoder takes its
 * input straight from the arrays the frame reader made, where copying them into one array first
 * cost a copy of the body (and the growing buffer's copies). Not thread-safe: the exchange's caller
 * reads it once the response is complete, when nothing adds to the chunks any more.
 */
final class ChunkInputStream extends InputStream {
  private final Iterator<byte[]> rest;
  private byte[] current;
  private int offset;

  ChunkInputStream(Collection<byte[]> chunks) {
    this.rest = chunks.iterator();
  }

  @Override
  public int read() {
    if (!ready()) {
      return -1;
    }
    return current[offset++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (!ready()) {
      return -1;
    }
    int n = Math.min(len, current.length - offset);
    System.arraycopy(current, offset, b, off, n);
    offset += n;
    return n;
  }

  @Override
  public int available() {
    return current == null ? 0 : current.length - offset;
  }

  /** Whether a byte is left, moving to the next non-empty chunk when this one is used up. */
  private boolean ready() {
    while (current == null || offset == current.length) {
      if (!rest.hasNext()) {
        return false;
      }
      current = rest.next();
      offset = 0;
    }
    return true;
  }
}
