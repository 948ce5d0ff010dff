package dev.guise.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reading TLS records off a socket, for tests that look at what a client sends first. */
public final class TlsRecords {
  /** The largest plaintext record (2^14) plus the most expansion RFC 8446 allows a record. */
  private static final int MAX_RECORD = 16384 + 2048;

  /** A ClientHello spread over records longer than this is a broken peer, not a big hello. */
  private static final int MAX_HELLO = 1 << 17;

  private TlsRecords() {}

  /**
   * Reads handshake records until they hold one whole handshake message (a client's first message,
   * its ClientHello), and returns those records' bytes, headers included. A hello may span several
   * records (a post-quantum key share makes it larger than one), so this reads on until the
   * handshake message's own length is covered.
   */
  public static byte[] readClientHelloRecords(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    ByteArrayOutputStream records = new ByteArrayOutputStream();
    ByteArrayOutputStream handshake = new ByteArrayOutputStream();
    while (handshake.size() < 4 || handshake.size() < 4 + messageLength(handshake.toByteArray())) {
      byte[] header = new byte[5];
      in.readFully(header);
      if (header[0] != 0x16) {
        throw new IOException("not a handshake record: " + header[0]);
      }
      int length = (header[3] & 0xff) << 8 | header[4] & 0xff;
      if (length > MAX_RECORD || records.size() > MAX_HELLO) {
        throw new IOException("record too long");
      }
      byte[] body = new byte[length];
      in.readFully(body);
      records.write(header);
      records.write(body);
      handshake.write(body);
    }
    return records.toByteArray();
  }

  private static int messageLength(byte[] handshake) {
    return (handshake[1] & 0xff) << 16 | (handshake[2] & 0xff) << 8 | handshake[3] & 0xff;
  }
}
