package dev.guise.codec.http2;

import dev.guise.codec.io.BufferPool;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes HTTP/2 frames exactly as given (RFC 9113 section 6): flags, padding, priority fields and
 * SETTINGS order are reproduced byte for byte, since they make up a client's fingerprint.
 *
 * <p>Each frame is assembled in a buffer and handed to the stream in one {@code write} call (a
 * large DATA payload in two). Nothing is flushed until {@link #flush()}. The buffer is borrowed
 * from the {@link BufferPool} for each write (or batch) and given back after it, so an idle
 * connection holds none.
 *
 * <p>Batching: between {@link #beginBatch()} and {@link #endBatch()} (or {@link #flush()}) frames
 * are gathered in that same buffer and handed to the stream in a single {@code write}, so that what
 * belongs together (a connection preface; a request's HEADERS, CONTINUATIONs and a stream
 * WINDOW_UPDATE) leaves in one TLS record without a second buffer and a second copy of every frame.
 * {@link #discardBatch()} drops a batch that must not reach the wire. {@link #keepBatch()} marks
 * what was gathered as complete frames that stay for the next write: a caller may leave its frames
 * for the next caller to send with its own, in the same write.
 *
 * <p>Not thread-safe: callers serialise all writes to one connection (frames must not interleave,
 * and HPACK blocks must be written in the order they were encoded). The writer does not close the
 * stream.
 */
public final class Http2FrameWriter {
  public static final int FRAME_HEADER_LENGTH = 9;

  private static final byte[] CLIENT_PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final OutputStream out;
  private int maxFrameSize;

  /**
   * Null between writes: borrowed from the pool by {@link #buffer()}, given back by {@link
   * #giveBack()}.
   */
  private byte[] buf;

  /** Bytes of earlier frames of the open batch at the start of {@code buf}; 0 outside a batch. */
  private int batched;

  /**
   * Bytes at the start of the open batch that {@link #keepBatch()} marked complete; at most {@code
   * batched}.
   */
  private int kept;

  private boolean batching;

  /**
   * @param out the connection's output
   * @param maxFrameSize the peer's SETTINGS_MAX_FRAME_SIZE (16384 until it says otherwise)
   */
  public Http2FrameWriter(OutputStream out, int maxFrameSize) {
    this.out = Objects.requireNonNull(out, "out");
    setMaxFrameSize(maxFrameSize);
  }

  private byte[] buffer() {
    byte[] b = buf;
    return b != null ? b : (buf = BufferPool.acquire());
  }

  /** Gives the buffer back unless a batch is open (it holds the batch). */
  private void giveBack() {
    if (!batching && buf != null) {
      byte[] b = buf;
      buf = null;
      batched = 0;
      BufferPool.release(b);
    }
  }

  /** The 24 octets a client sends first: {@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}. */
  public static byte[] clientPreface() {
    return CLIENT_PREFACE.clone();
  }

  /** Applies the peer's SETTINGS_MAX_FRAME_SIZE. */
  public void setMaxFrameSize(int maxFrameSize) {
    if (maxFrameSize < Http2FrameReader.DEFAULT_MAX_FRAME_SIZE
        || maxFrameSize > Http2FrameReader.MAX_MAX_FRAME_SIZE) {
      throw new IllegalArgumentException("max frame size outside 16384..16777215: " + maxFrameSize);
    }
    this.maxFrameSize = maxFrameSize;
  }

  public int maxFrameSize() {
    return maxFrameSize;
  }

  public void writeClientPreface() throws IOException {
    if (batching) {
      buffer();
      if (buf.length < batched + CLIENT_PREFACE.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, batched + CLIENT_PREFACE.length));
      }
      System.arraycopy(CLIENT_PREFACE, 0, buf, batched, CLIENT_PREFACE.length);
      batched += CLIENT_PREFACE.length;
    } else {
      out.write(CLIENT_PREFACE);
    }
  }

  /** Writes any open batch, then flushes the stream. */
  public void flush() throws IOException {
    endBatch();
    out.flush();
  }

  /**
   * Starts gathering frames: nothing reaches the stream until {@link #endBatch()} or {@link
   * #flush()}.
   */
  public void beginBatch() {
    batching = true;
  }

  /**
   * Hands the gathered frames (kept ones included) to the stream in one {@code write} and stops
   * gathering.
   */
  public void endBatch() throws IOException {
    batching = false;
    kept = 0;
    if (batched > 0) {
      int n = batched;
      // Emptied before the write: a failed write must not leave the frames to go out later.
      batched = 0;
      try {
        out.write(buf, 0, n);
      } finally {
        giveBack();
      }
    } else {
      giveBack();
    }
  }

  /**
   * Drops the frames gathered since the last {@link #keepBatch()} (all of them if none was kept).
   * Gathering stops unless kept frames remain; they stay in the open batch.
   */
  public void discardBatch() {
    if (kept > 0) {
      batched = kept;
      return;
    }
    batching = false;
    batched = 0;
    giveBack();
  }

  /** Drops every gathered frame, kept ones included, and stops gathering. */
  public void abandonBatch() {
    kept = 0;
    discardBatch();
  }

  /**
   * Marks the frames gathered so far as complete: they survive {@link #discardBatch()} and leave
   * with the next {@link #endBatch()} or {@link #flush()}, ahead of whatever is gathered meanwhile.
   *
   * @throws IllegalStateException when no batch is open
   */
  public void keepBatch() {
    if (!batching) {
      throw new IllegalStateException("no open batch to keep");
    }
    kept = batched;
  }

  /** Bytes gathered in the open batch. */
  public int batchedBytes() {
    return batched;
  }

  /** Bytes of the open batch that {@link #keepBatch()} marked complete and not yet written. */
  public int keptBytes() {
    return kept;
  }

  /**
   * Writes one frame exactly.
   *
   * @throws IllegalArgumentException when its payload exceeds the peer's maximum frame size
   */
  public void write(Http2Frame frame) throws IOException {
    switch (frame) {
      case Http2Frame.Data d -> {
        int padding = d.padding();
        if (padding < 0 && batching) {
          flushFrame(
              put(d.data(), start(d.data().length, Http2Frame.TYPE_DATA, d.flags(), d.streamId())));
        } else if (padding < 0) {
          // The payload may be large: header from the buffer, payload straight from the array.
          checkLength(d.data().length);
          buffer();
          header(0, d.data().length, Http2Frame.TYPE_DATA, d.flags(), d.streamId());
          try {
            out.write(buf, 0, FRAME_HEADER_LENGTH);
            out.write(d.data());
          } finally {
            giveBack();
          }
        } else {
          int length = 1 + d.data().length + padding;
          int p = start(length, Http2Frame.TYPE_DATA, d.flags(), d.streamId());
          buf[p++] = (byte) padding;
          p = put(d.data(), p);
          p = zeros(padding, p);
          flushFrame(p);
        }
      }
      case Http2Frame.Headers h -> {
        int padding = h.padding();
        int length =
            (padding >= 0 ? 1 + padding : 0)
                + (h.priority().isPresent() ? 5 : 0)
                + h.blockFragment().length;
        int p = start(length, Http2Frame.TYPE_HEADERS, h.flags(), h.streamId());
        if (padding >= 0) {
          buf[p++] = (byte) padding;
        }
        if (h.priority().isPresent()) {
          p = priority(h.priority().get(), p);
        }
        p = put(h.blockFragment(), p);
        flushFrame(zeros(Math.max(padding, 0), p));
      }
      case Http2Frame.Priority pr -> {
        int p = start(5, Http2Frame.TYPE_PRIORITY, 0, pr.streamId());
        flushFrame(priority(pr.priority(), p));
      }
      case Http2Frame.RstStream r -> {
        int p = start(4, Http2Frame.TYPE_RST_STREAM, 0, r.streamId());
        flushFrame(int32(r.errorCode(), p));
      }
      case Http2Frame.Settings s -> {
        List<Http2Setting> settings = s.settings();
        int p = start(6 * settings.size(), Http2Frame.TYPE_SETTINGS, s.flags(), 0);
        for (int i = 0, n = settings.size(); i < n; i++) {
          Http2Setting setting = settings.get(i);
          buf[p++] = (byte) (setting.id() >>> 8);
          buf[p++] = (byte) setting.id();
          p = int32((int) setting.value(), p);
        }
        flushFrame(p);
      }
      case Http2Frame.PushPromise pp -> {
        int padding = pp.padding();
        int length = (padding >= 0 ? 1 + padding : 0) + 4 + pp.blockFragment().length;
        int p = start(length, Http2Frame.TYPE_PUSH_PROMISE, pp.flags(), pp.streamId());
        if (padding >= 0) {
          buf[p++] = (byte) padding;
        }
        p = int32(pp.promisedStreamId(), p);
        p = put(pp.blockFragment(), p);
        flushFrame(zeros(Math.max(padding, 0), p));
      }
      case Http2Frame.Ping ping -> {
        int p = start(8, Http2Frame.TYPE_PING, ping.flags(), 0);
        p = int32((int) (ping.opaqueData() >>> 32), p);
        flushFrame(int32((int) ping.opaqueData(), p));
      }
      case Http2Frame.GoAway g -> {
        int p = start(8 + g.debugData().length, Http2Frame.TYPE_GOAWAY, 0, 0);
        p = int32(g.lastStreamId(), p);
        p = int32(g.errorCode(), p);
        flushFrame(put(g.debugData(), p));
      }
      case Http2Frame.WindowUpdate w -> {
        int p = start(4, Http2Frame.TYPE_WINDOW_UPDATE, 0, w.streamId());
        flushFrame(int32(w.increment(), p));
      }
      case Http2Frame.Continuation c -> {
        int p =
            start(c.blockFragment().length, Http2Frame.TYPE_CONTINUATION, c.flags(), c.streamId());
        flushFrame(put(c.blockFragment(), p));
      }
      case Http2Frame.Unknown u -> {
        int p = start(u.payload().length, u.type(), u.flags(), u.streamId());
        flushFrame(put(u.payload(), p));
      }
    }
  }

  /**
   * Writes a complete header block as one HEADERS frame followed by as many CONTINUATION frames as
   * the peer's maximum frame size requires; only the last carries END_HEADERS.
   *
   * @param priority HEADERS priority fields (sent in the HEADERS frame), if any
   */
  public void writeHeaders(
      int streamId, byte[] block, boolean endStream, Optional<Http2Frame.PriorityFields> priority)
      throws IOException {
    int firstCapacity = maxFrameSize - (priority.isPresent() ? 5 : 0);
    int first = Math.min(block.length, firstCapacity);
    boolean endHeaders = first == block.length;
    int flags =
        (endStream ? Http2Frame.FLAG_END_STREAM : 0)
            | (endHeaders ? Http2Frame.FLAG_END_HEADERS : 0)
            | (priority.isPresent() ? Http2Frame.FLAG_PRIORITY : 0);
    int p = start(first + (priority.isPresent() ? 5 : 0), Http2Frame.TYPE_HEADERS, flags, streamId);
    if (priority.isPresent()) {
      p = priority(priority.get(), p);
    }
    p = put(block, 0, first, p);
    flushFrame(p);
    int pos = first;
    while (pos < block.length) {
      int n = Math.min(block.length - pos, maxFrameSize);
      boolean last = pos + n == block.length;
      p = start(n, Http2Frame.TYPE_CONTINUATION, last ? Http2Frame.FLAG_END_HEADERS : 0, streamId);
      flushFrame(put(block, pos, n, p));
      pos += n;
    }
  }

  /** Writes a DATA frame from part of an array (no padding); {@code length} must fit one frame. */
  public void writeData(int streamId, byte[] data, int offset, int length, boolean endStream)
      throws IOException {
    Objects.checkFromIndexSize(offset, length, data.length);
    checkLength(length);
    if (streamId <= 0) {
      throw new IllegalArgumentException("DATA needs a stream: " + streamId);
    }
    int flags = endStream ? Http2Frame.FLAG_END_STREAM : 0;
    if (batching) {
      flushFrame(put(data, offset, length, start(length, Http2Frame.TYPE_DATA, flags, streamId)));
      return;
    }
    buffer();
    header(0, length, Http2Frame.TYPE_DATA, flags, streamId);
    try {
      if (length <= buf.length - FRAME_HEADER_LENGTH) {
        System.arraycopy(data, offset, buf, FRAME_HEADER_LENGTH, length);
        out.write(buf, 0, FRAME_HEADER_LENGTH + length);
      } else {
        out.write(buf, 0, FRAME_HEADER_LENGTH);
        out.write(data, offset, length);
      }
    } finally {
      giveBack();
    }
  }

  public void writeSettings(List<Http2Setting> settings) throws IOException {
    write(new Http2Frame.Settings(false, settings));
  }

  public void writeSettingsAck() throws IOException {
    write(Http2Frame.Settings.ACK);
  }

  public void writeWindowUpdate(int streamId, int increment) throws IOException {
    write(new Http2Frame.WindowUpdate(streamId, increment));
  }

  public void writePing(boolean ack, long opaqueData) throws IOException {
    write(new Http2Frame.Ping(ack, opaqueData));
  }

  public void writeRstStream(int streamId, Http2ErrorCode code) throws IOException {
    write(new Http2Frame.RstStream(streamId, code.code()));
  }

  public void writeGoAway(int lastStreamId, Http2ErrorCode code, byte[] debugData)
      throws IOException {
    write(new Http2Frame.GoAway(lastStreamId, code.code(), debugData));
  }

  private void checkLength(int length) {
    if (length > maxFrameSize) {
      throw new IllegalArgumentException(
          "frame payload of " + length + " bytes exceeds the peer's maximum " + maxFrameSize);
    }
  }

  /**
   * Checks the length, makes room after any batched frames, writes the header; returns the payload
   * position.
   */
  private int start(int length, int type, int flags, int streamId) {
    checkLength(length);
    int need = batched + FRAME_HEADER_LENGTH + length;
    buffer();
    if (buf.length < need) {
      buf = Arrays.copyOf(buf, Math.max(need, batched > 0 ? buf.length * 2 : 0));
    }
    header(batched, length, type, flags, streamId);
    return batched + FRAME_HEADER_LENGTH;
  }

  private void header(int at, int length, int type, int flags, int streamId) {
    buf[at] = (byte) (length >>> 16);
    buf[at + 1] = (byte) (length >>> 8);
    buf[at + 2] = (byte) length;
    buf[at + 3] = (byte) type;
    buf[at + 4] = (byte) flags;
    int32(streamId & 0x7fff_ffff, at + 5);
  }

  private int priority(Http2Frame.PriorityFields priority, int p) {
    p = int32(priority.streamDependency() | (priority.exclusive() ? 0x8000_0000 : 0), p);
    buf[p++] = (byte) (priority.weight() - 1);
    return p;
  }

  private int int32(int v, int p) {
    buf[p] = (byte) (v >>> 24);
    buf[p + 1] = (byte) (v >>> 16);
    buf[p + 2] = (byte) (v >>> 8);
    buf[p + 3] = (byte) v;
    return p + 4;
  }

  private int put(byte[] src, int p) {
    return put(src, 0, src.length, p);
  }

  private int put(byte[] src, int offset, int length, int p) {
    System.arraycopy(src, offset, buf, p, length);
    return p + length;
  }

  private int zeros(int n, int p) {
    Arrays.fill(buf, p, p + n, (byte) 0);
    return p + n;
  }

  private void flushFrame(int end) throws IOException {
    if (batching) {
      batched = end;
    } else {
      try {
        out.write(buf, 0, end);
      } finally {
        giveBack();
      }
    }
  }
}
