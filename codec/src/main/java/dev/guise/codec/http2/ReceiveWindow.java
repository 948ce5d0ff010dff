package dev.guise.codec.http2;

/**
 * The receive side of one HTTP/2 flow-control window (RFC 9113 section 6.9): what we allowed the
 * peer to send on a stream, or the connection (stream 0), and when to allow it more.
 *
 * <p>Credit goes back in batches: once half of the window has been received, {@link #updateDue()}
 * returns the increment for one WINDOW_UPDATE, so a large body costs one update per half window
 * rather than one per DATA frame, and the peer never stalls on a full window. Not thread-safe.
 */
public final class ReceiveWindow {
  private final int streamId;
  private final long target;
  private long size;
  private long unacknowledged;

  /**
   * A window of {@code size} octets (what our SETTINGS and WINDOW_UPDATEs granted), kept near that
   * size by {@link #updateDue()}.
   */
  public ReceiveWindow(int streamId, long size) {
    if (streamId < 0 || size <= 0 || size > FlowWindow.MAX_SIZE) {
      throw new IllegalArgumentException("window of stream " + streamId + " of " + size);
    }
    this.streamId = streamId;
    this.target = size;
    this.size = size;
  }

  /** Octets the peer may still send before the next WINDOW_UPDATE. */
  public long size() {
    return size;
  }

  /**
   * A DATA frame arrived with {@code flowLength} octets (padding included). More than the window
   * allows is a FLOW_CONTROL_ERROR, treated as a connection error (RFC 9113 section 6.9.1 lets a
   * receiver choose; after an overrun the peer's accounting cannot be trusted).
   */
  public void receive(int flowLength) throws Http2Exception {
    size -= flowLength;
    if (size < 0) {
      throw Http2Exception.connectionError(
          Http2ErrorCode.FLOW_CONTROL_ERROR,
          "the peer overran "
              + (streamId == 0 ? "the connection window" : "the window of stream " + streamId));
    }
    unacknowledged += flowLength;
  }

  /**
   * The WINDOW_UPDATE increment to send now, or 0 while less than half the window is spent. A
   * returned increment counts as granted: the caller must send it.
   */
  public int updateDue() {
    if (unacknowledged == 0 || unacknowledged < target / 2) {
      return 0;
    }
    long increment = unacknowledged;
    size += increment;
    unacknowledged = 0;
    return (int) increment;
  }
}
