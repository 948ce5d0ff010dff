package dev.guise.cli;

import dev.guise.cli.internal.Cli;
import java.io.PrintStream;

/**
 * The {@code guise} command's entry point.
 *
 * <p>{@code guise demo | fetch | inspect | profiles}, each with {@code --help}. Exit codes: 0 done,
 * 1 an unexpected error, 2 a usage error (unknown option, bad value, unknown engine or profile), 3
 * a request that failed (printed as {@code error: KIND: message}).
 */
public final class Main {
  private Main() {}

  /** Runs the command and exits the JVM with its exit code. */
  public static void main(String[] args) {
    // Before the first logger exists: the pool logs only what a user should see.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    int code = new Cli(System.out, System.err, Cli.stderrIsTerminal()).run(args);
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }

  /**
   * Runs one command in this JVM, writing to {@code out} and {@code err} (progress is written as
   * plain lines, as for a non-terminal), and returns its exit code. Blocks until the command ends;
   * leaves no thread, socket or server behind.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return new Cli(out, err, false).run(args);
  }
}
