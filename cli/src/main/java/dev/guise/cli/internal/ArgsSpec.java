package dev.guise.cli.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a command accepts: options ({@code --name}, {@code --name value}, {@code --name=value},
 * possibly repeated) and how many positional arguments. Parsing is strict: anything not declared is
 * an error naming it. Immutable once built.
 */
final class ArgsSpec {
  enum Kind {
    /** Present or not; takes no value. */
    FLAG,
    /** Takes one value; at most once. */
    VALUE,
    /** Takes one value; may be repeated. */
    REPEATED
  }

  private final String command;
  private final Map<String, Kind> options = new LinkedHashMap<>();
  private final String positionalName;
  private final int minPositional;
  private final int maxPositional;
  private boolean ownGrammar;

  private ArgsSpec(String command, String positionalName, int minPositional, int maxPositional) {
    this.command = command;
    this.positionalName = positionalName;
    this.minPositional = minPositional;
    this.maxPositional = maxPositional;
    options.put("verbose", Kind.FLAG); // every command: stack traces and more detail
  }

  /** A command taking no positional argument. */
  static ArgsSpec of(String command) {
    return new ArgsSpec(command, null, 0, 0);
  }

  /** A command taking exactly one positional argument called {@code name}. */
  static ArgsSpec withPositional(String command, String name) {
    return new ArgsSpec(command, name, 1, 1);
  }

  /**
   * A command whose words follow a grammar of their own (curl's, for {@code fetch}): {@link
   * ParsedArgs#parse} hands them over untouched as {@link ParsedArgs#words()}.
   */
  static ArgsSpec ownGrammar(String command) {
    ArgsSpec spec = new ArgsSpec(command, null, 0, Integer.MAX_VALUE);
    spec.ownGrammar = true;
    return spec;
  }

  boolean hasOwnGrammar() {
    return ownGrammar;
  }

  ArgsSpec flag(String name) {
    options.put(name, Kind.FLAG);
    return this;
  }

  ArgsSpec value(String name) {
    options.put(name, Kind.VALUE);
    return this;
  }

  ArgsSpec repeated(String name) {
    options.put(name, Kind.REPEATED);
    return this;
  }

  String command() {
    return command;
  }

  Kind kind(String option) {
    return options.get(option);
  }

  String positionalName() {
    return positionalName;
  }

  int minPositional() {
    return minPositional;
  }

  int maxPositional() {
    return maxPositional;
  }
}
