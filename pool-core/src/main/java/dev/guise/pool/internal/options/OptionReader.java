package dev.guise.pool.internal.options;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a provider's {@code withOptions} map: typed values, with errors that name the provider,
 * the option and what was expected. Unknown options are rejected, so a typo never passes silently.
 */
public final class OptionReader {
  private final String provider;
  private final Map<String, String> options;

  public OptionReader(String provider, Map<String, String> options, Set<String> known) {
    this.provider = provider;
    this.options = Map.copyOf(options);
    for (String key : options.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(
            "'" + provider + "' has no option '" + key + "'; known options: " + new TreeSet<>(known));
      }
    }
  }

  public Duration duration(String key, Duration fallback) {
    String v = options.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      Duration d = parseDuration(v);
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative");
      }
      return d;
    } catch (RuntimeException e) {
      throw invalid(key, v, "a duration such as 250ms, 2s, 1m or PT1S");
    }
  }

  public int integer(String key, int fallback, int min, int max) {
    String v = options.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      int i = Integer.parseInt(v);
      if (i < min || i > max) {
        throw new IllegalArgumentException("range");
      }
      return i;
    } catch (RuntimeException e) {
      throw invalid(key, v, "a whole number from " + min + " to " + max);
    }
  }

  public double decimal(String key, double fallback, double min, double max) {
    String v = options.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v);
      if (!(d >= min && d <= max)) {
        throw new IllegalArgumentException("range");
      }
      return d;
    } catch (RuntimeException e) {
      throw invalid(key, v, "a number from " + min + " to " + max);
    }
  }

  public String string(String key, String fallback) {
    return options.getOrDefault(key, fallback);
  }

  private IllegalArgumentException invalid(String key, String value, String expected) {
    return new IllegalArgumentException(
        "'" + provider + "' option '" + key + "' = '" + value + "' is not " + expected);
  }

  /** {@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h}, or ISO-8601 ({@code PT1.5S}). */
  public static Duration parseDuration(String text) {
    String t = text.trim();
    if (t.startsWith("P") || t.startsWith("p")) {
      return Duration.parse(t);
    }
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    long n = Long.parseLong(t.substring(0, t.length() - 1));
    return switch (t.charAt(t.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> throw new IllegalArgumentException("unknown unit in " + text);
    };
  }
}
