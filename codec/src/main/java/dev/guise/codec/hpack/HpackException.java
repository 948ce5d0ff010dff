package dev.guise.codec.hpack;

import dev.guise.api.PoolAction;
import dev.guise.codec.CodecException;

/**
 * A header block could not be decoded. {@link dev.guise.api.FailureKind#PROTOCOL_ERROR} is an
 * HTTP/2 COMPRESSION_ERROR: the decoder's dynamic table may be out of step with the peer's, so the
 * connection must be closed. {@link dev.guise.api.FailureKind#RESPONSE_TOO_LARGE} (the header list
 * limit) leaves the decoder in step (it decoded the whole block, keeping only the table updates),
 * so only the stream fails and the connection can be kept.
 */
public final class HpackException extends CodecException {
  private static final long serialVersionUID = 1L;

  private HpackException(CodecException from) {
    super(from.failure());
  }

  static HpackException compression(String message) {
    return new HpackException(CodecException.protocolError("HPACK: " + message));
  }

  static HpackException headerListTooLarge(long limit) {
    return new HpackException(
        CodecException.tooLarge(
            "HPACK: header list larger than the limit of " + limit + " bytes", PoolAction.KEEP));
  }
}
