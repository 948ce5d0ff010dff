package com.example.guise.customretry;

import dev.guise.api.FailureKind;
import dev.guise.api.RetryContext;
import dev.guise.api.RetryDecision;
import dev.guise.api.spi.ProviderOptions;
import dev.guise.api.spi.RetryPolicy;
import java.time.Duration;
import java.util.Map;

/**
 * Retries after the same delay every time, and never retries a ban: a site that blocked one IP
 * tends to block the next one too when asked again at once, so this policy leaves bans alone.
 *
 * <p>Named {@code fixed-delay}. Options: {@code delay}, a duration such as {@code 250ms}, {@code
 * 2s} or {@code PT1S}, where a bare number is milliseconds (default 500ms), and {@code
 * max-retries}, 0 to 100 (default 2).
 */
public final class FixedDelayRetryPolicy implements RetryPolicy {
  private final Duration delay;
  private final int maxRetries;

  /** ServiceLoader needs a public no-argument constructor: the defaults. */
  public FixedDelayRetryPolicy() {
    this(Duration.ofMillis(500), 2);
  }

  public FixedDelayRetryPolicy(Duration delay, int maxRetries) {
    this.delay = delay;
    this.maxRetries = maxRetries;
  }

  @Override
  public String name() {
    return "fixed-delay";
  }

  @Override
  public RetryDecision decide(RetryContext context) {
    if (context.failure().kind() == FailureKind.IP_BLOCKED) {
      return RetryDecision.giveUp("fixed-delay does not retry bans");
    }
    if (context.attempt() > maxRetries) {
      return RetryDecision.giveUp("gave up after " + context.attempt() + " attempts");
    }
    Duration wait =
        context.failure().retryAfter().filter(d -> d.compareTo(delay) > 0).orElse(delay);
    if (wait.compareTo(context.timeLeft()) >= 0) {
      return RetryDecision.giveUp("no time left for another attempt");
    }
    return RetryDecision.retryAfter(wait);
  }

  @Override
  public RetryPolicy withOptions(Map<String, String> options) {
    // ProviderOptions rejects unknown options and bad values with errors that name this policy,
    // the option and what is accepted, in the duration syntax every Guise provider speaks.
    ProviderOptions o = ProviderOptions.read(name(), options, "delay", "max-retries");
    return new FixedDelayRetryPolicy(
        o.getDuration("delay", delay), o.getInt("max-retries", maxRetries, 0, 100));
  }

  /** The delay between attempts. */
  public Duration delay() {
    return delay;
  }
}
