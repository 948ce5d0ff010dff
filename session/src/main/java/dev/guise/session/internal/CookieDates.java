package dev.guise.session.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The {@code Expires} date as RFC 6265bis's cookie-date algorithm (section 5.1.1 of RFC 6265)
 * parses it (not as a strict HTTP date): the field is cut into tokens at delimiters, and the first
 * token that looks like a time, a day of the month, a month and a year is taken, in that order of
 * trial; two-digit years are 1970-2069. Any field that lacks one of the four, or names an
 * impossible date, is no date.
 */
final class CookieDates {

  private static final String[] MONTHS = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
  };

  private CookieDates() {}

  static Optional<Instant> parse(String field) {
    int[] time = null;
    int day = -1;
    int month = -1;
    int year = -1;
    int i = 0;
    int n = field.length();
    while (i < n) {
      while (i < n && isDelimiter(field.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isDelimiter(field.charAt(i))) {
        i++;
      }
      if (start == i) {
        continue;
      }
      String token = field.substring(start, i);
      int[] t;
      if (time == null && (t = time(token)) != null) {
        time = t;
      } else if (day < 0 && digitsThenAnything(token, 1, 2) >= 0) {
        day = digitsThenAnything(token, 1, 2);
      } else if (month < 0 && month(token) >= 0) {
        month = month(token);
      } else if (year < 0 && digitsThenAnything(token, 2, 4) >= 0) {
        year = digitsThenAnything(token, 2, 4);
      }
    }
    if (time == null || day < 0 || month < 0 || year < 0) {
      return Optional.empty();
    }
    if (year >= 70 && year <= 99) {
      year += 1900;
    } else if (year >= 0 && year <= 69) {
      year += 2000;
    }
    if (day < 1 || day > 31 || year < 1601 || time[0] > 23 || time[1] > 59 || time[2] > 59) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          LocalDateTime.of(year, month, day, time[0], time[1], time[2]).toInstant(ZoneOffset.UTC));
    } catch (DateTimeException impossible) {
      // 31 April, 30 February: "the date does not exist" (the algorithm's last step).
      return Optional.empty();
    }
  }

  /**
   * delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E. Characters above %x7E (and control
   * characters, which never reach here) are not delimiters.
   */
  private static boolean isDelimiter(char c) {
    return c == 0x09
        || (c >= 0x20 && c <= 0x2F)
        || (c >= 0x3B && c <= 0x40)
        || (c >= 0x5B && c <= 0x60)
        || (c >= 0x7B && c <= 0x7E);
  }

  /** {@code hms-time [ non-digit *OCTET ]}, each field one or two digits; null if it is not. */
  private static int[] time(String token) {
    int[] fields = new int[3];
    int at = 0;
    for (int f = 0; f < 3; f++) {
      int start = at;
      int value = 0;
      while (at < token.length() && at - start < 2 && isDigit(token.charAt(at))) {
        value = value * 10 + token.charAt(at) - '0';
        at++;
      }
      if (at == start) {
        return null;
      }
      fields[f] = value;
      if (f < 2) {
        if (at >= token.length() || token.charAt(at) != ':') {
          return null;
        }
        at++;
      }
    }
    if (at < token.length() && isDigit(token.charAt(at))) {
      return null;
    }
    return fields;
  }

  /** {@code min*max DIGIT [ non-digit *OCTET ]} as a number, or -1 if the token is not that. */
  private static int digitsThenAnything(String token, int min, int max) {
    int at = 0;
    int value = 0;
    while (at < token.length() && isDigit(token.charAt(at))) {
      if (at == max) {
        return -1;
      }
      value = value * 10 + token.charAt(at) - '0';
      at++;
    }
    return at < min ? -1 : value;
  }

  /** {@code month = ( "jan" / ... / "dec" ) *OCTET}, case-insensitively: 1 to 12, or -1. */
  private static int month(String token) {
    if (token.length() < 3) {
      return -1;
    }
    String head = token.substring(0, 3);
    for (int m = 0; m < MONTHS.length; m++) {
      if (MONTHS[m].equalsIgnoreCase(head)) {
        return m + 1;
      }
    }
    return -1;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
