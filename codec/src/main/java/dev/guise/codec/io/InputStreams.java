package dev.guise.codec.io;

import java.io.IOException;
import java.io.InputStream;

/** Helpers for the codec's and the pool's own input streams. */
public final class InputStreams {
  private InputStreams() {}

  /**
   * {@link InputStream#read()} in terms of {@code in}'s bulk read, for streams whose bulk read is
   * where their limits and framing live: one byte, or -1 at the end.
   */
  public static int readByte(InputStream in) throws IOException {
    byte[] one = new byte[1];
    return in.read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }
}
