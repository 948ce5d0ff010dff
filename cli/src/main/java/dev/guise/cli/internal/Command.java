package dev.guise.cli.internal;

/** One {@code guise} sub-command. Implementations are stateless; {@link #run} does the work. */
interface Command {
  /** The name typed after {@code guise}. */
  String name();

  /** One line for the command list of {@code guise --help}. */
  String summary();

  /** The full {@code --help} text: usage line, what it does, every option. */
  String help();

  /** The options and positional arguments this command accepts. */
  ArgsSpec spec();

  /**
   * Runs the command.
   *
   * @return the exit code
   * @throws CliException for an error to report as one line
   */
  int run(ParsedArgs args, Io io) throws Exception;
}
