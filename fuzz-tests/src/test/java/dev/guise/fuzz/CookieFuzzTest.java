package dev.guise.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.guise.session.Cookie;
import dev.guise.session.CookieContext;
import dev.guise.session.CookieFileException;
import dev.guise.session.CookieFiles;
import dev.guise.session.CookieJar;
import dev.guise.session.CookieJars;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The cookie jar's parsers: {@code Set-Cookie} fields from a peer (never an exception; whatever is
 * stored keeps the RFC's limits and goes only where the rules allow) and jar files (read or a
 * {@link CookieFileException}, nothing else).
 */
class CookieFuzzTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2030-06-01T00:00:00Z"), ZoneOffset.UTC);

  private static final List<String> URLS =
      List.of(
          "https://www.example.co.uk/a/b/page",
          "https://example.com/",
          "http://127.0.0.1/x",
          "https://co.uk/",
          "https://[::1]/");

  @FuzzTest
  void setCookie(byte[] input) {
    if (input.length == 0) {
      return;
    }
    URI url = URI.create(URLS.get((input[0] & 0xff) % URLS.size()));
    // ISO-8859-1: one char per octet, as header field values reach the jar.
    String[] fields =
        new String(Arrays.copyOfRange(input, 1, input.length), StandardCharsets.ISO_8859_1)
            .split("\n");
    CookieJar jar = CookieJars.browser(CLOCK);
    jar.store(CookieContext.navigation(url), List.of(fields));
    for (Cookie c : jar.cookies()) {
      assertTrue(c.name().length() + c.value().length() <= 4096, "too large: " + c);
      assertTrue(c.path().startsWith("/"), c.toString());
    }
    Optional<String> header = jar.cookieHeader(CookieContext.navigation(url));
    // Only the request's own site ever gets the cookies.
    assertTrue(
        jar.cookieHeader(CookieContext.navigation(URI.create("https://other.test/"))).isEmpty());
    header.ifPresent(h -> assertFalse(h.indexOf('\r') >= 0 || h.indexOf('\n') >= 0, h));
  }

  @FuzzTest
  void jarFiles(byte[] input) throws IOException {
    String text = new String(input, StandardCharsets.UTF_8);
    CookieJar jar = CookieJars.browser(CLOCK);
    try {
      CookieFiles.readNetscape(new StringReader(text), CLOCK).forEach(jar::add);
    } catch (CookieFileException expected) {
      assertTrue(expected.line() >= 0);
    }
    try {
      CookieFiles.readJson(new StringReader(text), CLOCK).forEach(jar::add);
    } catch (CookieFileException expected) {
      assertTrue(expected.line() >= 0);
    }
  }
}
