package dev.guise.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@link dev.guise.api.spi.RetryPolicy}'s answer: retry after a delay, or give up with a reason.
 */
public sealed interface RetryDecision {

  /** Retry after {@code delay} (zero for at once). */
  record Retry(Duration delay) implements RetryDecision {
    public Retry {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative: " + delay);
      }
    }
  }

  /** Do not retry; {@code reason} says why, for logs and errors. */
  record GiveUp(String reason) implements RetryDecision {
    public GiveUp {
      Objects.requireNonNull(reason, "reason");
    }
  }

  static RetryDecision retryAfter(Duration delay) {
    return new Retry(delay);
  }

  static RetryDecision giveUp(String reason) {
    return new GiveUp(reason);
  }
}
