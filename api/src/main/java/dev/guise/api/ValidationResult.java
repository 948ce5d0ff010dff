package dev.guise.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A validator's verdict on one connection.
 *
 * @param healthy whether the connection may go back to the pool
 * @param reason why, in one of a few kinds
 * @param detail a short human-readable explanation (the status seen, the exception message)
 * @param elapsed how long the check took
 */
public record ValidationResult(boolean healthy, Reason reason, String detail, Duration elapsed) {

  /** Why a connection was judged healthy or not. */
  public enum Reason {
    /** The check passed. */
    OK,
    /** The response status was outside the accepted range. */
    STATUS,
    /** The peer did not answer within the validation timeout. */
    TIMEOUT,
    /** The connection is closed, half-closed, past its lifetime, or the peer sent GOAWAY. */
    CLOSED,
    /** The peer broke the protocol while answering. */
    PROTOCOL,
    /** The check does not apply to this connection (for example PING on HTTP/1.1). */
    NOT_APPLICABLE,
    /** Any other I/O failure. */
    ERROR
  }

  public ValidationResult {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(elapsed, "elapsed");
    if (healthy != (reason == Reason.OK)) {
      throw new IllegalArgumentException(
          "healthy must go with reason OK, and only with it: " + reason);
    }
  }

  public static ValidationResult ok(String detail, Duration elapsed) {
    return new ValidationResult(true, Reason.OK, detail, elapsed);
  }

  public static ValidationResult unhealthy(Reason reason, String detail, Duration elapsed) {
    return new ValidationResult(false, reason, detail, elapsed);
  }
}
