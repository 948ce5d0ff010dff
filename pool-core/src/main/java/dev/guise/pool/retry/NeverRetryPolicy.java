package dev.guise.pool.retry;

import dev.guise.api.RetryContext;
import dev.guise.api.RetryDecision;
import dev.guise.api.spi.RetryPolicy;

/** Never retries. Named {@code never}. */
public final class NeverRetryPolicy implements RetryPolicy {
  public static final String NAME = "never";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RetryDecision decide(RetryContext context) {
    return RetryDecision.giveUp("retries are disabled (policy 'never')");
  }

  @Override
  public String toString() {
    return NAME;
  }
}
