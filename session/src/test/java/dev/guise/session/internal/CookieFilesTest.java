package dev.guise.session.internal;

import static dev.guise.session.internal.CookieRulesTest.nav;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.session.Cookie;
import dev.guise.session.CookieContext;
import dev.guise.session.CookieFileException;
import dev.guise.session.CookieFiles;
import dev.guise.session.CookieJar;
import dev.guise.session.CookieJars;
import dev.guise.session.SameSite;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading a jar: curl's Netscape cookies.txt and JSON, round trips and bad files. */
class CookieFilesTest {

  private static final String SECRET = "s3cr3t-Value";

  private final MutableClock clock = new MutableClock();

  /** A jar holding one cookie of each kind the formats must carry. */
  private CookieJar filledJar() {
    CookieJar jar = CookieJars.browser(clock);
    CookieContext www = nav("https://www.example.com/app/page");
    jar.store(
        www,
        List.of(
            "host=1",
            "domain=2; Domain=example.com; Path=/",
            "deep=3; Path=/app/deeper; Secure; HttpOnly",
            "persistent=" + SECRET + "; Max-Age=86400; SameSite=Strict",
            "none=4; SameSite=None; Secure; Path=/",
            "nameless",
            "tabbed=a\tb",
            "__Host-h=5; Secure; Path=/"));
    clock.advance(Duration.ofSeconds(5));
    jar.store(nav("https://127.0.0.1/"), List.of("ip=6; Expires=Wed, 01 Jan 2031 00:00:00 GMT"));
    clock.advance(Duration.ofSeconds(5));
    return jar;
  }

  private static final List<String> PROBES =
      List.of(
          "https://www.example.com/",
          "https://www.example.com/app/deeper/x",
          "https://example.com/app",
          "https://127.0.0.1/",
          "http://www.example.com/app/deeper");

  @Test
  void netscapeRoundTripKeepsWhatTheFormatHolds() throws IOException {
    CookieJar jar = filledJar();
    StringWriter file = new StringWriter();
    CookieFiles.writeNetscape(jar.cookies(), file);
    assertTrue(file.toString().startsWith("# Netscape HTTP Cookie File\n"));
    assertTrue(
        file.toString().contains("#HttpOnly_www.example.com\tFALSE\t/app/deeper\tTRUE\t0\tdeep\t3"),
        file.toString());
    assertTrue(file.toString().contains(".example.com\tTRUE\t/\tFALSE\t0\tdomain\t2\n"));
    long expiry = clock.instant().getEpochSecond() - 10 + 86400;
    assertTrue(
        file.toString()
            .contains(
                "www.example.com\tFALSE\t/app\tFALSE\t" + expiry + "\tpersistent\t" + SECRET));

    List<Cookie> read = CookieFiles.readNetscape(new StringReader(file.toString()), clock);
    CookieJar loaded = CookieJars.browser(clock);
    for (Cookie c : read) {
      assertTrue(loaded.add(c), c.toString());
    }
    // The format has no SameSite: all but the SameSite of each cookie survive.
    assertEquals(withoutSameSiteAndTimes(jar.cookies()), withoutSameSiteAndTimes(loaded.cookies()));
    assertTrue(loaded.cookies().stream().allMatch(c -> c.sameSite() == SameSite.UNSPECIFIED));
    // File order is creation order: same-site requests get the same header, in the same order.
    for (String url : PROBES) {
      assertEquals(jar.cookieHeader(nav(url)), loaded.cookieHeader(nav(url)), url);
    }
  }

  @Test
  void jsonRoundTripKeepsEverything() throws IOException {
    CookieJar jar = filledJar();
    StringWriter file = new StringWriter();
    CookieFiles.writeJson(jar.cookies(), file);
    List<Cookie> read = CookieFiles.readJson(new StringReader(file.toString()), clock);
    assertEquals(Set.copyOf(jar.cookies()), Set.copyOf(read));
    CookieJar loaded = CookieJars.browser(clock);
    read.forEach(loaded::add);
    assertEquals(Set.copyOf(jar.cookies()), Set.copyOf(loaded.cookies()));
    URI other = URI.create("https://other.example/");
    for (String url : PROBES) {
      assertEquals(jar.cookieHeader(nav(url)), loaded.cookieHeader(nav(url)), url);
      CookieContext crossSite =
          new CookieContext(URI.create(url), Optional.of(other), false, "GET");
      assertEquals(jar.cookieHeader(crossSite), loaded.cookieHeader(crossSite), url);
    }
  }

  @Test
  void saveAndLoadByFileName(@TempDir Path dir) throws IOException {
    for (String name : List.of("cookies.txt", "cookies.json")) {
      CookieJar jar = filledJar();
      Path file = dir.resolve(name);
      CookieFiles.save(jar, file);
      CookieJar loaded = CookieJars.browser(clock);
      assertEquals(jar.cookies().size(), CookieFiles.load(loaded, file, clock), name);
      assertEquals(
          jar.cookieHeader(nav("https://www.example.com/app/deeper")),
          loaded.cookieHeader(nav("https://www.example.com/app/deeper")));
    }
  }

  @Test
  void expiredCookiesInAFileAreSkipped() throws IOException {
    long past = clock.instant().getEpochSecond() - 1;
    long future = clock.instant().getEpochSecond() + 100;
    String file =
        "example.com\tFALSE\t/\tFALSE\t"
            + past
            + "\told\tv\n"
            + "example.com\tFALSE\t/\tFALSE\t"
            + future
            + "\tnew\tv\n";
    List<Cookie> read = CookieFiles.readNetscape(new StringReader(file), clock);
    assertEquals(List.of("new"), read.stream().map(Cookie::name).toList());
  }

  @Test
  void netscapeFileWithoutValueColumnReadsAnEmptyValue() throws IOException {
    List<Cookie> read =
        CookieFiles.readNetscape(
            new StringReader("example.com\tFALSE\t/\tFALSE\t0\tempty\n"), clock);
    assertEquals("", read.get(0).value());
  }

  @Test
  void badNetscapeFilesNameTheLine() {
    String head = "# Netscape HTTP Cookie File\n\n";
    assertNetscapeError(head + "example.com\tFALSE\t/\n", 3, "7 tab-separated columns");
    assertNetscapeError(
        head + "ok.com\tFALSE\t/\tFALSE\t0\ta\tb\nexample.com\tmaybe\t/\tFALSE\t0\tn\t" + SECRET,
        4,
        "subdomains column");
    assertNetscapeError(head + "example.com\tFALSE\t/\tno\t0\tn\t" + SECRET, 3, "secure column");
    assertNetscapeError(head + "example.com\tFALSE\t/\tFALSE\tsoon\tn\t" + SECRET, 3, "expiry");
    assertNetscapeError(head + "example.com\tFALSE\t/\tFALSE\t-5\tn\t" + SECRET, 3, "negative");
    assertNetscapeError(head + "example.com\tFALSE\trel\tFALSE\t0\tn\t" + SECRET, 3, "path");
    assertNetscapeError(head + "\tFALSE\t/\tFALSE\t0\tn\t" + SECRET, 3, "empty domain");
    assertNetscapeError(
        head + "example.com\tFALSE\t/\tFALSE\t0\tn\t" + SECRET + "x".repeat(20_000) + "\n",
        3,
        "longer than");
  }

  @Test
  void badJsonFilesNameTheLine() {
    String start = "{\n  \"format\": \"guise-cookies\",\n  \"version\": 1,\n  \"cookies\": [\n";
    String good =
        "    {\"name\": \"a\", \"value\": \"v\", \"domain\": \"example.com\", \"hostOnly\": true,"
            + " \"path\": \"/\", \"expires\": null, \"secure\": true, \"httpOnly\": false,"
            + " \"sameSite\": \"lax\", \"created\": \"2030-06-01T00:00:00Z\","
            + " \"lastAccessed\": \"2030-06-01T00:00:00Z\"}";
    // Line 6: a cookie without "domain".
    assertJsonError(
        start + good + ",\n" + good.replace("\"domain\": \"example.com\", ", "") + "\n  ]\n}",
        6,
        "lacks \"domain\"");
    // Line 5: a time that is no time.
    assertJsonError(
        start
            + good.replace("\"created\": \"2030-06-01T00:00:00Z\"", "\"created\": \"noon\"")
            + "\n  ]\n}",
        5,
        "ISO-8601");
    assertJsonError(start + good.replace("\"lax\"", "\"sideways\"") + "\n]}", 5, "sameSite");
    assertJsonError(start + good.replace("true", "\"yes\"") + "\n]}", 5, "hostOnly");
    // Line 5: not JSON at all; the text at fault (a value) is not repeated.
    assertJsonError(
        start + "    {\"name\": \"a\", \"value\": " + SECRET + "}\n]}", 5, "not valid JSON");
    assertJsonError(start.replace("guise-cookies", "other") + "]}", 2, "format");
    assertJsonError(start.replace("\"version\": 1", "\"version\": 7") + "]}", 3, "version");
    assertJsonError("[]", 1, "not a JSON object");
    assertJsonError(
        start + good.replace("\"v\"", "\"" + SECRET + "x".repeat(100_000) + "\"") + "\n]}",
        5,
        "not valid JSON");
  }

  @Test
  void valuesNeverShowInToStringOrErrors() throws IOException {
    CookieJar jar = filledJar();
    for (Cookie c : jar.cookies()) {
      assertFalse(c.toString().contains(SECRET), c.toString());
    }
    assertFalse(jar.toString().contains(SECRET));
    Set<String> names = jar.cookies().stream().map(Cookie::name).collect(Collectors.toSet());
    assertTrue(names.contains("persistent"));
    // A cookie the Netscape format cannot hold is named in the error, its value not shown.
    Instant now = clock.instant();
    Cookie tabbedName =
        new Cookie(
            "a\tb",
            SECRET,
            "example.com",
            true,
            "/",
            Optional.empty(),
            false,
            false,
            SameSite.LAX,
            now,
            now);
    IOException e =
        assertThrows(
            IOException.class,
            () -> CookieFiles.writeNetscape(List.of(tabbedName), new StringWriter()));
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
  }

  private void assertNetscapeError(String file, int line, String problem) {
    CookieFileException e =
        assertThrows(
            CookieFileException.class,
            () -> CookieFiles.readNetscape(new StringReader(file), clock));
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
  }

  private void assertJsonError(String file, int line, String problem) {
    CookieFileException e =
        assertThrows(
            CookieFileException.class, () -> CookieFiles.readJson(new StringReader(file), clock));
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
  }

  /** What a Netscape file holds of a cookie: no SameSite, no times, expiry in whole seconds. */
  private static Set<List<Object>> withoutSameSiteAndTimes(List<Cookie> cookies) {
    Set<List<Object>> out = new HashSet<>();
    for (Cookie c : cookies) {
      out.add(
          List.of(
              c.name(),
              c.value(),
              c.domain(),
              c.hostOnly(),
              c.path(),
              c.expires().map(i -> i.getEpochSecond()).orElse(0L),
              c.secure(),
              c.httpOnly()));
    }
    return out;
  }
}
