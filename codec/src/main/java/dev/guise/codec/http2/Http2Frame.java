package dev.guise.codec.http2;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP/2 frame (RFC 9113 section 6), as read by {@link Http2FrameReader} and written by {@link
 * Http2FrameWriter}. Byte arrays are owned by the frame: the reader hands out fresh arrays and the
 * writer does not keep them.
 *
 * <p>{@code padding} fields are -1 when the frame has no PADDED flag, else the pad length (0..255).
 */
public sealed interface Http2Frame {
  /** The RFC 9113 name of a frame type ({@code "HEADERS"}); empty for a type it does not define. */
  static Optional<String> typeName(int type) {
    return Optional.ofNullable(
        switch (type) {
          case TYPE_DATA -> "DATA";
          case TYPE_HEADERS -> "HEADERS";
          case TYPE_PRIORITY -> "PRIORITY";
          case TYPE_RST_STREAM -> "RST_STREAM";
          case TYPE_SETTINGS -> "SETTINGS";
          case TYPE_PUSH_PROMISE -> "PUSH_PROMISE";
          case TYPE_PING -> "PING";
          case TYPE_GOAWAY -> "GOAWAY";
          case TYPE_WINDOW_UPDATE -> "WINDOW_UPDATE";
          case TYPE_CONTINUATION -> "CONTINUATION";
          default -> null;
        });
  }

  int TYPE_DATA = 0x0;
  int TYPE_HEADERS = 0x1;
  int TYPE_PRIORITY = 0x2;
  int TYPE_RST_STREAM = 0x3;
  int TYPE_SETTINGS = 0x4;
  int TYPE_PUSH_PROMISE = 0x5;
  int TYPE_PING = 0x6;
  int TYPE_GOAWAY = 0x7;
  int TYPE_WINDOW_UPDATE = 0x8;
  int TYPE_CONTINUATION = 0x9;

  int FLAG_END_STREAM = 0x1;
  int FLAG_ACK = 0x1;
  int FLAG_END_HEADERS = 0x4;
  int FLAG_PADDED = 0x8;
  int FLAG_PRIORITY = 0x20;

  /** The stream the frame belongs to; 0 for connection frames. */
  int streamId();

  /** The frame type on the wire. */
  int type();

  /** The flags this frame has on the wire. */
  int flags();

  private static void checkStream(int streamId) {
    if (streamId < 0) {
      throw new IllegalArgumentException("stream id not 31 bits: " + streamId);
    }
  }

  private static void checkPadding(int padding) {
    if (padding < -1 || padding > 255) {
      throw new IllegalArgumentException("padding must be -1 (none) or 0..255: " + padding);
    }
  }

  /**
   * HEADERS priority fields (RFC 9113 section 5.3.2, deprecated but still sent by browsers as part
   * of their fingerprint).
   *
   * @param exclusive the E bit
   * @param streamDependency the 31-bit stream this one depends on
   * @param weight 1..256 (the wire carries weight - 1)
   */
  record PriorityFields(boolean exclusive, int streamDependency, int weight) {
    public PriorityFields {
      checkStream(streamDependency);
      if (weight < 1 || weight > 256) {
        throw new IllegalArgumentException("weight must be 1..256: " + weight);
      }
    }
  }

  /** DATA. {@link #flowControlledLength()} is what counts against the flow-control windows. */
  record Data(int streamId, byte[] data, boolean endStream, int padding) implements Http2Frame {
    public Data {
      checkStream(streamId);
      Objects.requireNonNull(data, "data");
      checkPadding(padding);
    }

    public Data(int streamId, byte[] data, boolean endStream) {
      this(streamId, data, endStream, -1);
    }

    /** The whole payload length, padding included (RFC 9113 section 6.9.1). */
    public int flowControlledLength() {
      return data.length + (padding >= 0 ? padding + 1 : 0);
    }

    @Override
    public int type() {
      return TYPE_DATA;
    }

    @Override
    public int flags() {
      return (endStream ? FLAG_END_STREAM : 0) | (padding >= 0 ? FLAG_PADDED : 0);
    }
  }

  /**
   * HEADERS: the first fragment of a header block; more follow in CONTINUATION frames unless
   * endHeaders.
   */
  record Headers(
      int streamId,
      byte[] blockFragment,
      boolean endStream,
      boolean endHeaders,
      Optional<PriorityFields> priority,
      int padding)
      implements Http2Frame {
    public Headers {
      checkStream(streamId);
      Objects.requireNonNull(blockFragment, "blockFragment");
      Objects.requireNonNull(priority, "priority");
      checkPadding(padding);
    }

    @Override
    public int type() {
      return TYPE_HEADERS;
    }

    @Override
    public int flags() {
      return (endStream ? FLAG_END_STREAM : 0)
          | (endHeaders ? FLAG_END_HEADERS : 0)
          | (padding >= 0 ? FLAG_PADDED : 0)
          | (priority.isPresent() ? FLAG_PRIORITY : 0);
    }
  }

  record Priority(int streamId, PriorityFields priority) implements Http2Frame {
    public Priority {
      checkStream(streamId);
      Objects.requireNonNull(priority, "priority");
    }

    @Override
    public int type() {
      return TYPE_PRIORITY;
    }

    @Override
    public int flags() {
      return 0;
    }
  }

  /**
   * RST_STREAM; {@code errorCode} is the raw wire value ({@link Http2ErrorCode#of(int)} maps it).
   */
  record RstStream(int streamId, int errorCode) implements Http2Frame {
    public RstStream {
      checkStream(streamId);
    }

    @Override
    public int type() {
      return TYPE_RST_STREAM;
    }

    @Override
    public int flags() {
      return 0;
    }
  }

  /** SETTINGS: the parameters in wire order; an ACK carries none. */
  record Settings(boolean ack, List<Http2Setting> settings) implements Http2Frame {
    public Settings {
      settings = List.copyOf(settings);
      if (ack && !settings.isEmpty()) {
        throw new IllegalArgumentException("a SETTINGS ack carries no parameters");
      }
    }

    public static final Settings ACK = new Settings(true, List.of());

    @Override
    public int streamId() {
      return 0;
    }

    @Override
    public int type() {
      return TYPE_SETTINGS;
    }

    @Override
    public int flags() {
      return ack ? FLAG_ACK : 0;
    }
  }

  record PushPromise(
      int streamId, int promisedStreamId, byte[] blockFragment, boolean endHeaders, int padding)
      implements Http2Frame {
    public PushPromise {
      checkStream(streamId);
      checkStream(promisedStreamId);
      Objects.requireNonNull(blockFragment, "blockFragment");
      checkPadding(padding);
    }

    @Override
    public int type() {
      return TYPE_PUSH_PROMISE;
    }

    @Override
    public int flags() {
      return (endHeaders ? FLAG_END_HEADERS : 0) | (padding >= 0 ? FLAG_PADDED : 0);
    }
  }

  record Ping(boolean ack, long opaqueData) implements Http2Frame {
    @Override
    public int streamId() {
      return 0;
    }

    @Override
    public int type() {
      return TYPE_PING;
    }

    @Override
    public int flags() {
      return ack ? FLAG_ACK : 0;
    }
  }

  /** GOAWAY; {@code errorCode} is the raw wire value. */
  record GoAway(int lastStreamId, int errorCode, byte[] debugData) implements Http2Frame {
    public GoAway {
      checkStream(lastStreamId);
      Objects.requireNonNull(debugData, "debugData");
    }

    @Override
    public int streamId() {
      return 0;
    }

    @Override
    public int type() {
      return TYPE_GOAWAY;
    }

    @Override
    public int flags() {
      return 0;
    }
  }

  record WindowUpdate(int streamId, int increment) implements Http2Frame {
    public WindowUpdate {
      checkStream(streamId);
      if (increment < 0) {
        throw new IllegalArgumentException("increment not 31 bits: " + increment);
      }
    }

    @Override
    public int type() {
      return TYPE_WINDOW_UPDATE;
    }

    @Override
    public int flags() {
      return 0;
    }
  }

  record Continuation(int streamId, byte[] blockFragment, boolean endHeaders)
      implements Http2Frame {
    public Continuation {
      checkStream(streamId);
      Objects.requireNonNull(blockFragment, "blockFragment");
    }

    @Override
    public int type() {
      return TYPE_CONTINUATION;
    }

    @Override
    public int flags() {
      return endHeaders ? FLAG_END_HEADERS : 0;
    }
  }

  /** A frame of a type this codec does not know; RFC 9113 section 4.1 says to ignore it. */
  record Unknown(int type, int flags, int streamId, byte[] payload) implements Http2Frame {
    public Unknown {
      if (type < 0 || type > 0xff || flags < 0 || flags > 0xff) {
        throw new IllegalArgumentException("type and flags are octets");
      }
      checkStream(streamId);
      Objects.requireNonNull(payload, "payload");
    }
  }
}
