package dev.guise.cli.internal;

/**
 * Ends a command with a one-line message on stderr and an exit code: 2 for usage errors (the
 * message then points at {@code --help}), 3 for a classified request failure, 1 otherwise.
 */
public class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int REQUEST_FAILED = 3;

  private final int exitCode;

  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public CliException(int exitCode, String message) {
    this(exitCode, message, null);
  }

  /** A usage error (exit code 2). */
  public static CliException usage(String message) {
    return new CliException(USAGE, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
