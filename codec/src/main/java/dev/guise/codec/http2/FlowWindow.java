package dev.guise.codec.http2;

/**
 * The send credit of one HTTP/2 flow-control window (RFC 9113 section 6.9): what the peer allows us
 * to send on a stream, or on the whole connection (stream 0), before its next WINDOW_UPDATE.
 *
 * <p>The counter keeps the RFC's arithmetic and its limits: a window never exceeds 2^31-1 octets
 * (section 6.9.1), and a change of SETTINGS_INITIAL_WINDOW_SIZE moves it by the difference, which
 * may leave it negative (section 6.9.2). Not thread-safe: the session that owns the window guards
 * it with the lock its senders wait on.
 */
public final class FlowWindow {
  /** Every window's size until SETTINGS say otherwise (RFC 9113 section 6.9.2). */
  public static final int DEFAULT_SIZE = 65_535;

  /** The largest legal window (RFC 9113 section 6.9.1). */
  public static final long MAX_SIZE = 0x7fff_ffffL;

  private final int streamId;
  private long size;

  /** A window of {@code initialSize} octets for stream {@code streamId} (0: the connection). */
  public FlowWindow(int streamId, long initialSize) {
    if (streamId < 0 || initialSize > MAX_SIZE) {
      throw new IllegalArgumentException("window of stream " + streamId + " of " + initialSize);
    }
    this.streamId = streamId;
    this.size = initialSize;
  }

  /** The stream the window belongs to, 0 for the connection. */
  public int streamId() {
    return streamId;
  }

  /** Octets that may be sent now; zero or negative when the window is shut. */
  public long size() {
    return size;
  }

  /** Spends {@code n} octets of credit; the caller never spends more than {@link #size()}. */
  public void consume(long n) {
    if (n < 0 || n > size) {
      throw new IllegalArgumentException("spending " + n + " of a window of " + size);
    }
    size -= n;
  }

  /**
   * A WINDOW_UPDATE from the peer. Past 2^31-1 is a FLOW_CONTROL_ERROR of the connection for stream
   * 0 and of the stream otherwise (RFC 9113 section 6.9.1); the window then keeps the overflowed
   * value, and the stream (or connection) must end.
   *
   * @param increment 1 to 2^31-1; the frame reader has already rejected zero
   */
  public void expand(long increment) throws Http2Exception {
    size += increment;
    if (size > MAX_SIZE) {
      String message =
          "WINDOW_UPDATE of "
              + increment
              + " takes the window of "
              + (streamId == 0 ? "the connection" : "stream " + streamId)
              + " above 2^31-1";
      throw streamId == 0
          ? Http2Exception.connectionError(Http2ErrorCode.FLOW_CONTROL_ERROR, message)
          : Http2Exception.streamError(Http2ErrorCode.FLOW_CONTROL_ERROR, streamId, message);
    }
  }

  /**
   * Moves the window by the change of the peer's SETTINGS_INITIAL_WINDOW_SIZE. Going past 2^31-1
   * this way is a connection error (RFC 9113 section 6.9.2), whichever stream it happens on.
   */
  public void adjust(long delta) throws Http2Exception {
    size += delta;
    if (size > MAX_SIZE) {
      throw Http2Exception.connectionError(
          Http2ErrorCode.FLOW_CONTROL_ERROR,
          "SETTINGS_INITIAL_WINDOW_SIZE takes the window of stream " + streamId + " above 2^31-1");
    }
  }

  @Override
  public String toString() {
    return "window(" + streamId + ": " + size + ")";
  }
}
