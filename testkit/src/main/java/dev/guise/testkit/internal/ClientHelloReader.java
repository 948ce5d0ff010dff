package dev.guise.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;

/**
 * Reads the TLS record(s) carrying a ClientHello off a fresh connection, before the JDK's TLS
 * engine sees them, so the server can log the exact bytes. Reads exactly the records' lengths and
 * never past the last one: what it returns is replayed into the JDK engine unchanged.
 */
final class ClientHelloReader {
  private static final int CONTENT_TYPE_HANDSHAKE = 0x16;
  private static final int HANDSHAKE_CLIENT_HELLO = 1;

  /** TLS 1.2 allows 2^14 plus 2048 of expansion for a protected record; a plaintext one is less. */
  private static final int MAX_RECORD_LENGTH = 16384 + 2048;

  private ClientHelloReader() {}

  /**
   * The records up to the end of the ClientHello handshake message.
   *
   * @throws EOFException if the peer closed first
   * @throws ProtocolException if the bytes are not a TLS ClientHello or exceed {@code maxBytes}
   */
  static byte[] read(InputStream in, int maxBytes) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream(1024);
    ByteArrayOutputStream handshake = new ByteArrayOutputStream(1024);
    while (true) {
      byte[] header = readExactly(in, 5, raw.size() == 0);
      if (header == null) {
        throw new EOFException("connection closed before any byte was sent");
      }
      int type = header[0] & 0xff;
      if (type != CONTENT_TYPE_HANDSHAKE) {
        throw new ProtocolException(
            String.format("not a TLS handshake record: first byte 0x%02x", type));
      }
      int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
      if (length == 0 || length > MAX_RECORD_LENGTH) {
        throw new ProtocolException("TLS record length out of range: " + length);
      }
      if (raw.size() + 5 + length > maxBytes) {
        throw new ProtocolException("ClientHello larger than " + maxBytes + " bytes");
      }
      byte[] body = readExactly(in, length, false);
      raw.write(header);
      raw.write(body);
      handshake.write(body);
      byte[] hs = handshake.toByteArray();
      if (hs.length >= 4) {
        if ((hs[0] & 0xff) != HANDSHAKE_CLIENT_HELLO) {
          throw new ProtocolException("first handshake message is not a ClientHello: " + hs[0]);
        }
        int messageLength = ((hs[1] & 0xff) << 16) | ((hs[2] & 0xff) << 8) | (hs[3] & 0xff);
        if (4 + messageLength > maxBytes) {
          throw new ProtocolException("ClientHello larger than " + maxBytes + " bytes");
        }
        if (hs.length >= 4 + messageLength) {
          return raw.toByteArray();
        }
      }
    }
  }

  /** {@code n} bytes, or null when EOF comes first and {@code eofAllowed}. */
  private static byte[] readExactly(InputStream in, int n, boolean eofAllowed) throws IOException {
    byte[] out = new byte[n];
    int got = 0;
    while (got < n) {
      int r = in.read(out, got, n - got);
      if (r < 0) {
        if (got == 0 && eofAllowed) {
          return null;
        }
        throw new EOFException("connection closed inside a TLS record");
      }
      got += r;
    }
    return out;
  }
}
