package dev.guise.codec.http2;

/**
 * The send side of HTTP/2 flow control for one connection (RFC 9113 section 6.9): the connection
 * window, the peer's initial stream window, and the rule that DATA needs credit in both the
 * connection's and its stream's window.
 *
 * <p>Client and server use it alike. Not thread-safe: the session guards it, and the windows it
 * hands out, with one lock, and its senders wait on that lock's condition for credit.
 */
public final class SendWindows {
  private final FlowWindow connection = new FlowWindow(0, FlowWindow.DEFAULT_SIZE);
  private long initialStreamWindow = FlowWindow.DEFAULT_SIZE;

  /** The connection's window (stream 0), credited by WINDOW_UPDATE on stream 0. */
  public FlowWindow connection() {
    return connection;
  }

  /** The window of a stream opened now, sized by the peer's latest SETTINGS_INITIAL_WINDOW_SIZE. */
  public FlowWindow openStream(int streamId) {
    if (streamId <= 0) {
      throw new IllegalArgumentException("stream " + streamId);
    }
    return new FlowWindow(streamId, initialStreamWindow);
  }

  /** The peer's SETTINGS_INITIAL_WINDOW_SIZE for streams (65,535 until it says otherwise). */
  public long initialStreamWindow() {
    return initialStreamWindow;
  }

  /**
   * The peer changed SETTINGS_INITIAL_WINDOW_SIZE: every open stream's window moves by the
   * difference; the connection window does not (RFC 9113 section 6.9.2).
   *
   * @param newSize already range-checked by the frame reader
   * @param openStreams the windows of the streams open now
   * @throws Http2Exception a connection error, when a stream's window passes 2^31-1
   */
  public void initialStreamWindowChanged(long newSize, Iterable<FlowWindow> openStreams)
      throws Http2Exception {
    long delta = newSize - initialStreamWindow;
    initialStreamWindow = newSize;
    for (FlowWindow w : openStreams) {
      w.adjust(delta);
    }
  }

  /**
   * Takes up to {@code max} octets of credit from both {@code stream} and the connection, as one
   * DATA frame may send; 0 when either window is shut (the sender waits for a WINDOW_UPDATE).
   */
  public int take(FlowWindow stream, int max) {
    long n = Math.min(max, Math.min(connection.size(), stream.size()));
    if (n <= 0) {
      return 0;
    }
    connection.consume(n);
    stream.consume(n);
    return (int) n;
  }
}
