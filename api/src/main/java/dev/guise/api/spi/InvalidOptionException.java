package dev.guise.api.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * A provider's options cannot be used: an option it does not know, a required one missing, a value
 * of the wrong type or out of range, or options text that is not {@code key=value,...}.
 *
 * <p>The message names the provider, the option, the value and what is accepted, so it can be shown
 * to whoever wrote the configuration as it is; the parts are also available one by one for tools
 * that report them differently. It is an {@link IllegalArgumentException}, as the SPIs' {@code
 * withOptions} methods promise.
 *
 * @see ProviderOptions
 */
public final class InvalidOptionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the options. */
  public enum Problem {
    /** The provider has no option of that name; {@link #accepted()} lists the ones it has. */
    UNKNOWN_OPTION,
    /** The provider needs the option and it was not given. */
    MISSING_OPTION,
    /** The value is not of the option's type or lies outside its range. */
    BAD_VALUE,
    /** The options text is not {@code key=value,...}: a pair without {@code =}, a key twice. */
    MALFORMED
  }

  private final Problem problem;
  private final String provider;
  private final String option;
  private final String value;
  private final String accepted;

  /**
   * An error about one option of one provider.
   *
   * @param problem what is wrong
   * @param provider the provider's name, such as {@code exponential}
   * @param option the option's name, such as {@code base}
   * @param value the value given, or null when none was (an option missing)
   * @param accepted what would have been accepted, in words, such as {@code a duration such as 2s}
   * @param cause why the value was rejected, or null
   */
  public InvalidOptionException(
      Problem problem,
      String provider,
      String option,
      String value,
      String accepted,
      Throwable cause) {
    super(message(problem, provider, option, value, accepted), cause);
    this.problem = Objects.requireNonNull(problem, "problem");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.option = Objects.requireNonNull(option, "option");
    this.value = value;
    this.accepted = Objects.requireNonNull(accepted, "accepted");
  }

  private static String message(
      Problem problem, String provider, String option, String value, String accepted) {
    String who = "'" + provider + "'";
    return switch (problem) {
      case UNKNOWN_OPTION -> who + " has no option '" + option + "'; " + accepted;
      case MISSING_OPTION -> who + " needs the option '" + option + "': " + accepted;
      case BAD_VALUE ->
          who + " option '" + option + "' = '" + value + "' is not valid; expected " + accepted;
      case MALFORMED ->
          who + " options '" + value + "' are malformed at '" + option + "': " + accepted;
    };
  }

  /** What is wrong. */
  public Problem problem() {
    return problem;
  }

  /** The provider whose options these are. */
  public String provider() {
    return provider;
  }

  /** The option at fault (for {@link Problem#MALFORMED}, the piece of text at fault). */
  public String option() {
    return option;
  }

  /** The value given; empty when the option was missing. */
  public Optional<String> value() {
    return Optional.ofNullable(value);
  }

  /** What is accepted, in words (for an unknown option, the options the provider knows). */
  public String accepted() {
    return accepted;
  }
}
