package dev.guise.codec.http2;

import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import java.util.Arrays;
import java.util.Objects;

/**
 * Joins a HEADERS or PUSH_PROMISE frame and its CONTINUATION frames into one header block, and
 * enforces the rules that span them (RFC 9113 section 6.10): while a block is open, only
 * CONTINUATION frames of the same stream may arrive, and a CONTINUATION never arrives otherwise.
 *
 * <p>Bounded: a block larger than {@code maxBlockSize}, or spread over more CONTINUATION frames
 * than {@link #maxContinuations()}, fails at once (the "endless CONTINUATION" attack), with memory
 * never above {@code maxBlockSize} plus one frame. Such a failure is a connection error
 * (COMPRESSION_ERROR): the HPACK block cannot be decoded, so the decoder's table would fall out of
 * step.
 *
 * <p>Feed every frame the connection reads to {@link #accept(Http2Frame)}. Not thread-safe.
 */
public final class HeaderBlockAssembler {
  /** A complete header block and the frame (HEADERS or PUSH_PROMISE) that opened it. */
  public record HeaderBlock(Http2Frame first, byte[] block) {
    public HeaderBlock {
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(block, "block");
    }

    public int streamId() {
      return first.streamId();
    }

    /** Whether the opening HEADERS frame carried END_STREAM. */
    public boolean endStream() {
      return first instanceof Http2Frame.Headers h && h.endStream();
    }
  }

  private final int maxBlockSize;
  private final int maxContinuations;
  private Http2Frame open;
  private byte[] buf;
  private int length;
  private int continuations;

  /**
   * @param maxBlockSize the largest header block (all fragments together) accepted
   */
  public HeaderBlockAssembler(int maxBlockSize) {
    if (maxBlockSize < 0) {
      throw new IllegalArgumentException("maxBlockSize < 0");
    }
    this.maxBlockSize = maxBlockSize;
    // Real senders fill each CONTINUATION up to the frame size; many tiny (or empty) ones are only
    // ever an attack on CPU, which the byte limit alone would not stop.
    this.maxContinuations = Math.max(16, maxBlockSize / 1024);
  }

  public int maxContinuations() {
    return maxContinuations;
  }

  /** Whether a block is open and only a CONTINUATION of its stream may come next. */
  public boolean expectingContinuation() {
    return open != null;
  }

  /**
   * Takes the next frame read from the connection.
   *
   * @return the completed block when {@code frame} finished one; {@code null} for a frame that
   *     opened or continued a block without finishing it, and for every frame that is not part of a
   *     header block (the caller handles those itself)
   * @throws Http2Exception for a sequencing violation or a block over the limits
   */
  public HeaderBlock accept(Http2Frame frame) throws Http2Exception {
    if (open != null) {
      if (!(frame instanceof Http2Frame.Continuation c) || c.streamId() != open.streamId()) {
        throw Http2Exception.connectionError(
            Http2ErrorCode.PROTOCOL_ERROR,
            "expected CONTINUATION on stream "
                + open.streamId()
                + ", got "
                + Http2FrameReader.frameName(frame.type())
                + " on stream "
                + frame.streamId());
      }
      if (++continuations > maxContinuations) {
        throw tooLarge(
            "more than " + maxContinuations + " CONTINUATION frames in one header block");
      }
      append(c.blockFragment());
      if (!c.endHeaders()) {
        return null;
      }
      HeaderBlock done = new HeaderBlock(open, Arrays.copyOf(buf, length));
      open = null;
      buf = null;
      length = 0;
      return done;
    }
    byte[] fragment;
    boolean endHeaders;
    switch (frame) {
      case Http2Frame.Headers h -> {
        fragment = h.blockFragment();
        endHeaders = h.endHeaders();
      }
      case Http2Frame.PushPromise p -> {
        fragment = p.blockFragment();
        endHeaders = p.endHeaders();
      }
      case Http2Frame.Continuation c ->
          throw Http2Exception.connectionError(
              Http2ErrorCode.PROTOCOL_ERROR,
              "CONTINUATION on stream " + c.streamId() + " without an open header block");
      default -> {
        return null;
      }
    }
    if (fragment.length > maxBlockSize) {
      throw tooLarge(
          "header block fragment of " + fragment.length + " bytes exceeds " + maxBlockSize);
    }
    if (endHeaders) {
      return new HeaderBlock(frame, fragment);
    }
    open = frame;
    continuations = 0;
    length = 0;
    buf = new byte[Math.min(maxBlockSize, Math.max(1024, fragment.length * 2))];
    append(fragment);
    return null;
  }

  private void append(byte[] fragment) throws Http2Exception {
    if (fragment.length > maxBlockSize - length) {
      throw tooLarge("header block exceeds " + maxBlockSize + " bytes");
    }
    if (length + fragment.length > buf.length) {
      buf =
          Arrays.copyOf(
              buf, Math.min(maxBlockSize, Math.max(buf.length * 2, length + fragment.length)));
    }
    System.arraycopy(fragment, 0, buf, length, fragment.length);
    length += fragment.length;
  }

  private Http2Exception tooLarge(String message) {
    open = null;
    buf = null;
    length = 0;
    return new Http2Exception(
        FailureKind.RESPONSE_TOO_LARGE,
        PoolAction.DISCARD_CONNECTION,
        Http2ErrorCode.COMPRESSION_ERROR,
        0,
        message);
  }
}
