package dev.guise.session;

import dev.guise.session.internal.JsonCookieFile;
import dev.guise.session.internal.NetscapeCookieFile;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Saves and loads cookies in two formats:
 *
 * <ul>
 *   <li>Netscape {@code cookies.txt}, as curl's {@code -b} reads and {@code -c} writes it: one
 *       cookie a line, seven tab-separated columns (domain, subdomains {@code TRUE}/{@code FALSE},
 *       path, secure {@code TRUE}/{@code FALSE}, expiry in Unix seconds with {@code 0} for a
 *       session cookie, name, value), {@code #HttpOnly_} before the domain of an HttpOnly cookie, a
 *       leading dot on a domain cookie's domain. It has no place for {@code SameSite} or the
 *       creation and access times: loaded cookies are {@link SameSite#UNSPECIFIED}, created in the
 *       order of the file at the clock's time.
 *   <li>JSON: every field of {@link Cookie}, times as ISO-8601 instants.
 * </ul>
 *
 * <p>A file that cannot be read throws {@link CookieFileException} with the line at fault; an
 * expired cookie in a file is skipped, as curl skips it. Files are UTF-8.
 */
public final class CookieFiles {

  private CookieFiles() {}

  /** Writes {@code cookies} in curl's Netscape format. */
  public static void writeNetscape(List<Cookie> cookies, Writer out) throws IOException {
    NetscapeCookieFile.write(cookies, out);
  }

  /** Reads cookies in curl's Netscape format; those expired at {@code clock}'s time are skipped. */
  public static List<Cookie> readNetscape(Reader in, Clock clock) throws IOException {
    return NetscapeCookieFile.read(in, clock);
  }

  /** Writes {@code cookies} as JSON. */
  public static void writeJson(List<Cookie> cookies, Writer out) throws IOException {
    JsonCookieFile.write(cookies, out);
  }

  /** Reads cookies written by {@link #writeJson}; those expired at {@code clock}'s time skipped. */
  public static List<Cookie> readJson(Reader in, Clock clock) throws IOException {
    return JsonCookieFile.read(in, clock);
  }

  /**
   * Saves a jar's cookies to {@code file}: JSON if its name ends in {@code .json}, else Netscape.
   */
  public static void save(CookieJar jar, Path file) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      if (isJson(file)) {
        writeJson(jar.cookies(), out);
      } else {
        writeNetscape(jar.cookies(), out);
      }
    }
  }

  /**
   * Loads {@code file} (JSON if its name ends in {@code .json}, else Netscape) into {@code jar},
   * which drops what its rules forbid.
   *
   * @return how many cookies the jar took
   */
  public static int load(CookieJar jar, Path file, Clock clock) throws IOException {
    List<Cookie> cookies;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      cookies = isJson(file) ? readJson(in, clock) : readNetscape(in, clock);
    }
    int taken = 0;
    for (Cookie c : cookies) {
      if (jar.add(c)) {
        taken++;
      }
    }
    return taken;
  }

  private static boolean isJson(Path file) {
    Path name = file.getFileName();
    return name != null && name.toString().endsWith(".json");
  }
}
