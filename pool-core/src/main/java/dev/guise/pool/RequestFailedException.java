package dev.guise.pool;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.ClassifiedIOException;
import java.util.List;

/**
 * A request that ended without a response the caller can use, after all the attempts its retry
 * policy allowed. {@link #failure()} is the last attempt's classification; earlier attempts'
 * failures are in {@link #attemptFailures()} (oldest first) and as suppressed exceptions.
 */
public final class RequestFailedException extends ClassifiedIOException {
  private static final long serialVersionUID = 1L;

  private final transient List<ClassifiedFailure> attemptFailures;
  private final String reason;

  RequestFailedException(List<ClassifiedFailure> attemptFailures, String reason) {
    super(
        withReason(
            attemptFailures.get(attemptFailures.size() - 1), attemptFailures.size(), reason));
    this.attemptFailures = List.copyOf(attemptFailures);
    this.reason = reason;
    for (int i = 0; i < attemptFailures.size() - 1; i++) {
      attemptFailures.get(i).cause().ifPresent(this::addSuppressed);
    }
  }

  private static ClassifiedFailure withReason(ClassifiedFailure last, int attempts, String reason) {
    String message =
        last.message()
            + " ["
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + (reason.isEmpty() ? "" : "; " + reason)
            + "]";
    return new ClassifiedFailure(
        last.kind(),
        last.retryable(),
        last.action(),
        last.status(),
        last.retryAfter(),
        message,
        last.cause());
  }

  /** How many attempts were made. */
  public int attempts() {
    return attemptFailures.size();
  }

  /** Every attempt's failure, oldest first. */
  public List<ClassifiedFailure> attemptFailures() {
    return attemptFailures;
  }

  /** Why no further attempt was made (the retry policy's reason, "not idempotent", ...). */
  public String reason() {
    return reason;
  }
}
