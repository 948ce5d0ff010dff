package dev.guise.cli.internal;

import java.io.PrintStream;

/**
 * Where a command writes: results to {@code out}, progress and errors to {@code err}.
 *
 * @param interactive whether {@code err} is a terminal (live progress bar with carriage returns)
 * @param verbose whether {@code --verbose} was given
 */
record Io(PrintStream out, PrintStream err, boolean interactive, boolean verbose) {}
