package dev.guise.pool.internal.exchange;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;

/** The classified exceptions the HTTP connections throw, in one place so their handling agrees. */
public final class HttpFailures {
  private HttpFailures() {}

  /** The peer broke the protocol: the connection is out of step and must go. */
  public static ClassifiedIOException protocol(String message) {
    return new ClassifiedIOException(
        FailureKind.PROTOCOL_ERROR, false, PoolAction.DISCARD_CONNECTION, message, null);
  }

  /** Like {@link #protocol(String)}, caused by {@code cause}. */
  public static ClassifiedIOException protocol(String message, Throwable cause) {
    return new ClassifiedIOException(
        FailureKind.PROTOCOL_ERROR, false, PoolAction.DISCARD_CONNECTION, message, cause);
  }

  /** The server provably did not process the request: safe to retry elsewhere, any method. */
  public static ClassifiedIOException notProcessed(String message) {
    return new ClassifiedIOException(
        FailureKind.NOT_PROCESSED, true, PoolAction.DISCARD_CONNECTION, message, null);
  }

  /** As {@link #notProcessed(String)}, for a refusal that leaves the connection as it was. */
  public static ClassifiedIOException notProcessed(String message, PoolAction action) {
    return new ClassifiedIOException(FailureKind.NOT_PROCESSED, true, action, message, null);
  }

  /** More than a limit allows; {@code action} says whether the connection stayed in step. */
  public static ClassifiedIOException tooLarge(String message, PoolAction action) {
    return new ClassifiedIOException(FailureKind.RESPONSE_TOO_LARGE, false, action, message, null);
  }

  /**
   * The connection was closed (by us or the peer) while the exchange was running. Retryable: a
   * server closing a kept-alive connection is the ordinary fate of a pooled connection, and another
   * connection will do; whether the request may be sent again is the client's check (idempotence).
   */
  public static ClassifiedIOException closed(String message, Throwable cause) {
    return new ClassifiedIOException(
        FailureKind.CONNECTION_CLOSED, true, PoolAction.DISCARD_CONNECTION, message, cause);
  }

  /** Waiting for the response took longer than the exchange's deadline allowed. */
  public static ClassifiedIOException readTimeout(String message) {
    return new ClassifiedIOException(
        FailureKind.READ_TIMEOUT, true, PoolAction.DISCARD_CONNECTION, message, null);
  }

  /** The deadline passed before the request was (fully) sent. */
  public static ClassifiedIOException deadline(String message) {
    return new ClassifiedIOException(
        FailureKind.DEADLINE_EXCEEDED, true, PoolAction.DISCARD_CONNECTION, message, null);
  }

  /** The connection broke (reset) while in use. */
  public static ClassifiedIOException reset(String message, Throwable cause) {
    return new ClassifiedIOException(
        FailureKind.CONNECTION_RESET, true, PoolAction.DISCARD_CONNECTION, message, cause);
  }

  /** The caller was interrupted. */
  public static ClassifiedIOException cancelled(String message) {
    return new ClassifiedIOException(
        FailureKind.CANCELLED, false, PoolAction.DISCARD_CONNECTION, message, null);
  }

  /** Nanoseconds left until {@code deadlineNanos}, at most zero when passed. */
  public static long remaining(long deadlineNanos) {
    return deadlineNanos - System.nanoTime();
  }
}
