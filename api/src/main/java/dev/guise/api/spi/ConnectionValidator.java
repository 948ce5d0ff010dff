package dev.guise.api.spi;

import dev.guise.api.HttpProtocol;
import dev.guise.api.ValidationResult;
import dev.guise.api.ValidationTarget;
import java.time.Duration;
import java.util.Map;

/**
 * Checks that a pooled connection is still fit to carry requests: after it is opened, before it is
 * reused after a long idle time, and on each health-check round.
 *
 * <p>Contract: {@link #validate} returns within {@code timeout} (plus scheduling slack), never
 * throws for I/O failures (it reports them as an unhealthy result with a reason), and leaves no
 * half-read response on the connection. The pool closes connections judged unhealthy.
 *
 * <p>Implementations are shared by every connection of a pool: they must be thread-safe. They may
 * block (validation runs on virtual threads).
 */
public interface ConnectionValidator {

  /** The stable name configuration uses to pick this validator, such as {@code head-path}. */
  String name();

  /** Checks {@code target}, taking at most {@code timeout}. */
  ValidationResult validate(ValidationTarget target, Duration timeout);

  /**
   * Whether this validator can check connections speaking {@code protocol}. For one that cannot,
   * {@link #validate} returns {@link ValidationResult.Reason#NOT_APPLICABLE}.
   */
  default boolean appliesTo(HttpProtocol protocol) {
    return true;
  }

  /**
   * A validator of the same kind configured with {@code options} (for example {@code
   * path=/health}). The default accepts none.
   *
   * @throws IllegalArgumentException naming an unknown option or an invalid value (an {@link
   *     InvalidOptionException} when read with {@link ProviderOptions}, as they should be)
   */
  default ConnectionValidator withOptions(Map<String, String> options) {
    ProviderOptions.read(name(), options);
    return this;
  }
}
