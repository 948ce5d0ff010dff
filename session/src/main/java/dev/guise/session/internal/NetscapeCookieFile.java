package dev.guise.session.internal;

import dev.guise.session.Cookie;
import dev.guise.session.CookieFileException;
import dev.guise.session.SameSite;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Netscape {@code cookies.txt} format as curl reads ({@code -b}) and writes ({@code -c}) it.
 * See {@code CookieFiles} for the columns.
 */
public final class NetscapeCookieFile {

  /** The first line curl looks for, and writes. */
  static final String HEADER = "# Netscape HTTP Cookie File";

  private static final String HTTP_ONLY = "#HttpOnly_";

  /**
   * The longest line read: a cookie's name and value (4096 octets) and a domain, path and the rest
   * (attribute values, 1024 each) fit well within it.
   */
  static final int MAX_LINE = 16 * 1024;

  /** The most cookies one file may hold: ten times the jar's limit of 3300. */
  static final int MAX_COOKIES = 33_000;

  private NetscapeCookieFile() {}

  public static void write(List<Cookie> cookies, Writer out) throws IOException {
    List<Cookie> ordered = new ArrayList<>(cookies);
    // Creation order, so that a reader that creates cookies in file order keeps the header order.
    ordered.sort(Comparator.comparing(Cookie::created));
    StringBuilder text = new StringBuilder();
    text.append(HEADER).append('\n');
    text.append("# Written by Guise. Columns: domain, subdomains, path, secure, expiry (Unix")
        .append(" seconds, 0: session), name, value.\n\n");
    for (Cookie c : ordered) {
      for (String column : new String[] {c.domain(), c.path(), c.name()}) {
        if (column.indexOf('\t') >= 0 || column.indexOf('\n') >= 0 || column.indexOf('\r') >= 0) {
          throw new IOException(
              "the Netscape format cannot hold a tab or line break in a cookie's name, domain or"
                  + " path: "
                  + c);
        }
      }
      if (c.httpOnly()) {
        text.append(HTTP_ONLY);
      }
      text.append(c.hostOnly() ? "" : ".").append(c.domain()).append('\t');
      text.append(c.hostOnly() ? "FALSE" : "TRUE").append('\t');
      text.append(c.path()).append('\t');
      text.append(c.secure() ? "TRUE" : "FALSE").append('\t');
      text.append(c.expires().map(Instant::getEpochSecond).orElse(0L)).append('\t');
      text.append(c.name()).append('\t');
      text.append(c.value()).append('\n');
    }
    out.write(text.toString());
    out.flush();
  }

  public static List<Cookie> read(Reader in, Clock clock) throws IOException {
    Instant now = clock.instant();
    CookieFileLines lines = new CookieFileLines(in, MAX_LINE);
    List<Cookie> cookies = new ArrayList<>();
    String line;
    while ((line = lines.next()) != null) {
      boolean httpOnly = false;
      if (line.startsWith(HTTP_ONLY)) {
        httpOnly = true;
        line = line.substring(HTTP_ONLY.length());
      } else if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      int n = lines.number();
      // The value is the last column and may itself hold a tab.
      String[] columns = line.split("\t", 7);
      if (columns.length == 6) {
        // A cookie with an empty value, its trailing tab lost (curl reads these too).
        columns =
            new String[] {
              columns[0], columns[1], columns[2], columns[3], columns[4], columns[5], ""
            };
      }
      if (columns.length != 7) {
        throw new CookieFileException(
            n, "expected 7 tab-separated columns, found " + columns.length);
      }
      String domain = columns[0].toLowerCase(Locale.ROOT);
      if (domain.startsWith(".")) {
        domain = domain.substring(1);
      }
      if (domain.isEmpty()) {
        throw new CookieFileException(n, "empty domain");
      }
      boolean subdomains = bool(columns[1], n, "subdomains");
      String path = columns[2];
      if (!path.startsWith("/")) {
        throw new CookieFileException(n, "path does not start with '/'");
      }
      boolean secure = bool(columns[3], n, "secure");
      long expiry;
      try {
        expiry = Long.parseLong(columns[4]);
      } catch (NumberFormatException e) {
        throw new CookieFileException(n, "expiry is not a number of seconds");
      }
      if (expiry < 0) {
        throw new CookieFileException(n, "negative expiry");
      }
      Optional<Instant> expires =
          expiry == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(expiry));
      if (expires.isPresent() && !expires.get().isAfter(now)) {
        continue;
      }
      if (cookies.size() == MAX_COOKIES) {
        throw new CookieFileException(n, "more than " + MAX_COOKIES + " cookies");
      }
      cookies.add(
          new Cookie(
              columns[5],
              columns[6],
              domain,
              !subdomains,
              path,
              expires,
              secure,
              httpOnly,
              SameSite.UNSPECIFIED,
              now,
              now));
    }
    return cookies;
  }

  private static boolean bool(String column, int line, String what) throws CookieFileException {
    return switch (column) {
      case "TRUE" -> true;
      case "FALSE" -> false;
      default -> throw new CookieFileException(line, what + " column is neither TRUE nor FALSE");
    };
  }
}
