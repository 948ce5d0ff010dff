package dev.guise.validators.internal;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads validator options; unknown options and bad values are errors naming the option. */
public final class Opts {
  private final String validator;
  private final Map<String, String> options;

  public Opts(String validator, Map<String, String> options, Set<String> known) {
    this.validator = validator;
    this.options = Map.copyOf(options);
    for (String key : options.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException("'" + validator + "' has no option '" + key
            + "'; known options: " + new TreeSet<>(known));
      }
    }
  }

  public String get(String key, String fallback) {
    return options.getOrDefault(key, fallback);
  }

  public int integer(String key, int fallback) {
    String v = options.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      int i = Integer.parseInt(v.trim());
      if (i < 0) {
        throw new NumberFormatException();
      }
      return i;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + validator + "' option '" + key + "' = '" + v + "' is not a whole number of at least 0");
    }
  }

  public static String requirePath(String validator, String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("'" + validator + "' path must start with '/': " + path);
    }
    return path;
  }
}
