package dev.guise.pool.internal.http.h2;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Outgoing HTTP/2 frames (RFC 9113 section 4.1) gathered into one buffer so that what belongs
 * together (a request's HEADERS, CONTINUATIONs and Firefox's stream WINDOW_UPDATE; the preface)
 * leaves in one TLS write.
 *
 * <p>The smallest writer the client needs until codec exports {@code dev.guise.codec.http2}. Not
 * thread-safe: the connection uses it only under its write lock.
 */
final class FrameBuffer {
  static final int DATA = 0x0;
  static final int HEADERS = 0x1;
  static final int PRIORITY = 0x2;
  static final int RST_STREAM = 0x3;
  static final int SETTINGS = 0x4;
  static final int PUSH_PROMISE = 0x5;
  static final int PING = 0x6;
  static final int GOAWAY = 0x7;
  static final int WINDOW_UPDATE = 0x8;
  static final int CONTINUATION = 0x9;

  static final int FLAG_END_STREAM = 0x1;
  static final int FLAG_ACK = 0x1;
  static final int FLAG_END_HEADERS = 0x4;
  static final int FLAG_PADDED = 0x8;
  static final int FLAG_PRIORITY = 0x20;

  private byte[] buf = new byte[16 * 1024 + 64];
  private int len;

  boolean isEmpty() {
    return len == 0;
  }

  void clear() {
    len = 0;
  }

  /** Sends what was gathered and empties the buffer (also when the write fails). */
  void writeTo(OutputStream out) throws IOException {
    try {
      out.write(buf, 0, len);
      out.flush();
    } finally {
      len = 0;
    }
  }

  void raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, len, bytes.length);
    len += bytes.length;
  }

  void header(int length, int type, int flags, int streamId) {
    ensure(9 + length);
    buf[len++] = (byte) (length >>> 16);
    buf[len++] = (byte) (length >>> 8);
    buf[len++] = (byte) length;
    buf[len++] = (byte) type;
    buf[len++] = (byte) flags;
    int32(streamId & 0x7fffffff);
  }

  void int32(int v) {
    ensure(4);
    buf[len++] = (byte) (v >>> 24);
    buf[len++] = (byte) (v >>> 16);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
  }

  void int16(int v) {
    ensure(2);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
  }

  void bytes(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
  }

  void byte1(int b) {
    ensure(1);
    buf[len++] = (byte) b;
  }

  void windowUpdate(int streamId, long increment) {
    header(4, WINDOW_UPDATE, 0, streamId);
    int32((int) increment);
  }

  void rstStream(int streamId, int errorCode) {
    header(4, RST_STREAM, 0, streamId);
    int32(errorCode);
  }

  void goAway(int lastStreamId, int errorCode) {
    header(8, GOAWAY, 0, 0);
    int32(lastStreamId);
    int32(errorCode);
  }

  void ping(boolean ack, byte[] payload) {
    header(8, PING, ack ? FLAG_ACK : 0, 0);
    bytes(payload, 0, 8);
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }
}
