package dev.guise.session.internal;

import dev.guise.session.SameSite;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses one {@code Set-Cookie} field value as RFC 6265bis, section 5.6, says (Chrome follows it):
 * a field with a control character is ignored whole, the name and value are cut at the first ';'
 * and '=', a field without '=' is a nameless cookie, and an attribute whose value is longer than
 * 1024 octets is ignored. Nothing here throws on bad input: what cannot be a cookie is {@code
 * Optional.empty()}, with the reason in {@link CookieRejection}.
 */
final class SetCookieParser {

  /** RFC 6265bis, section 5.6 (Chrome's {@code kMaxCookieNamePlusValueSize}). */
  static final int MAX_NAME_VALUE_OCTETS = 4096;

  /** RFC 6265bis, section 5.6: a longer attribute value is ignored. */
  static final int MAX_ATTRIBUTE_VALUE_OCTETS = 1024;

  private SetCookieParser() {}

  /** The result of parsing: a cookie to judge, or why there is none. */
  record Result(Optional<ParsedSetCookie> cookie, CookieRejection rejection) {
    static Result of(ParsedSetCookie cookie) {
      return new Result(Optional.of(cookie), CookieRejection.NONE);
    }

    static Result rejected(CookieRejection why) {
      return new Result(Optional.empty(), why);
    }
  }

  static Result parse(String field) {
    if (hasControlCharacter(field)) {
      return Result.rejected(CookieRejection.CONTROL_CHARACTER);
    }
    int semicolon = field.indexOf(';');
    String pair = semicolon < 0 ? field : field.substring(0, semicolon);
    int equals = pair.indexOf('=');
    String name = equals < 0 ? "" : trim(pair.substring(0, equals));
    String value = trim(equals < 0 ? pair : pair.substring(equals + 1));
    if (octets(name) + octets(value) > MAX_NAME_VALUE_OCTETS) {
      return Result.rejected(CookieRejection.TOO_LARGE);
    }
    if (name.isEmpty() && value.isEmpty()) {
      return Result.rejected(CookieRejection.EMPTY);
    }
    Optional<Long> maxAge = Optional.empty();
    Optional<Instant> expires = Optional.empty();
    Optional<String> domain = Optional.empty();
    Optional<String> path = Optional.empty();
    boolean pathAttribute = false;
    boolean secure = false;
    boolean httpOnly = false;
    SameSite sameSite = SameSite.UNSPECIFIED;
    int at = semicolon;
    while (at >= 0) {
      int next = field.indexOf(';', at + 1);
      String av = next < 0 ? field.substring(at + 1) : field.substring(at + 1, next);
      at = next;
      int eq = av.indexOf('=');
      String attribute = trim(eq < 0 ? av : av.substring(0, eq)).toLowerCase(Locale.ROOT);
      String attributeValue = eq < 0 ? "" : trim(av.substring(eq + 1));
      if (octets(attributeValue) > MAX_ATTRIBUTE_VALUE_OCTETS) {
        continue;
      }
      switch (attribute) {
        case "expires" -> {
          Optional<Instant> date = CookieDates.parse(attributeValue);
          if (date.isPresent()) {
            expires = date;
          }
        }
        case "max-age" -> {
          Optional<Long> seconds = parseMaxAge(attributeValue);
          if (seconds.isPresent()) {
            maxAge = seconds;
          }
        }
        case "domain" -> {
          // An empty Domain is ignored (5.6: "SHOULD ignore the cookie-av entirely").
          if (!attributeValue.isEmpty()) {
            String d =
                attributeValue.startsWith(".") ? attributeValue.substring(1) : attributeValue;
            domain = Optional.of(d.toLowerCase(Locale.ROOT));
          }
        }
        case "path" -> {
          pathAttribute = true;
          // Empty or relative: the default path (5.6), decided by the storage model.
          path = attributeValue.startsWith("/") ? Optional.of(attributeValue) : Optional.empty();
        }
        case "secure" -> secure = true;
        case "httponly" -> httpOnly = true;
        case "samesite" -> sameSite = sameSite(attributeValue);
        default -> {
          // Unknown attributes (Priority, Partitioned, Comment...) change nothing here.
        }
      }
    }
    return Result.of(
        new ParsedSetCookie(
            name, value, maxAge, expires, domain, path, pathAttribute, secure, httpOnly, sameSite));
  }

  private static SameSite sameSite(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "strict" -> SameSite.STRICT;
      case "lax" -> SameSite.LAX;
      case "none" -> SameSite.NONE;
      // An unknown value counts as none given (5.6: enforcement "Default").
      default -> SameSite.UNSPECIFIED;
    };
  }

  /**
   * Max-Age (5.6): an optional '-' then digits, else the attribute is ignored. A number too large
   * for a long is as good as "forever" (the storage model caps it at 400 days anyway).
   */
  private static Optional<Long> parseMaxAge(String value) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    boolean negative = value.charAt(0) == '-';
    int start = negative ? 1 : 0;
    if (start == value.length()) {
      return Optional.empty();
    }
    for (int i = start; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return Optional.empty();
      }
    }
    if (negative) {
      return Optional.of(0L);
    }
    String digits = value.substring(start);
    if (digits.length() > 18) {
      return Optional.of(Long.MAX_VALUE);
    }
    return Optional.of(Long.parseLong(digits));
  }

  /** RFC 6265bis 5.6: %x00-08 / %x0A-1F / %x7F anywhere ignores the field. */
  static boolean hasControlCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        return true;
      }
    }
    return false;
  }

  /** Removes leading and trailing whitespace (WSP: space and horizontal tab). */
  static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isWsp(s.charAt(start))) {
      start++;
    }
    while (end > start && isWsp(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isWsp(char c) {
    return c == ' ' || c == '\t';
  }

  /** A string's length in octets once sent as UTF-8, counted without encoding it. */
  static int octets(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
