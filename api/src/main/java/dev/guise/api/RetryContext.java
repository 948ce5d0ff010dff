package dev.guise.api;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link dev.guise.api.spi.RetryPolicy} decides on.
 *
 * @param attempt the attempt that just failed, counting from 1
 * @param failure how it failed
 * @param timeLeft time left before the request's deadline (never negative)
 * @param idempotent whether the request may be sent twice (GET, HEAD, PUT, DELETE, OPTIONS, or
 *     marked so by the caller)
 */
public record RetryContext(
    int attempt, ClassifiedFailure failure, Duration timeLeft, boolean idempotent) {
  public RetryContext {
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(timeLeft, "timeLeft");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt counts from 1: " + attempt);
    }
    if (timeLeft.isNegative()) {
      timeLeft = Duration.ZERO;
    }
  }
}
