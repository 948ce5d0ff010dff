package dev.guise.api.spi;

import dev.guise.api.spi.InvalidOptionException.Problem;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the options a provider's {@code withOptions} is given: typed values with ranges, and one
 * error type, {@link InvalidOptionException}, whose message names the provider, the option, the
 * value and what is accepted. Every Guise provider reads its options with it; plugins should too,
 * so that every provider speaks the same syntax.
 *
 * <pre>{@code
 * public RetryPolicy withOptions(Map<String, String> options) {
 *   ProviderOptions o = ProviderOptions.read(name(), options, "delay", "max-retries");
 *   return new FixedDelayRetryPolicy(
 *       o.getDuration("delay", delay), o.getInt("max-retries", maxRetries, 0, 100));
 * }
 * }</pre>
 *
 * <h2>The syntax</h2>
 *
 * A spec such as {@code exponential:base=500ms,max-retries=4} names a provider and, after the
 * colon, its options ({@link Providers} parses it and hands the options on):
 *
 * <ul>
 *   <li>Options are {@code key=value} pairs separated by commas. A value runs to the next comma and
 *       may contain {@code =} and {@code :} ({@code url=https://host:8443/a?b=c}) but no comma;
 *       spaces around keys and values are dropped, empty pairs ignored, a key given twice is an
 *       error. (A URL needing a comma writes it percent-encoded, {@code %2C}.)
 *   <li>A <b>list</b> separates its items with {@code |}, since the comma separates options: {@code
 *       ban-statuses=403|451}. An empty value is the empty list.
 *   <li>A <b>duration</b> is a whole number with a unit, {@code ms}, {@code s}, {@code m} (minutes)
 *       or {@code h}: {@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h}; or ISO-8601 as {@link
 *       Duration#parse} reads it: {@code PT2S}, {@code PT1.5S}, {@code P1D}. <b>A bare number is
 *       milliseconds</b>: {@code 250} is {@code 250ms} (plugins have long read it so, and a
 *       unit-less delay in a configuration is nearly always meant in milliseconds).
 *   <li>A <b>whole number</b> is decimal digits with an optional sign ({@code 4}, {@code -1}); a
 *       <b>number</b> may have a fraction and an exponent ({@code 1.5}, {@code 2e3}).
 *   <li>A <b>boolean</b> is {@code true} or {@code false}, in any case.
 * </ul>
 *
 * <p>An option the provider does not list is rejected at once, naming the options it knows, so a
 * typo never passes silently. A getter returns its fallback when the option is absent (the fallback
 * is not range-checked: it is the provider's own current setting). Instances are immutable.
 */
public final class ProviderOptions {
  /** Words for the duration syntax, used in error messages and meant for documentation. */
  public static final String DURATION_SYNTAX =
      "a duration such as 250ms, 2s, 1m, 1h or PT2S (a bare number is milliseconds)";

  private static final Pattern UNIT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
  private static final Pattern WHOLE = Pattern.compile("[-+]?\\d+");
  private static final Pattern DECIMAL = Pattern.compile("[-+]?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

  private final String provider;
  private final Map<String, String> options;

  private ProviderOptions(String provider, Map<String, String> options) {
    this.provider = provider;
    this.options = options;
  }

  /**
   * A reader of {@code options} for the provider called {@code provider}, which knows the options
   * {@code known} (none: the provider takes no options).
   *
   * @throws InvalidOptionException ({@link Problem#UNKNOWN_OPTION}) for the first option, in sorted
   *     order, that is not known
   */
  public static ProviderOptions read(
      String provider, Map<String, String> options, String... known) {
    Set<String> knownSet = Set.of(known);
    // Sorted, so that with several unknown options the error is the same from run to run.
    for (String key : new TreeSet<>(options.keySet())) {
      if (!knownSet.contains(key)) {
        String accepted =
            knownSet.isEmpty()
                ? "it takes no options"
                : "known options: " + new TreeSet<>(knownSet);
        throw new InvalidOptionException(
            Problem.UNKNOWN_OPTION, provider, key, options.get(key), accepted, null);
      }
    }
    Map<String, String> trimmed = new LinkedHashMap<>();
    options.forEach((k, v) -> trimmed.put(k, Objects.requireNonNull(v, k).trim()));
    return new ProviderOptions(provider, Collections.unmodifiableMap(trimmed));
  }

  /** The provider these options are for. */
  public String provider() {
    return provider;
  }

  /** Whether the option was given. */
  public boolean has(String key) {
    return options.containsKey(key);
  }

  /** The option's text, or empty when it was not given. */
  public Optional<String> getString(String key) {
    return Optional.ofNullable(options.get(key));
  }

  /** The option's text, or {@code fallback} when it was not given. */
  public String getString(String key, String fallback) {
    return options.getOrDefault(key, fallback);
  }

  /** A whole number from {@code min} to {@code max}, or {@code fallback} when not given. */
  public int getInt(String key, int fallback, int min, int max) {
    return (int) whole(key, fallback, min, max, min == Integer.MIN_VALUE, max == Integer.MAX_VALUE);
  }

  /** A whole number from {@code min} to {@code max}, or {@code fallback} when not given. */
  public long getLong(String key, long fallback, long min, long max) {
    return whole(key, fallback, min, max, min == Long.MIN_VALUE, max == Long.MAX_VALUE);
  }

  private long whole(String key, long fallback, long min, long max, boolean noMin, boolean noMax) {
    String accepted = "a whole number" + range(noMin ? null : min, noMax ? null : max);
    return get(
        key,
        fallback,
        text -> {
          if (!WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("not a whole number");
          }
          long n = Long.parseLong(text);
          if (n < min || n > max) {
            throw new IllegalArgumentException("out of range");
          }
          return n;
        },
        accepted);
  }

  /** A finite number from {@code min} to {@code max}, or {@code fallback} when not given. */
  public double getDouble(String key, double fallback, double min, double max) {
    return get(
        key,
        fallback,
        text -> {
          if (!DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException("not a number");
          }
          double d = Double.parseDouble(text);
          if (!(d >= min && d <= max) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("out of range");
          }
          return d;
        },
        "a number" + range(min, max));
  }

  /** {@code true} or {@code false} (in any case), or {@code fallback} when not given. */
  public boolean getBoolean(String key, boolean fallback) {
    return get(
        key,
        fallback,
        text ->
            switch (text.toLowerCase(Locale.ROOT)) {
              case "true" -> true;
              case "false" -> false;
              default -> throw new IllegalArgumentException("not a boolean");
            },
        "true or false");
  }

  /**
   * A duration of zero or more (the syntax is in the class comment), or {@code fallback} when not
   * given.
   */
  public Duration getDuration(String key, Duration fallback) {
    return duration(key, fallback, Duration.ZERO, null);
  }

  /**
   * A duration from {@code min} to {@code max} (the syntax is in the class comment), or {@code
   * fallback} when not given.
   */
  public Duration getDuration(String key, Duration fallback, Duration min, Duration max) {
    return duration(key, fallback, min, max);
  }

  private Duration duration(String key, Duration fallback, Duration min, Duration max) {
    String accepted =
        DURATION_SYNTAX
            + (max == null
                ? ", at least " + format(min)
                : ", from " + format(min) + " to " + format(max));
    return get(
        key,
        fallback,
        text -> {
          Duration d = parseDuration(text);
          if (d.compareTo(min) < 0 || (max != null && d.compareTo(max) > 0)) {
            throw new IllegalArgumentException("out of range");
          }
          return d;
        },
        accepted);
  }

  /**
   * A list of items separated by {@code |} (an empty value is the empty list; an empty item is an
   * error), or {@code fallback} when not given.
   */
  public List<String> getList(String key, List<String> fallback) {
    return get(key, fallback, ProviderOptions::items, "items separated by '|', such as a|b");
  }

  /**
   * A list of whole numbers from {@code min} to {@code max} separated by {@code |}, such as {@code
   * 403|451}, or {@code fallback} when not given.
   */
  public List<Integer> getIntList(String key, List<Integer> fallback, int min, int max) {
    return get(
        key,
        fallback,
        text -> {
          List<Integer> numbers = new ArrayList<>();
          for (String item : items(text)) {
            if (!WHOLE.matcher(item).matches()) {
              throw new IllegalArgumentException("not a whole number: " + item);
            }
            long n = Long.parseLong(item);
            if (n < min || n > max) {
              throw new IllegalArgumentException("out of range: " + item);
            }
            numbers.add((int) n);
          }
          return List.copyOf(numbers);
        },
        "whole numbers"
            + range((long) min, (long) max)
            + " separated by '|', such as "
            + min
            + "|"
            + max);
  }

  /**
   * The option read by {@code parser}, or {@code fallback} when not given: for types of the
   * provider's own, such as a status range or a URL. The parser signals a bad value by throwing;
   * the error becomes an {@link InvalidOptionException} naming the value and {@code accepted}.
   *
   * @param accepted what the parser accepts, in words, such as {@code an https URL}
   */
  public <T> T get(String key, T fallback, Function<String, ? extends T> parser, String accepted) {
    String text = options.get(key);
    return text == null ? fallback : parse(key, text, parser, accepted);
  }

  /**
   * The option read by {@code parser}, which the provider cannot do without.
   *
   * @throws InvalidOptionException ({@link Problem#MISSING_OPTION}) when it was not given
   */
  public <T> T getRequired(String key, Function<String, ? extends T> parser, String accepted) {
    String text = options.get(key);
    if (text == null) {
      throw new InvalidOptionException(Problem.MISSING_OPTION, provider, key, null, accepted, null);
    }
    return parse(key, text, parser, accepted);
  }

  private <T> T parse(
      String key, String text, Function<String, ? extends T> parser, String accepted) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
      throw new InvalidOptionException(Problem.BAD_VALUE, provider, key, text, accepted, e);
    }
  }

  /**
   * An error about {@code key}'s value for checks the getters cannot make, such as one option that
   * must not be below another.
   */
  public InvalidOptionException invalid(String key, String accepted) {
    return new InvalidOptionException(
        Problem.BAD_VALUE, provider, key, options.get(key), accepted, null);
  }

  /**
   * Reads a duration in the syntax of the class comment: {@code 250ms}, {@code 2s}, {@code 1m},
   * {@code 1h}, ISO-8601 such as {@code PT2S}, or a bare number of milliseconds.
   *
   * @throws IllegalArgumentException when {@code text} is none of these
   */
  public static Duration parseDuration(String text) {
    String t = text.trim();
    if (!t.isEmpty() && (t.charAt(0) == 'P' || t.charAt(0) == 'p')) {
      try {
        return Duration.parse(t);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("'" + text + "' is not " + DURATION_SYNTAX, e);
      }
    }
    var m = UNIT_DURATION.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not " + DURATION_SYNTAX);
    }
    try {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "ms" : m.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration", e);
    }
  }

  /**
   * Splits the options part of a spec, {@code key=value,key=value}, into a map in the order given;
   * {@link Providers} uses it, so the spec syntax lives beside its reader.
   */
  static Map<String, String> parse(String provider, String text) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0 || pair.substring(0, eq).isBlank()) {
        throw new InvalidOptionException(
            Problem.MALFORMED,
            provider,
            pair.trim(),
            text,
            "each option is key=value, separated by commas (lists use '|')",
            null);
      }
      String key = pair.substring(0, eq).trim();
      if (options.put(key, pair.substring(eq + 1).trim()) != null) {
        throw new InvalidOptionException(
            Problem.MALFORMED, provider, key, text, "'" + key + "' is given twice", null);
      }
    }
    return Collections.unmodifiableMap(options);
  }

  private static List<String> items(String text) {
    if (text.isBlank()) {
      return List.of();
    }
    List<String> items = new ArrayList<>();
    // -1: keep trailing empty items, so that "a|" is reported instead of silently read as "a".
    for (String item : text.split("\\|", -1)) {
      String i = item.trim();
      if (i.isEmpty()) {
        throw new IllegalArgumentException("empty item");
      }
      items.add(i);
    }
    return List.copyOf(items);
  }

  private static String range(Number min, Number max) {
    if (min == null && max == null) {
      return "";
    }
    if (max == null) {
      return " of at least " + min;
    }
    return min == null ? " of at most " + max : " from " + min + " to " + max;
  }

  /** A duration in the syntax above, in its largest whole unit, for messages. */
  private static String format(Duration d) {
    if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
      return d.toString();
    }
    long s = d.getSeconds();
    if (d.getNano() != 0 || s == 0) {
      // Whole milliseconds; a duration this fine is never large enough to overflow.
      return d.toMillis() + "ms";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    return s % 60 == 0 ? s / 60 + "m" : s + "s";
  }
}
