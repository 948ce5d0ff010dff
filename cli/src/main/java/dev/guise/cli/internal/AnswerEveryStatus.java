package dev.guise.cli.internal;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.ResponseInfo;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.spi.FailureClassifier;
import java.util.Optional;

/**
 * Takes every response as the answer, whatever its status, as curl does: {@code guise fetch} shows
 * what the site said (a 403 block page, a 503) instead of retrying it and reporting a failure.
 * Exceptions are left to the default classifier, so connection failures are still retried.
 */
final class AnswerEveryStatus implements FailureClassifier {
  @Override
  public String name() {
    return "answer-every-status";
  }

  @Override
  public Optional<ClassifiedFailure> classify(Throwable error, TlsEndpoint endpoint) {
    return Optional.empty();
  }

  @Override
  public ResponseVerdict classify(ResponseInfo response) {
    return ResponseVerdict.accept();
  }
}
