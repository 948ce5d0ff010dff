package dev.guise.codec.http2;

import static dev.guise.codec.http2.Http2ErrorCode.FLOW_CONTROL_ERROR;
import static dev.guise.codec.http2.Http2ErrorCode.FRAME_SIZE_ERROR;
import static dev.guise.codec.http2.Http2ErrorCode.PROTOCOL_ERROR;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads HTTP/2 frames one at a time from an input stream and checks the rules that a single frame
 * can break (RFC 9113 section 4 and 6): the length against our SETTINGS_MAX_FRAME_SIZE (checked
 * before the payload is read, so an oversized frame costs no memory), the stream id being zero or
 * non-zero as the type requires, fixed lengths, padding within the payload, setting values and zero
 * window increments. Violations are {@link Http2Exception}s (connection or stream errors). Rules
 * that span frames (CONTINUATION sequencing, stream states) belong to the caller; see {@link
 * HeaderBlockAssembler}.
 *
 * <p>Blocking: {@link #readFrame()} blocks in the stream's read; the caller sets the socket's read
 * timeout. Not thread-safe: one reader per connection, used by its reading thread. The reader does
 * not close the stream.
 */
public final class Http2FrameReader {
  /** RFC 9113 initial and smallest SETTINGS_MAX_FRAME_SIZE. */
  public static final int DEFAULT_MAX_FRAME_SIZE = 16_384;

  /** Largest SETTINGS_MAX_FRAME_SIZE a peer may choose. */
  public static final int MAX_MAX_FRAME_SIZE = 16_777_215;

  private final InputStream in;
  private final byte[] header = new byte[Http2FrameWriter.FRAME_HEADER_LENGTH];
  private int maxFrameSize;
  private Http2FrameHeader lastFrameHeader;

  /**
   * @param in the connection's input, positioned after the connection preface
   * @param maxFrameSize our SETTINGS_MAX_FRAME_SIZE (16384 until the peer acknowledges a larger
   *     one)
   */
  public Http2FrameReader(InputStream in, int maxFrameSize) {
    this.in = Objects.requireNonNull(in, "in");
    setMaxFrameSize(maxFrameSize);
  }

  /** Changes the largest payload accepted (after the peer acknowledged our new setting). */
  public void setMaxFrameSize(int maxFrameSize) {
    if (maxFrameSize < DEFAULT_MAX_FRAME_SIZE || maxFrameSize > MAX_MAX_FRAME_SIZE) {
      throw new IllegalArgumentException("max frame size outside 16384..16777215: " + maxFrameSize);
    }
    this.maxFrameSize = maxFrameSize;
  }

  /**
   * The header of the frame the last {@link #readFrame()} call read: set as soon as the 9 header
   * octets are in, so it also describes a frame that call then rejected with an {@link
   * Http2Exception}. Null before the first frame and after a call that read no complete header
   * (clean end of stream, or truncated inside the header).
   */
  public Http2FrameHeader lastFrameHeader() {
    return lastFrameHeader;
  }

  /**
   * Reads and checks the client connection preface (server side).
   *
   * @throws ClassifiedIOException PROTOCOL_ERROR when the bytes are not the preface
   */
  public void readClientPreface() throws IOException {
    byte[] preface = Http2FrameWriter.clientPreface();
    byte[] got = new byte[preface.length];
    int n = in.readNBytes(got, 0, got.length);
    if (n < got.length || !Arrays.equals(preface, got)) {
      throw Http2Exception.connectionError(PROTOCOL_ERROR, "invalid client connection preface");
    }
  }

  /**
   * Reads the next frame.
   *
   * @return the frame, or {@code null} when the stream ended cleanly between two frames
   * @throws Http2Exception when the frame breaks a framing rule
   * @throws ClassifiedIOException CONNECTION_CLOSED when the stream ends inside a frame
   */
  public Http2Frame readFrame() throws IOException {
    lastFrameHeader = null;
    int n = in.readNBytes(header, 0, header.length);
    if (n == 0) {
      return null;
    }
    if (n < header.length) {
      throw truncated();
    }
    int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
    int type = header[3] & 0xff;
    int flags = header[4] & 0xff;
    // The reserved bit is ignored on receipt (RFC 9113 section 4.1).
    int streamId = readInt31(header, 5);
    lastFrameHeader = new Http2FrameHeader(length, type, flags, streamId);
    if (length > maxFrameSize) {
      throw Http2Exception.connectionError(
          FRAME_SIZE_ERROR, "frame of " + length + " bytes exceeds our maximum " + maxFrameSize);
    }
    checkStreamRule(type, streamId);
    try {
      checkFixedLength(type, flags, length, streamId);
    } catch (Http2Exception e) {
      if (!e.isConnectionError()) {
        // A stream error leaves the connection usable, so the reader must stay in step with the
        // byte stream: skip the rejected payload (no larger than our maximum frame size).
        skipPayload(length);
      }
      throw e;
    }
    byte[] payload = new byte[length];
    if (in.readNBytes(payload, 0, length) < length) {
      throw truncated();
    }
    return switch (type) {
      case Http2Frame.TYPE_DATA -> readData(streamId, flags, payload);
      case Http2Frame.TYPE_HEADERS -> readHeaders(streamId, flags, payload);
      case Http2Frame.TYPE_PRIORITY -> new Http2Frame.Priority(streamId, priority(payload, 0));
      case Http2Frame.TYPE_RST_STREAM -> new Http2Frame.RstStream(streamId, readInt32(payload, 0));
      case Http2Frame.TYPE_SETTINGS -> readSettings(flags, payload);
      case Http2Frame.TYPE_PUSH_PROMISE -> readPushPromise(streamId, flags, payload);
      case Http2Frame.TYPE_PING ->
          new Http2Frame.Ping((flags & Http2Frame.FLAG_ACK) != 0, readLong(payload));
      case Http2Frame.TYPE_GOAWAY ->
          new Http2Frame.GoAway(
              readInt31(payload, 0), readInt32(payload, 4), Arrays.copyOfRange(payload, 8, length));
      case Http2Frame.TYPE_WINDOW_UPDATE -> readWindowUpdate(streamId, payload);
      case Http2Frame.TYPE_CONTINUATION ->
          new Http2Frame.Continuation(
              streamId, payload, (flags & Http2Frame.FLAG_END_HEADERS) != 0);
      default -> new Http2Frame.Unknown(type, flags, streamId, payload);
    };
  }

  private void skipPayload(int length) throws IOException {
    byte[] sink = new byte[Math.min(length, 4096)];
    for (int left = length; left > 0; ) {
      int n = in.readNBytes(sink, 0, Math.min(left, sink.length));
      if (n == 0) {
        throw truncated();
      }
      left -= n;
    }
  }

  private static ClassifiedIOException truncated() {
    return new ClassifiedIOException(
        FailureKind.CONNECTION_CLOSED,
        false,
        PoolAction.DISCARD_CONNECTION,
        "HTTP/2 connection ended inside a frame",
        null);
  }

  private static void checkStreamRule(int type, int streamId) throws Http2Exception {
    boolean needsStream =
        switch (type) {
          case Http2Frame.TYPE_DATA,
              Http2Frame.TYPE_HEADERS,
              Http2Frame.TYPE_PRIORITY,
              Http2Frame.TYPE_RST_STREAM,
              Http2Frame.TYPE_PUSH_PROMISE,
              Http2Frame.TYPE_CONTINUATION ->
              true;
          case Http2Frame.TYPE_SETTINGS, Http2Frame.TYPE_PING, Http2Frame.TYPE_GOAWAY -> false;
          default -> {
            // WINDOW_UPDATE is valid on both; unknown types carry anything.
            yield streamId != 0;
          }
        };
    if (needsStream && streamId == 0) {
      throw Http2Exception.connectionError(PROTOCOL_ERROR, frameName(type) + " frame on stream 0");
    }
    if (!needsStream && streamId != 0) {
      throw Http2Exception.connectionError(
          PROTOCOL_ERROR, frameName(type) + " frame on stream " + streamId + " (must be 0)");
    }
  }

  private static void checkFixedLength(int type, int flags, int length, int streamId)
      throws Http2Exception {
    switch (type) {
      case Http2Frame.TYPE_PRIORITY -> {
        if (length != 5) {
          throw Http2Exception.streamError(FRAME_SIZE_ERROR, streamId, "PRIORITY length " + length);
        }
      }
      case Http2Frame.TYPE_RST_STREAM -> {
        if (length != 4) {
          throw Http2Exception.connectionError(FRAME_SIZE_ERROR, "RST_STREAM length " + length);
        }
      }
      case Http2Frame.TYPE_SETTINGS -> {
        if ((flags & Http2Frame.FLAG_ACK) != 0 && length != 0) {
          throw Http2Exception.connectionError(FRAME_SIZE_ERROR, "SETTINGS ack with a payload");
        }
        if (length % 6 != 0) {
          throw Http2Exception.connectionError(
              FRAME_SIZE_ERROR, "SETTINGS length " + length + " not a multiple of 6");
        }
      }
      case Http2Frame.TYPE_PING -> {
        if (length != 8) {
          throw Http2Exception.connectionError(FRAME_SIZE_ERROR, "PING length " + length);
        }
      }
      case Http2Frame.TYPE_GOAWAY -> {
        if (length < 8) {
          throw Http2Exception.connectionError(FRAME_SIZE_ERROR, "GOAWAY length " + length);
        }
      }
      case Http2Frame.TYPE_WINDOW_UPDATE -> {
        if (length != 4) {
          throw Http2Exception.connectionError(FRAME_SIZE_ERROR, "WINDOW_UPDATE length " + length);
        }
      }
      default -> {}
    }
  }

  private static Http2Frame readData(int streamId, int flags, byte[] payload)
      throws Http2Exception {
    boolean endStream = (flags & Http2Frame.FLAG_END_STREAM) != 0;
    if ((flags & Http2Frame.FLAG_PADDED) == 0) {
      return new Http2Frame.Data(streamId, payload, endStream, -1);
    }
    int padding = padLength(payload, 0, "DATA");
    return new Http2Frame.Data(
        streamId, Arrays.copyOfRange(payload, 1, payload.length - padding), endStream, padding);
  }

  private static Http2Frame readHeaders(int streamId, int flags, byte[] payload)
      throws Http2Exception {
    int pos = 0;
    int padding = -1;
    if ((flags & Http2Frame.FLAG_PADDED) != 0) {
      padding = padLength(payload, 0, "HEADERS");
      pos = 1;
    }
    Optional<Http2Frame.PriorityFields> priority = Optional.empty();
    int end = payload.length - Math.max(padding, 0);
    if ((flags & Http2Frame.FLAG_PRIORITY) != 0) {
      if (end - pos < 5) {
        throw Http2Exception.connectionError(
            padding >= 0 ? PROTOCOL_ERROR : FRAME_SIZE_ERROR,
            "HEADERS too short for its priority fields");
      }
      priority = Optional.of(priority(payload, pos));
      pos += 5;
    }
    byte[] fragment =
        pos == 0 && end == payload.length ? payload : Arrays.copyOfRange(payload, pos, end);
    return new Http2Frame.Headers(
        streamId,
        fragment,
        (flags & Http2Frame.FLAG_END_STREAM) != 0,
        (flags & Http2Frame.FLAG_END_HEADERS) != 0,
        priority,
        padding);
  }

  private static Http2Frame readPushPromise(int streamId, int flags, byte[] payload)
      throws Http2Exception {
    int pos = 0;
    int padding = -1;
    if ((flags & Http2Frame.FLAG_PADDED) != 0) {
      padding = padLength(payload, 0, "PUSH_PROMISE");
      pos = 1;
    }
    int end = payload.length - Math.max(padding, 0);
    if (end - pos < 4) {
      throw Http2Exception.connectionError(
          padding >= 0 ? PROTOCOL_ERROR : FRAME_SIZE_ERROR,
          "PUSH_PROMISE too short for the promised stream id");
    }
    int promised = readInt31(payload, pos);
    return new Http2Frame.PushPromise(
        streamId,
        promised,
        Arrays.copyOfRange(payload, pos + 4, end),
        (flags & Http2Frame.FLAG_END_HEADERS) != 0,
        padding);
  }

  /** The pad length at {@code payload[at]}, which must leave room for itself within the payload. */
  private static int padLength(byte[] payload, int at, String frame) throws Http2Exception {
    if (payload.length < 1) {
      throw Http2Exception.connectionError(FRAME_SIZE_ERROR, frame + " padded but empty");
    }
    int padding = payload[at] & 0xff;
    if (padding >= payload.length) {
      throw Http2Exception.connectionError(
          PROTOCOL_ERROR,
          frame + " padding " + padding + " not within its " + payload.length + "-byte payload");
    }
    return padding;
  }

  private static Http2Frame.PriorityFields priority(byte[] p, int at) {
    boolean exclusive = (p[at] & 0x80) != 0;
    return new Http2Frame.PriorityFields(exclusive, readInt31(p, at), (p[at + 4] & 0xff) + 1);
  }

  private static Http2Frame readSettings(int flags, byte[] payload) throws Http2Exception {
    if ((flags & Http2Frame.FLAG_ACK) != 0) {
      return Http2Frame.Settings.ACK;
    }
    List<Http2Setting> settings = new ArrayList<>(payload.length / 6);
    for (int i = 0; i < payload.length; i += 6) {
      int id = ((payload[i] & 0xff) << 8) | (payload[i + 1] & 0xff);
      long value = readInt32(payload, i + 2) & 0xffff_ffffL;
      switch (id) {
        case Http2Setting.ENABLE_PUSH -> {
          if (value > 1) {
            throw Http2Exception.connectionError(PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH " + value);
          }
        }
        case Http2Setting.INITIAL_WINDOW_SIZE -> {
          if (value > Integer.MAX_VALUE) {
            throw Http2Exception.connectionError(
                FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE " + value);
          }
        }
        case Http2Setting.MAX_FRAME_SIZE -> {
          if (value < DEFAULT_MAX_FRAME_SIZE || value > MAX_MAX_FRAME_SIZE) {
            throw Http2Exception.connectionError(
                PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE " + value);
          }
        }
        default -> {}
      }
      settings.add(new Http2Setting(id, value));
    }
    return new Http2Frame.Settings(false, settings);
  }

  private static Http2Frame readWindowUpdate(int streamId, byte[] payload) throws Http2Exception {
    int increment = readInt31(payload, 0);
    if (increment == 0) {
      String message = "WINDOW_UPDATE with increment 0";
      throw streamId == 0
          ? Http2Exception.connectionError(PROTOCOL_ERROR, message)
          : Http2Exception.streamError(PROTOCOL_ERROR, streamId, message);
    }
    return new Http2Frame.WindowUpdate(streamId, increment);
  }

  private static int readInt32(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  private static int readInt31(byte[] b, int at) {
    return readInt32(b, at) & 0x7fff_ffff;
  }

  private static long readLong(byte[] b) {
    return ((long) readInt32(b, 0) << 32) | (readInt32(b, 4) & 0xffff_ffffL);
  }

  static String frameName(int type) {
    return Http2Frame.typeName(type).orElse("type 0x" + Integer.toHexString(type));
  }
}
