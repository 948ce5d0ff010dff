package dev.guise.pool.retry;

import dev.guise.api.RetryContext;
import dev.guise.api.RetryDecision;
import java.time.Duration;

/** The rules every built-in policy applies to the delay it computed. */
final class RetryDelays {
  private RetryDelays() {}

  /**
   * Raises {@code delay} to the server's Retry-After, and gives up if it would pass the deadline.
   */
  static RetryDecision withinDeadline(Duration delay, RetryContext context) {
    Duration d = delay;
    Duration asked = context.failure().retryAfter().orElse(Duration.ZERO);
    if (asked.compareTo(d) > 0) {
      d = asked;
    }
    if (d.compareTo(context.timeLeft()) >= 0) {
      return RetryDecision.giveUp(
          "a retry after "
              + d.toMillis()
              + " ms would pass the deadline ("
              + context.timeLeft().toMillis()
              + " ms left)");
    }
    return RetryDecision.retryAfter(d);
  }
}
