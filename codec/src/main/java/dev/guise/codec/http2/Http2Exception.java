package dev.guise.codec.http2;

import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.codec.CodecException;

/**
 * The peer broke an HTTP/2 framing rule. {@link #streamId()} is 0 for a connection error (the
 * connection must be closed with GOAWAY carrying {@link #errorCode()}) and the stream's id for a
 * stream error (RST_STREAM on that stream; the connection may go on).
 */
public final class Http2Exception extends CodecException {
  private static final long serialVersionUID = 1L;

  private final Http2ErrorCode errorCode;
  private final int streamId;

  public Http2Exception(
      FailureKind kind, PoolAction action, Http2ErrorCode errorCode, int streamId, String message) {
    super(kind, action, "HTTP/2 " + errorCode + ": " + message, null);
    this.errorCode = errorCode;
    this.streamId = streamId;
  }

  /** A connection error: PROTOCOL_ERROR kind, connection discarded. */
  public static Http2Exception connectionError(Http2ErrorCode code, String message) {
    return new Http2Exception(
        FailureKind.PROTOCOL_ERROR, PoolAction.DISCARD_CONNECTION, code, 0, message);
  }

  /** A stream error: PROTOCOL_ERROR kind for the stream; the connection stays usable. */
  public static Http2Exception streamError(Http2ErrorCode code, int streamId, String message) {
    return new Http2Exception(FailureKind.PROTOCOL_ERROR, PoolAction.KEEP, code, streamId, message);
  }

  public Http2ErrorCode errorCode() {
    return errorCode;
  }

  /** 0 for a connection error, else the stream in error. */
  public int streamId() {
    return streamId;
  }

  public boolean isConnectionError() {
    return streamId == 0;
  }
}
