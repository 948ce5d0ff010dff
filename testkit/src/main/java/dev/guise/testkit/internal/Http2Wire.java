package dev.guise.testkit.internal;

import java.io.IOException;
import java.io.OutputStream;

/**
 * HTTP/2 frame layout (RFC 9113 section 4) for the test server. A private stand-in until the codec
 * module's frame reader/writer is available; kept to the few operations the server needs.
 */
final class Http2Wire {
  static final int DATA = 0;
  static final int HEADERS = 1;
  static final int PRIORITY = 2;
  static final int RST_STREAM = 3;
  static final int SETTINGS = 4;
  static final int PUSH_PROMISE = 5;
  static final int PING = 6;
  static final int GOAWAY = 7;
  static final int WINDOW_UPDATE = 8;
  static final int CONTINUATION = 9;

  static final int FLAG_END_STREAM = 0x1;
  static final int FLAG_ACK = 0x1;
  static final int FLAG_END_HEADERS = 0x4;
  static final int FLAG_PADDED = 0x8;
  static final int FLAG_PRIORITY = 0x20;

  static final int NO_ERROR = 0;
  static final int PROTOCOL_ERROR = 1;
  static final int FLOW_CONTROL_ERROR = 3;
  static final int FRAME_SIZE_ERROR = 6;
  static final int REFUSED_STREAM = 7;
  static final int CANCEL = 8;
  static final int ENHANCE_YOUR_CALM = 0xb;

  static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private Http2Wire() {}

  static String typeName(int type) {
    return switch (type) {
      case DATA -> "DATA";
      case HEADERS -> "HEADERS";
      case PRIORITY -> "PRIORITY";
      case RST_STREAM -> "RST_STREAM";
      case SETTINGS -> "SETTINGS";
      case PUSH_PROMISE -> "PUSH_PROMISE";
      case PING -> "PING";
      case GOAWAY -> "GOAWAY";
      case WINDOW_UPDATE -> "WINDOW_UPDATE";
      case CONTINUATION -> "CONTINUATION";
      default -> "UNKNOWN_" + type;
    };
  }

  /** Writes one frame; the caller holds the connection's write lock. */
  static void writeFrame(
      OutputStream out, int type, int flags, int streamId, byte[] payload, int offset, int length)
      throws IOException {
    byte[] header = new byte[9];
    header[0] = (byte) (length >>> 16);
    header[1] = (byte) (length >>> 8);
    header[2] = (byte) length;
    header[3] = (byte) type;
    header[4] = (byte) flags;
    putInt(header, 5, streamId & 0x7fffffff);
    out.write(header);
    if (length > 0) {
      out.write(payload, offset, length);
    }
  }

  static void writeFrame(OutputStream out, int type, int flags, int streamId, byte[] payload)
      throws IOException {
    writeFrame(out, type, flags, streamId, payload, 0, payload.length);
  }

  static byte[] settingsPayload(int[][] settings) {
    byte[] p = new byte[settings.length * 6];
    for (int i = 0; i < settings.length; i++) {
      p[i * 6] = (byte) (settings[i][0] >>> 8);
      p[i * 6 + 1] = (byte) settings[i][0];
      putInt(p, i * 6 + 2, settings[i][1]);
    }
    return p;
  }

  static byte[] goAwayPayload(int lastStreamId, int errorCode) {
    byte[] p = new byte[8];
    putInt(p, 0, lastStreamId & 0x7fffffff);
    putInt(p, 4, errorCode);
    return p;
  }

  static byte[] intPayload(int value) {
    byte[] p = new byte[4];
    putInt(p, 0, value);
    return p;
  }

  static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  static int getInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }
}
