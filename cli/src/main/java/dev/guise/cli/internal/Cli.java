package dev.guise.cli.internal;

import dev.guise.api.ClassifiedIOException;
import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

/**
 * Dispatches {@code guise <command> [options]} to a {@link Command} and turns every error into one
 * line on stderr and an exit code (a stack trace too, with {@code --verbose}).
 *
 * <p>Not thread-safe; one instance runs one command line.
 */
public final class Cli {
  private static final List<Command> COMMANDS =
      List.of(
          new CaptureCommand(),
          new DemoCommand(),
          new FetchCommand(),
          new InspectCommand(),
          new ProfilesCommand(),
          new WarmCommand());

  private final PrintStream out;
  private final PrintStream err;
  private final boolean interactive;

  /**
   * @param interactive whether {@code err} is a terminal, for a live progress bar
   */
  public Cli(PrintStream out, PrintStream err, boolean interactive) {
    this.out = out;
    this.err = err;
    this.interactive = interactive;
  }

  /** Whether this process's stderr is a terminal (false when it is redirected or piped). */
  public static boolean stderrIsTerminal() {
    if (System.console() == null) {
      return false;
    }
    // JDK 22+: a console may exist for a redirected stream; isTerminal() tells (release 21 API
    // has no such method, hence the reflection).
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(System.console());
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /** Runs the command line and returns the exit code. */
  public int run(String[] argv) {
    List<String> args = Arrays.asList(argv);
    boolean verbose = args.contains("--verbose");
    try {
      return dispatch(args, verbose);
    } catch (CliException e) {
      err.println("error: " + oneLine(e.getMessage()));
      if (verbose && e.getCause() != null) {
        e.getCause().printStackTrace(err);
      }
      return e.exitCode();
    } catch (ClassifiedIOException e) {
      err.println("error: " + oneLine(e.getMessage()));
      if (verbose) {
        e.printStackTrace(err);
      }
      return CliException.REQUEST_FAILED;
    } catch (Exception | Error e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      err.println(
          "error: unexpected "
              + e.getClass().getSimpleName()
              + ": "
              + oneLine(e.getMessage())
              + (verbose ? "" : " (run with --verbose for the stack trace)"));
      if (verbose) {
        e.printStackTrace(err);
      }
      return CliException.FAILED;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private int dispatch(List<String> args, boolean verbose) throws Exception {
    if (args.isEmpty()) {
      err.print(overview());
      return CliException.USAGE;
    }
    String first = args.get(0);
    if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
      if (args.size() > 1 && !first.equals("help")) {
        throw CliException.usage(
            "'guise --help' takes no arguments; try 'guise " + args.get(1) + " --help'");
      }
      if (first.equals("help") && args.size() > 1) {
        out.print(command(args.get(1)).help());
      } else {
        out.print(overview());
      }
      return 0;
    }
    if (first.equals("--version")) {
      if (args.size() > 1) {
        throw CliException.usage("'guise --version' takes no arguments");
      }
      out.print(Version.report());
      return 0;
    }
    if (first.startsWith("-")) {
      throw CliException.usage(
          "unknown option '" + first + "' before the command; see 'guise --help'");
    }
    Command command = command(first);
    List<String> rest = args.subList(1, args.size());
    int end = rest.indexOf("--");
    List<String> options = end < 0 ? rest : rest.subList(0, end);
    if (options.contains("--help") || options.contains("-h")) {
      out.print(command.help());
      return 0;
    }
    ParsedArgs parsed = ParsedArgs.parse(command.spec(), rest);
    return command.run(parsed, new Io(out, err, interactive, verbose));
  }

  private static Command command(String name) {
    for (Command c : COMMANDS) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    throw CliException.usage("unknown command '" + name + "'; see 'guise --help'");
  }

  static String overview() {
    StringBuilder sb = new StringBuilder();
    sb.append("usage: guise <command> [options]\n\n");
    sb.append("A hot pool of browser-fingerprinted TLS connections pinned to chosen IPs.\n\n");
    sb.append("commands:\n");
    for (Command c : COMMANDS) {
      sb.append(String.format("  %-10s %s%n", c.name(), c.summary()));
    }
    sb.append("\n'guise <command> --help' explains a command and its options.\n");
    sb.append("Every command takes --verbose (more detail; stack traces for errors).\n");
    sb.append("'guise --version' prints the version and the TLS engines found.\n");
    sb.append("Exit codes: 0 done, 1 unexpected error, 2 usage error, 3 request failed;\n");
    sb.append("'guise fetch' uses curl's codes for the failures curl has (see its --help).\n");
    return sb.toString();
  }

  /** A message on one line (a multi-line message from a library would break the one-line rule). */
  static String oneLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
