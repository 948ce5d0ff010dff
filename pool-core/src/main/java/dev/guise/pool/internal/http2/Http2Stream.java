package dev.guise.pool.internal.http2;

import dev.guise.api.Header;
import dev.guise.codec.http2.FlowWindow;
import dev.guise.codec.http2.Http2ErrorCode;
import dev.guise.codec.http2.Http2StreamState;
import dev.guise.codec.http2.ReceiveWindow;
import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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

  /** 0 until the stream is opened (under the write lock, so ids go out in order). */
  int id;

  Http2StreamState state;
  FlowWindow sendWindow;
  ReceiveWindow receiveWindow;

  int status;

  /** The final response's header fields; null until they arrive. */
  List<Header> headers;

  List<Header> trailers = List.of();
  final ByteArrayOutputStream body = new ByteArrayOutputStream();

  /**
   * The response is complete and checked. Not the same as the state's END_STREAM: a response whose
   * END_STREAM arrived but failed its checks is a connection error, not an answer.
   */
  boolean responded;

  /** The body reached the limit with truncation on: the exchange has what it wants. */
  boolean truncated;

  IOException failure;

  /** An RST_STREAM decided under the state lock, written once the lock is released. */
  private Http2ErrorCode pendingReset;

  Http2Stream(ExchangeLimits limits, boolean head, Condition changed) {
    this.limits = limits;
    this.head = head;
    this.maxRawBody = Math.min(Integer.MAX_VALUE - 16, limits.maxBodyBytes() + 64 * 1024);
    this.changed = changed;
  }

  /** Takes its id and windows as its HEADERS are about to be written. */
  void open(int streamId, FlowWindow send, ReceiveWindow receive, boolean endStream) {
    this.id = streamId;
    this.state = new Http2StreamState(streamId);
    this.sendWindow = send;
    this.receiveWindow = receive;
    state.sendHeaders(endStream);
  }

  /** The exchange waits no more: the response is complete, truncated, or failed. */
  boolean done() {
    return responded || truncated || failure != null;
  }

  /** Whether the exchange still wants the server's frames (it did not fail or stop reading). */
  boolean wantsFrames() {
    return failure == null && !truncated;
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
