package dev.guise.api.spi;

import dev.guise.api.RetryContext;
import dev.guise.api.RetryDecision;
import java.util.Map;

/**
 * Decides whether a failed attempt is tried again, and after what delay.
 *
 * <p>The client consults the policy only for failures its {@link FailureClassifier} marked
 * retryable, and only where a retry is safe (an idempotent request, or one the server provably did
 * not process). The policy therefore decides <em>when</em> and <em>how often</em>, not <em>whether
 * it is safe</em>. The client also never waits past the request's deadline: a delay longer than
 * {@link RetryContext#timeLeft()} ends the request with the last failure.
 *
 * <p>A server's {@code Retry-After} arrives as {@code context.failure().retryAfter()}; policies
 * should wait at least that long.
 *
 * <p>Implementations are shared by every request of a pool: they must be thread-safe, and {@link
 * #decide} must not block.
 */
public interface RetryPolicy {

  /** The stable name configuration uses to pick this policy, such as {@code exponential}. */
  String name();

  /** Whether and when to try again after the failure in {@code context}. */
  RetryDecision decide(RetryContext context);

  /**
   * A policy of the same kind configured with {@code options} (for example {@code base=500ms}). The
   * default accepts no options.
   *
   * @throws IllegalArgumentException naming an unknown option or an invalid value (an {@link
   *     InvalidOptionException} when read with {@link ProviderOptions}, as they should be)
   */
  default RetryPolicy withOptions(Map<String, String> options) {
    ProviderOptions.read(name(), options);
    return this;
  }
}
