package dev.guise.api;

import java.io.IOException;
import java.util.Objects;

/**
 * An I/O failure that already knows its classification. Engines, codecs and the pool throw it where
 * they know better than a generic mapping of JDK exceptions would (a rejected certificate, an
 * HTTP/2 GOAWAY above the last processed stream, a body over the limit); the default {@link
 * dev.guise.api.spi.FailureClassifier} returns its {@link #failure()} unchanged.
 */
public class ClassifiedIOException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient ClassifiedFailure failure;

  public ClassifiedIOException(ClassifiedFailure failure) {
    super(Objects.requireNonNull(failure, "failure").toString(), failure.cause().orElse(null));
    this.failure = failure;
  }

  /** A classified exception of {@code kind} with the kind's usual handling. */
  public ClassifiedIOException(
      FailureKind kind, boolean retryable, PoolAction action, String message, Throwable cause) {
    this(ClassifiedFailure.of(kind, retryable, action, message, cause));
  }

  /** The classification. */
  public ClassifiedFailure failure() {
    return failure;
  }

  /** Shorthand for {@code failure().kind()}. */
  public FailureKind kind() {
    return failure.kind();
  }
}
