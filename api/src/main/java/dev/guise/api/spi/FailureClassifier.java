package dev.guise.api.spi;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.ResponseInfo;
import dev.guise.api.TlsEndpoint;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Puts failures into Guise's taxonomy: an exception, or a response the site sent instead of what
 * was asked (a block page, a rate limit).
 *
 * <p>Classifiers chain: the pool asks each configured classifier in order and takes the first
 * opinion; Guise's default classifier comes last and always has one. A custom classifier therefore
 * only needs to know its site's peculiarities (a 200 that is really a captcha page, a 403 that is
 * not a ban) and defers on everything else.
 *
 * <p>Implementations are shared by every request of a pool: they must be thread-safe and must not
 * block.
 */
public interface FailureClassifier {

  /** The stable name configuration uses to pick this classifier, such as {@code default}. */
  String name();

  /**
   * Classifies an exception thrown while connecting, sending or receiving.
   *
   * @param error the exception (a {@link dev.guise.api.ClassifiedIOException} may already carry a
   *     classification)
   * @param endpoint where it happened
   * @return the classification, or empty to defer to the next classifier
   */
  Optional<ClassifiedFailure> classify(Throwable error, TlsEndpoint endpoint);

  /**
   * Classifies a response head.
   *
   * @return {@link ResponseVerdict#accept()} for a response to hand to the caller, {@link
   *     ResponseVerdict#fail} for a failure, or {@link ResponseVerdict#defer()} to let the next
   *     classifier decide
   */
  ResponseVerdict classify(ResponseInfo response);

  /**
   * A classifier with the same behaviour configured with {@code options}. The default accepts none.
   *
   * @throws IllegalArgumentException naming an unknown option or an invalid value (an {@link
   *     InvalidOptionException} when read with {@link ProviderOptions}, as they should be)
   */
  default FailureClassifier withOptions(Map<String, String> options) {
    ProviderOptions.read(name(), options);
    return this;
  }

  /**
   * A classifier that asks each of {@code classifiers} in order and returns the first opinion. The
   * chain defers only when every member defers.
   */
  static FailureClassifier chain(List<? extends FailureClassifier> classifiers) {
    List<FailureClassifier> members = List.copyOf(classifiers);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a chain needs at least one classifier");
    }
    return new FailureClassifier() {
      @Override
      public String name() {
        return String.join(">", members.stream().map(FailureClassifier::name).toList());
      }

      @Override
      public Optional<ClassifiedFailure> classify(Throwable error, TlsEndpoint endpoint) {
        for (FailureClassifier c : members) {
          Optional<ClassifiedFailure> f = c.classify(error, endpoint);
          if (f.isPresent()) {
            return f;
          }
        }
        return Optional.empty();
      }

      @Override
      public ResponseVerdict classify(ResponseInfo response) {
        for (FailureClassifier c : members) {
          ResponseVerdict v = c.classify(response);
          if (!(v instanceof ResponseVerdict.Defer)) {
            return v;
          }
        }
        return ResponseVerdict.defer();
      }
    };
  }

  /** A classifier's opinion of a response. */
  sealed interface ResponseVerdict {
    /** The response is what the caller asked for (whatever its status); hand it over. */
    record Accept() implements ResponseVerdict {}

    /** The response is a failure. */
    record Fail(ClassifiedFailure failure) implements ResponseVerdict {
      public Fail {
        Objects.requireNonNull(failure, "failure");
      }
    }

    /** No opinion; ask the next classifier. */
    record Defer() implements ResponseVerdict {}

    static ResponseVerdict accept() {
      return new Accept();
    }

    static ResponseVerdict fail(ClassifiedFailure failure) {
      return new Fail(failure);
    }

    static ResponseVerdict defer() {
      return new Defer();
    }
  }
}
