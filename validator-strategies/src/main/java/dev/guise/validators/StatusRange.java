package dev.guise.validators;

import java.util.ArrayList;
import java.util.List;

/**
 * Accepted response statuses: ranges and single codes separated by {@code |}, such as {@code
 * 200-399} (the default) or {@code 200-299|304}.
 */
public record StatusRange(List<int[]> ranges, String text) {
  public static final StatusRange DEFAULT = parse("200-399");

  public StatusRange {
    ranges = List.copyOf(ranges);
  }

  public static StatusRange parse(String text) {
    List<int[]> ranges = new ArrayList<>();
    for (String part : text.split("\\|")) {
      String p = part.trim();
      try {
        int dash = p.indexOf('-');
        int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
        int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).trim());
        if (lo < 100 || hi > 599 || lo > hi) {
          throw new NumberFormatException();
        }
        ranges.add(new int[] {lo, hi});
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a status range such as 200-399 or 200-299|304");
      }
    }
    return new StatusRange(ranges, text);
  }

  /** The range {@code text} describes, or {@code fallback} when {@code text} is null. */
  public static StatusRange parseOr(String text, StatusRange fallback) {
    return text == null ? fallback : parse(text);
  }

  public boolean accepts(int status) {
    for (int[] r : ranges) {
      if (status >= r[0] && status <= r[1]) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }
}
