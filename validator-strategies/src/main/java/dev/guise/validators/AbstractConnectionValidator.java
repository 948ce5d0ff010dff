package dev.guise.validators;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.ValidationResult;
import dev.guise.api.ValidationResult.Reason;
import dev.guise.api.ValidationTarget;
import dev.guise.api.spi.ConnectionValidator;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * The part every validator shares: a closed connection is unhealthy without any I/O, the time taken
 * is measured, and exceptions become unhealthy results with a reason instead of escaping.
 * Subclasses give their name to the constructor and implement {@link #check}.
 */
public abstract class AbstractConnectionValidator implements ConnectionValidator {
  private final String name;

  /**
   * A validator called {@code name}, the stable name configuration picks it by, such as {@code
   * head-path}.
   */
  protected AbstractConnectionValidator(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final ValidationResult validate(ValidationTarget target, Duration timeout) {
    long start = System.nanoTime();
    if (!appliesTo(target.protocol())) {
      return ValidationResult.unhealthy(
          Reason.NOT_APPLICABLE,
          "'" + name() + "' does not apply to " + target.protocol(),
          elapsed(start));
    }
    if (!target.isOpen()) {
      return ValidationResult.unhealthy(Reason.CLOSED, "connection is closed", elapsed(start));
    }
    try {
      Verdict v = check(target, timeout);
      return v.healthy()
          ? ValidationResult.ok(v.detail(), elapsed(start))
          : ValidationResult.unhealthy(v.reason(), v.detail(), elapsed(start));
    } catch (SocketTimeoutException e) {
      return ValidationResult.unhealthy(
          Reason.TIMEOUT, "no answer within " + timeout.toMillis() + " ms", elapsed(start));
    } catch (ClassifiedIOException e) {
      return ValidationResult.unhealthy(reasonFor(e.kind()), e.getMessage(), elapsed(start));
    } catch (InterruptedIOException e) {
      return ValidationResult.unhealthy(Reason.ERROR, "interrupted", elapsed(start));
    } catch (IOException | UncheckedIOException e) {
      return ValidationResult.unhealthy(
          Reason.ERROR, String.valueOf(e.getMessage()), elapsed(start));
    }
  }

  private static Reason reasonFor(FailureKind kind) {
    return switch (kind) {
      case READ_TIMEOUT, CONNECT_TIMEOUT, DEADLINE_EXCEEDED -> Reason.TIMEOUT;
      case CONNECTION_CLOSED, CONNECTION_RESET, NOT_PROCESSED -> Reason.CLOSED;
      case PROTOCOL_ERROR, RESPONSE_TOO_LARGE -> Reason.PROTOCOL;
      default -> Reason.ERROR;
    };
  }

  private static Duration elapsed(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * Checks an open connection to which this validator applies. May throw I/O exceptions; they are
   * turned into results by the caller.
   */
  protected abstract Verdict check(ValidationTarget target, Duration timeout) throws IOException;

  /** What {@link #check} concluded. */
  protected record Verdict(boolean healthy, Reason reason, String detail) {
    public static Verdict ok(String detail) {
      return new Verdict(true, Reason.OK, detail);
    }

    public static Verdict unhealthy(Reason reason, String detail) {
      return new Verdict(false, reason, detail);
    }
  }
}
