package dev.guise.cli.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command line parsed against an {@link ArgsSpec}. Accessors turn bad values into usage errors
 * that name the option.
 */
final class ParsedArgs {
  private final String command;
  private final List<String> positional;
  private final Map<String, List<String>> values;

  private ParsedArgs(String command, List<String> positional, Map<String, List<String>> values) {
    this.command = command;
    this.positional = List.copyOf(positional);
    this.values = values;
  }

  /**
   * Parses {@code args} (the words after the command name).
   *
   * @throws CliException a usage error naming the first word that does not fit
   */
  static ParsedArgs parse(ArgsSpec spec, List<String> args) {
    if (spec.hasOwnGrammar()) {
      return new ParsedArgs(spec.command(), args, Map.of());
    }
    List<String> positional = new ArrayList<>();
    Map<String, List<String>> values = new LinkedHashMap<>();
    boolean optionsEnded = false;
    for (int i = 0; i < args.size(); i++) {
      String word = args.get(i);
      if (optionsEnded || !word.startsWith("-") || word.equals("-")) {
        positional.add(word);
        continue;
      }
      if (word.equals("--")) {
        optionsEnded = true;
        continue;
      }
      if (!word.startsWith("--")) {
        throw usage(spec, "unknown option '" + word + "'");
      }
      String name = word.substring(2);
      String inlineValue = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        inlineValue = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      ArgsSpec.Kind kind = spec.kind(name);
      if (kind == null) {
        throw usage(spec, "unknown option '--" + name + "'");
      }
      String value;
      if (kind == ArgsSpec.Kind.FLAG) {
        if (inlineValue != null) {
          throw usage(spec, "option '--" + name + "' takes no value");
        }
        value = "";
      } else if (inlineValue != null) {
        value = inlineValue;
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw usage(spec, "option '--" + name + "' needs a value");
      }
      List<String> list = values.computeIfAbsent(name, k -> new ArrayList<>());
      if (!list.isEmpty() && kind != ArgsSpec.Kind.REPEATED) {
        throw usage(spec, "option '--" + name + "' given more than once");
      }
      list.add(value);
    }
    if (positional.size() > spec.maxPositional()) {
      String extra = positional.get(spec.maxPositional());
      throw usage(spec, "unexpected argument '" + extra + "'");
    }
    if (positional.size() < spec.minPositional()) {
      throw usage(spec, "missing " + spec.positionalName());
    }
    return new ParsedArgs(spec.command(), positional, values);
  }

  private static CliException usage(ArgsSpec spec, String message) {
    return CliException.usage(
        message + " for 'guise " + spec.command() + "'; see 'guise " + spec.command() + " --help'");
  }

  CliException usageError(String message) {
    return CliException.usage(message + "; see 'guise " + command + " --help'");
  }

  /** Every word after the command name, for a command with {@link ArgsSpec#ownGrammar}. */
  List<String> words() {
    return positional;
  }

  String positional(int index) {
    return positional.get(index);
  }

  boolean flag(String name) {
    return values.containsKey(name);
  }

  Optional<String> value(String name) {
    List<String> list = values.get(name);
    return list == null ? Optional.empty() : Optional.of(list.get(0));
  }

  List<String> values(String name) {
    return values.getOrDefault(name, List.of());
  }

  /** An integer option within {@code [min, max]}, or {@code defaultValue} when absent. */
  int intValue(String name, int defaultValue, int min, int max) {
    Optional<String> v = value(name);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(v.get().trim());
      if (n < min || n > max) {
        throw usageError("--" + name + " must be between " + min + " and " + max + ", not " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw usageError("--" + name + " takes a whole number, not '" + v.get() + "'");
    }
  }

  /** A positive number of seconds (fractions allowed), or empty when absent. */
  Optional<Duration> seconds(String name) {
    Optional<String> v = value(name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      double s = Double.parseDouble(v.get().trim());
      if (!(s > 0) || s > 86_400) {
        throw usageError(
            "--" + name + " must be a number of seconds above 0 and at most 86400, not " + v.get());
      }
      return Optional.of(Duration.ofNanos((long) (s * 1e9)));
    } catch (NumberFormatException e) {
      throw usageError("--" + name + " takes a number of seconds, not '" + v.get() + "'");
    }
  }
}
