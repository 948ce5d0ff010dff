package dev.guise.pool.internal.http2;

import dev.guise.api.Header;
import dev.guise.codec.http2.FlowWindow;
import dev.guise.codec.http2.Http2ErrorCode;
import dev.guise.codec.http2.Http2StreamState;
import dev.guise.codec.http2.ReceiveWindow;
import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import dev.guise.pool.internal.exchange.ResponseBodies;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.Condition;

/**
 * One exchange's stream: its protocol state, its two flow windows, the response as it arrives, and
 * the condition its caller waits on.
 *
 * <p>Every field is guarded by the session's state lock, and {@link #changed} belongs to that lock.
 * The caller's thread opens the stream and reads the result; the reader thread fills in the
 * response, and either may fail it (rules in {@code docs/concurrency.md}, "The HTTP/2 session").
 */
final class Http2Stream {
  final ExchangeLimits limits;
  final boolean head;

  /**
   * The raw (possibly compressed) body is bounded too: compression never makes data much larger, so
   * a little slack above the decoded limit is enough for any honest server.
   */
  final long maxRawBody;

  final Condition changed;

  /**
   * The caller reads the body as it arrives ({@link Http2BodyStream}), and the stream's window is
   * given back only as the caller takes bytes, so a slow reader stops the server instead of filling
   * memory. Otherwise the exchange decodes the whole body once it is complete.
   */
  final boolean streaming;

  /**
   * DATA payloads, oldest first, each the array the frame reader made for that frame alone, kept as
   * it is: streaming, those the caller has not read yet; buffered, the whole raw body so far, which
   * the decoder then reads in place (no copy into one array first).
   */
  final ArrayDeque<byte[]> chunks = new ArrayDeque<>();

  /**
   * Bytes in {@link #chunks}; streaming, less what the caller took of the first. Buffered, the raw
   * body's size (which a truncated body stops short of {@link #received}).
   */
  long buffered;

  /**
   * Buffered: payloads under this size are copied together into {@link #tail} rather than kept one
   * array each, so a server sending a body in tiny DATA frames costs array headers per 16 KiB, not
   * per frame (1-byte frames would otherwise hold some 25 bytes per body byte).
   */
  private static final int SMALL_PAYLOAD = 4096;

  private static final int TAIL_SIZE = 16 * 1024;

  /** The gathering array's first size; it doubles up to {@link #TAIL_SIZE}. */
  private static final int FIRST_TAIL = 1024;

  /** Buffered: small payloads gathered since the last chunk, {@link #tailLength} bytes of it. */
  private byte[] tail;

  private int tailLength;

  /** Streaming: the caller took this much of the first chunk. */
  int firstChunkOffset;

  /** Streaming: the caller closed the body before its end; frames still arriving are dropped. */
  boolean abandoned;

  /** Raw body bytes received, in both modes (the content-length check counts them). */
  long received;

  /** What our SETTINGS and WINDOW_UPDATEs let the server send on this stream. */
  long receiveTarget;

  /** 0 until the stream is opened (under the write lock, so ids go out in order). */
  int id;

  /** The urgency of its request's {@code priority} header ({@link UrgencyChain#urgency}). */
  int urgency = UrgencyChain.DEFAULT_URGENCY;

  /** The stream its HEADERS priority block depends on (0: the root). */
  int dependsOn;

  Http2StreamState state;
  FlowWindow sendWindow;
  ReceiveWindow receiveWindow;

  int status;

  /** The final response's header fields; null until they arrive. */
  List<Header> headers;

  List<Header> trailers = List.of();

  /**
   * The response is complete and checked. Not the same as the state's END_STREAM: a response whose
   * END_STREAM arrived but failed its checks is a connection error, not an answer.
   */
  boolean responded;

  /** The body reached the limit with truncation on: the exchange has what it wants. */
  boolean truncated;

  /** Interim (1xx) responses received so far; bounded by {@link Http2Messages#MAX_INTERIM}. */
  int interimResponses;

  IOException failure;

  /** An RST_STREAM decided under the state lock, written once the lock is released. */
  private Http2ErrorCode pendingReset;

  Http2Stream(ExchangeLimits limits, boolean head, Condition changed) {
    this(limits, head, changed, false);
  }

  Http2Stream(ExchangeLimits limits, boolean head, Condition changed, boolean streaming) {
    this.limits = limits;
    this.head = head;
    long raw = limits.maxBodyBytes() + ResponseBodies.RAW_SLACK;
    // A buffered body is one array; a streamed one is never held whole.
    this.maxRawBody = streaming ? raw : Math.min(Integer.MAX_VALUE - 16, raw);
    this.changed = changed;
    this.streaming = streaming;
  }

  /** Takes its id and windows as its HEADERS are about to be written. */
  void open(
      int streamId, FlowWindow send, ReceiveWindow receive, long receiveTarget, boolean endStream) {
    this.id = streamId;
    this.receiveTarget = receiveTarget;
    this.state = new Http2StreamState(streamId);
    this.sendWindow = send;
    this.receiveWindow = receive;
    state.sendHeaders(endStream);
  }

  /**
   * Buffered: keeps {@code length} bytes of a payload as part of the raw body. Under lock. A
   * payload the frame reader made for this frame alone is kept as it is when it is large, or when
   * it is the body's first (most small responses are one DATA frame: no copy, no gathering array);
   * later small ones are gathered.
   */
  void keepBody(byte[] data, int length) {
    buffered += length;
    boolean whole = length == data.length;
    if (whole && (length >= SMALL_PAYLOAD || tail == null && chunks.isEmpty())) {
      endTail();
      chunks.add(data);
      return;
    }
    for (int off = 0; off < length; ) {
      if (tail == null) {
        // Sized to what has come, not to TAIL_SIZE: zeroing 16 KiB for a 64-byte body was a tenth
        // of a one-caller request's CPU. It doubles as more comes.
        tail = new byte[Math.min(TAIL_SIZE, Math.max(FIRST_TAIL, length - off))];
        tailLength = 0;
      } else if (tailLength == tail.length) {
        tail = Arrays.copyOf(tail, Math.min(TAIL_SIZE, tail.length * 2));
      }
      int n = Math.min(length - off, tail.length - tailLength);
      System.arraycopy(data, off, tail, tailLength, n);
      tailLength += n;
      off += n;
      if (tailLength == TAIL_SIZE) {
        chunks.add(tail);
        tail = null;
      }
    }
  }

  /** Buffered: the whole raw body, in order, once it is complete (nothing is added after). */
  ArrayDeque<byte[]> bodyChunks() {
    endTail();
    return chunks;
  }

  private void endTail() {
    if (tail != null) {
      chunks.add(tailLength == tail.length ? tail : Arrays.copyOf(tail, tailLength));
      tail = null;
    }
  }

  /** The exchange waits no more: the response is complete, truncated, or failed. */
  boolean done() {
    return responded || truncated || failure != null;
  }

  /** Whether the exchange still wants the server's frames (it did not fail or stop reading). */
  boolean wantsFrames() {
    return failure == null && !truncated && !abandoned;
  }

  /** Whether the caller may read the body: the head is here, or the exchange is over. */
  boolean headReady() {
    return headers != null || done();
  }

  /**
   * Streaming: the stream WINDOW_UPDATE increment due now, or 0. Credit goes back only while the
   * caller has read all but half a window of what arrived: the server may then send at most one
   * more window, so at most 1.5 windows are ever buffered, however fast it sends.
   */
  int streamingUpdateDue() {
    return buffered <= receiveTarget / 2 ? receiveWindow.updateDue() : 0;
  }

  /** The response is complete: wakes the caller. */
  void complete() {
    responded = true;
    changed.signalAll();
  }

  /** Wakes the caller: the exchange has all it wants (see {@link #truncated}). */
  void wake() {
    changed.signalAll();
  }

  /** Fails the exchange with its first failure and wakes the caller. */
  void fail(IOException f) {
    if (failure == null) {
      failure = f;
    }
    changed.signalAll();
  }

  /** Records an RST_STREAM to send once the state lock is released, unless the stream is closed. */
  void resetLater(Http2ErrorCode code) {
    if (state != null && state.sendReset()) {
      pendingReset = code;
    }
  }

  /** The RST_STREAM code recorded by {@link #resetLater}, once; null when there is none. */
  Http2ErrorCode takePendingReset() {
    Http2ErrorCode code = pendingReset;
    pendingReset = null;
    return code;
  }
}
