package dev.guise.codec;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;

/**
 * A wire-format failure found by one of the codecs: the peer broke a rule ({@link
 * FailureKind#PROTOCOL_ERROR}) or sent more than a configured limit ({@link
 * FailureKind#RESPONSE_TOO_LARGE}).
 *
 * <p>Protocol errors are never retryable on their own and discard the connection: after one the
 * parser's view of the byte stream can no longer be trusted.
 */
public class CodecException extends ClassifiedIOException {
  private static final long serialVersionUID = 1L;

  public CodecException(ClassifiedFailure failure) {
    super(failure);
  }

  public CodecException(FailureKind kind, PoolAction action, String message, Throwable cause) {
    super(kind, false, action, message, cause);
  }

  /** The peer broke a rule of the format; the connection must not be used again. */
  public static CodecException protocolError(String message) {
    return new CodecException(
        FailureKind.PROTOCOL_ERROR, PoolAction.DISCARD_CONNECTION, message, null);
  }

  /** Like {@link #protocolError(String)}, with the exception that revealed it. */
  public static CodecException protocolError(String message, Throwable cause) {
    return new CodecException(
        FailureKind.PROTOCOL_ERROR, PoolAction.DISCARD_CONNECTION, message, cause);
  }

  /**
   * The peer sent more than a configured limit allows.
   *
   * @param action whether the connection can still be used ({@link PoolAction#KEEP} only when the
   *     codec stayed in step with the byte stream)
   */
  public static CodecException tooLarge(String message, PoolAction action) {
    return new CodecException(FailureKind.RESPONSE_TOO_LARGE, action, message, null);
  }
}
