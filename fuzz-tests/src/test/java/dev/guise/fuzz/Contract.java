package dev.guise.fuzz;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * The contract every parser of peer bytes keeps, checked by each fuzz target: an input either
 * parses or fails with a {@link ClassifiedIOException} of an expected kind. Any other exception (an
 * {@code ArrayIndexOutOfBoundsException}, an unclassified {@code IOException}, an {@code
 * OutOfMemoryError}) escapes the target, and Jazzer reports it as a finding; a hang is caught by
 * Jazzer's per-input timeout when fuzzing and by surefire's when replaying.
 */
final class Contract {
  private Contract() {}

  /** What a parser may say about bytes it does not like. */
  static final Set<FailureKind> MALFORMED_INPUT =
      Set.of(
          FailureKind.PROTOCOL_ERROR,
          FailureKind.RESPONSE_TOO_LARGE,
          FailureKind.CONNECTION_CLOSED);

  @FunctionalInterface
  interface Parse {
    void run() throws IOException;
  }

  /** Runs {@code parse}; a classified failure of an allowed kind is fine, anything else escapes. */
  static void parsesOrFailsClassified(Parse parse, Set<FailureKind> allowed) throws IOException {
    try {
      parse.run();
    } catch (ClassifiedIOException e) {
      if (!allowed.contains(e.kind())) {
        throw new AssertionError("classified as " + e.kind() + ", expected one of " + allowed, e);
      }
    }
  }

  /** Reads {@code in} to its end, keeping nothing; returns how many bytes it gave. */
  static long drain(InputStream in, long max) throws IOException {
    byte[] scratch = new byte[4096];
    long total = 0;
    for (int n; (n = in.read(scratch)) >= 0; ) {
      total += n;
      if (total > max) {
        throw new AssertionError("stream yielded more than its limit of " + max + " bytes");
      }
    }
    return total;
  }
}
