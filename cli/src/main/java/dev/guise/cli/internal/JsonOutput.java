package dev.guise.cli.internal;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CLI's JSON output (maps, lists, strings, numbers, booleans, null), written by jackson-jr,
 * indented, one document per call ending in a newline.
 *
 * <p>Only the numbers are prepared first, so a report reads the same on every run: a double is
 * written with at most 4 decimals (latencies in ms do not need nanosecond noise), a whole double as
 * an integer, and NaN or an infinity, which JSON has no words for, as null. Absent values stay in
 * the document as null.
 */
final class JsonOutput {
  private static final JSON WRITER =
      JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES);

  private JsonOutput() {}

  static String write(Object value) {
    try {
      return WRITER.asString(prepare(value)) + "\n";
    } catch (IOException e) {
      // Only maps, lists, strings, numbers and booleans reach the writer: nothing can fail.
      throw new UncheckedIOException(e);
    }
  }

  private static Object prepare(Object value) {
    return switch (value) {
      case Double d -> number(d);
      case Float f -> number(f.doubleValue());
      case Map<?, ?> map -> {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), prepare(v)));
        yield out;
      }
      case List<?> list -> {
        List<Object> out = new ArrayList<>(list.size());
        list.forEach(v -> out.add(prepare(v)));
        yield out;
      }
      case null -> null;
      default -> value;
    };
  }

  private static Object number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return null;
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return (long) d;
    }
    return BigDecimal.valueOf(d).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros();
  }
}
