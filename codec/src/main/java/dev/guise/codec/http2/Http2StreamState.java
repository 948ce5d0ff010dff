package dev.guise.codec.http2;

/**
 * The life of one HTTP/2 stream (RFC 9113 section 5.1) as one endpoint sees it, with the rule for
 * frames that arrive on a closed stream.
 *
 * <pre>
 *   IDLE --HEADERS--> OPEN --END_STREAM sent--> HALF_CLOSED_LOCAL --END_STREAM received--> CLOSED
 *                      |                                                                    ^
 *                      +--END_STREAM received--> HALF_CLOSED_REMOTE --END_STREAM sent-------+
 *   any state --RST_STREAM sent or received--> CLOSED
 * </pre>
 *
 * <p>A closed stream remembers how it closed, because the RFC treats late frames differently: after
 * we sent RST_STREAM, frames the peer had in flight must be ignored; after the peer ended its side
 * (END_STREAM or RST_STREAM), any further HEADERS or DATA from it is a STREAM_CLOSED error. Client
 * and server use it alike. Not thread-safe: the session guards it with its stream lock.
 */
public final class Http2StreamState {
  /** The states of RFC 9113 section 5.1 (without the reserved ones: we never push). */
  public enum State {
    IDLE,
    OPEN,
    HALF_CLOSED_LOCAL,
    HALF_CLOSED_REMOTE,
    CLOSED
  }

  private final int streamId;
  private State state = State.IDLE;
  private boolean endStreamReceived;
  private boolean resetSent;
  private boolean resetReceived;

  public Http2StreamState(int streamId) {
    this.streamId = streamId;
  }

  public State state() {
    return state;
  }

  /** We may still send frames that carry the request or response (HEADERS, DATA). */
  public boolean canSend() {
    return state == State.OPEN || state == State.HALF_CLOSED_REMOTE;
  }

  /** The peer ended its side: END_STREAM or RST_STREAM received. */
  public boolean remoteClosed() {
    return endStreamReceived || resetReceived;
  }

  /** We sent RST_STREAM, or gave the stream up without one (see {@link #abandon()}). */
  public boolean resetSent() {
    return resetSent;
  }

  public boolean isClosed() {
    return state == State.CLOSED;
  }

  /** We sent HEADERS opening the stream, with END_STREAM when there is no body. */
  public void sendHeaders(boolean endStream) {
    if (state != State.IDLE) {
      throw new IllegalStateException("stream " + streamId + " opened twice (" + state + ")");
    }
    state = endStream ? State.HALF_CLOSED_LOCAL : State.OPEN;
  }

  /** We sent a frame with END_STREAM (the last DATA, or trailers). */
  public void sendEndStream() {
    state =
        switch (state) {
          case OPEN -> State.HALF_CLOSED_LOCAL;
          case HALF_CLOSED_REMOTE -> State.CLOSED;
          default ->
              throw new IllegalStateException("END_STREAM on stream " + streamId + " in " + state);
        };
  }

  /**
   * The peer sent HEADERS or DATA, with or without END_STREAM: moves the state on and tells whether
   * the frame is for the stream's consumer.
   *
   * @return false when we reset the stream and the frame is one the peer had in flight (ignore it,
   *     RFC 9113 section 5.1, "closed")
   * @throws Http2Exception a STREAM_CLOSED stream error, when the peer had already ended its side
   *     or the stream was never opened
   */
  public boolean receive(String frameType, boolean endStream) throws Http2Exception {
    if (remoteClosed()) {
      throw Http2Exception.streamError(
          Http2ErrorCode.STREAM_CLOSED,
          streamId,
          frameType + " after END_STREAM on stream " + streamId);
    }
    if (resetSent) {
      return false;
    }
    switch (state) {
      case IDLE -> state = endStream ? State.HALF_CLOSED_REMOTE : State.OPEN;
      case OPEN -> state = endStream ? State.HALF_CLOSED_REMOTE : State.OPEN;
      case HALF_CLOSED_LOCAL -> state = endStream ? State.CLOSED : State.HALF_CLOSED_LOCAL;
      default -> throw new IllegalStateException("stream " + streamId + " in " + state);
    }
    endStreamReceived = endStream;
    return true;
  }

  /**
   * Whether RST_STREAM may go out now: not before the stream is open, never twice, never after the
   * stream closed. When true, the caller sends it and the stream is closed.
   */
  public boolean sendReset() {
    if (state == State.IDLE || state == State.CLOSED) {
      return false;
    }
    state = State.CLOSED;
    resetSent = true;
    return true;
  }

  /**
   * The stream ends with no frame from us: the peer's GOAWAY excluded it, or the connection is
   * gone. Late frames on it are ignored as after our RST_STREAM.
   */
  public void abandon() {
    if (state != State.CLOSED) {
      state = State.CLOSED;
      resetSent = true;
    }
  }

  /** The peer sent RST_STREAM: the stream is closed, and no RST_STREAM of ours may follow. */
  public void receiveReset() {
    resetReceived = true;
    state = State.CLOSED;
  }

  @Override
  public String toString() {
    return "stream " + streamId + " " + state;
  }
}
