package dev.guise.testing;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** What the relays among the test peers share: one direction's bytes, and a quiet close. */
final class SocketPipes {
  private SocketPipes() {}

  /**
   * Copies {@code from}'s bytes to {@code to} as they arrive until either side closes, then closes
   * both, so that the other direction's pump ends too.
   */
  static void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // a side closed: the other follows
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
