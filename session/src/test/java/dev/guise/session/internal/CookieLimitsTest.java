package dev.guise.session.internal;

import static dev.guise.session.internal.CookieRulesTest.nav;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.session.Cookie;
import dev.guise.session.CookieContext;
import dev.guise.session.SameSite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Chrome's count limits with the RFC's eviction order, and hostile responses (issue #21): they end
 * bounded in time and memory, and the jar never sends what the rules forbid.
 */
class CookieLimitsTest {

  private final MutableClock clock = new MutableClock();
  private final BrowserCookieJar jar = new BrowserCookieJar(clock);

  @Test
  void oneDomainOverItsLimitIsPurgedToChromesLowWaterMark() {
    // One registrable domain, two hosts: c0 on a.example.com, the rest on www.example.com.
    CookieContext a = nav("https://a.example.com/");
    CookieContext www = nav("https://www.example.com/");
    for (int i = 0; i < BrowserCookieJar.MAX_PER_DOMAIN; i++) {
      assertEquals(CookieRejection.NONE, jar.storeField(i == 0 ? a : www, "c" + i + "=v"));
      clock.advance(Duration.ofSeconds(1));
    }
    assertEquals(180, jar.size());
    // c0 is read now, so it is no longer the least recently accessed.
    assertEquals(Optional.of("c0=v"), jar.cookieHeader(a));
    clock.advance(Duration.ofSeconds(1));
    assertEquals(CookieRejection.NONE, jar.storeField(www, "last=v"));
    assertEquals(150, jar.size());
    Set<String> names = jar.cookies().stream().map(Cookie::name).collect(Collectors.toSet());
    assertTrue(names.contains("c0"), "recently read");
    assertTrue(names.contains("last"), "just stored");
    // Evicted: the 31 least recently accessed, c1 ... c31 (c0 was read after them).
    for (int i = 1; i <= 31; i++) {
      assertFalse(names.contains("c" + i), "c" + i);
    }
    assertTrue(names.contains("c32"));
  }

  @Test
  void expiredCookiesGoBeforeLiveOnes() {
    CookieContext ex = nav("https://example.com/");
    for (int i = 0; i < 10; i++) {
      jar.storeField(ex, "short" + i + "=v; Max-Age=5");
    }
    clock.advance(Duration.ofSeconds(1));
    for (int i = 0; i < 170; i++) {
      jar.storeField(ex, "long" + i + "=v");
    }
    clock.advance(Duration.ofSeconds(10));
    jar.storeField(ex, "more=v");
    // The ten expired went first, then 21 live ones, the oldest.
    List<Cookie> left = jar.cookies();
    assertEquals(150, left.size());
    assertTrue(left.stream().noneMatch(c -> c.name().startsWith("short")));
    assertFalse(left.stream().anyMatch(c -> c.name().equals("long20")));
    assertTrue(left.stream().anyMatch(c -> c.name().equals("long21")));
  }

  @Test
  void theWholeJarOverItsLimitIsPurgedToChromesLowWaterMark() {
    int domains = BrowserCookieJar.MAX_COOKIES / 150 + 1;
    for (int d = 0; d < domains; d++) {
      CookieContext site = nav("https://site" + d + ".example/");
      for (int i = 0; i < 150; i++) {
        jar.storeField(site, "c" + i + "=v");
      }
      clock.advance(Duration.ofSeconds(1));
    }
    // 23 x 150 = 3450 stored: one purge at 3301 down to 3000, then 149 more.
    assertEquals(3000 + (domains * 150 - 3301), jar.size());
    // The first site, the least recently accessed, lost its cookies first.
    assertEquals(Optional.empty(), jar.cookieHeader(nav("https://site0.example/")));
    assertTrue(jar.cookieHeader(nav("https://site22.example/")).isPresent());
  }

  @Test
  void thousandsOfSetCookieInOneResponseStayBounded() {
    List<String> fields = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      fields.add("flood" + i + "=" + "x".repeat(100) + "; Path=/; Max-Age=3600");
    }
    // Well under a second on an idle machine; the bound allows for a loaded two-core CI.
    assertTimeoutPreemptively(
        Duration.ofSeconds(20), () -> jar.store(nav("https://example.com/"), fields));
    assertTrue(jar.size() <= BrowserCookieJar.MAX_PER_DOMAIN, "size " + jar.size());
    String header = jar.cookieHeader(nav("https://example.com/")).orElseThrow();
    assertTrue(header.length() < 180 * 120, "header " + header.length());
    // The newest survive.
    assertTrue(header.contains("flood9999="));
  }

  @Test
  void aOneMebibyteCookieIsDropped() {
    String big = "big=" + "x".repeat(1 << 20);
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () ->
            assertEquals(
                CookieRejection.TOO_LARGE, jar.storeField(nav("https://example.com/"), big)));
    String bigAttribute = "a=1; Domain=" + "x".repeat(1 << 20) + ".example.com";
    // The attribute is ignored (over 1024 octets): a host-only cookie.
    assertEquals(CookieRejection.NONE, jar.storeField(nav("https://example.com/"), bigAttribute));
    assertEquals(Optional.empty(), jar.cookieHeader(nav("https://www.example.com/")));
    assertEquals(1, jar.size());
  }

  @Test
  void floodsOfForbiddenCookiesLeaveNothing() {
    List<String> fields = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      fields.add("ps" + i + "=v; Domain=co.uk");
      fields.add("other" + i + "=v; Domain=other.com");
      fields.add("__Host-h" + i + "=v; Secure; Domain=example.co.uk; Path=/");
      fields.add("none" + i + "=v; SameSite=None");
    }
    jar.store(nav("https://www.example.co.uk/"), fields);
    List<String> secureOverHttp = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      secureOverHttp.add("s" + i + "=v; Secure");
    }
    jar.store(nav("http://www.example.co.uk/"), secureOverHttp);
    assertEquals(0, jar.size());
    for (String url :
        List.of(
            "https://www.example.co.uk/",
            "https://another.co.uk/",
            "https://other.com/",
            "http://www.example.co.uk/")) {
      assertEquals(Optional.empty(), jar.cookieHeader(nav(url)), url);
    }
  }

  @Test
  void loadedCookiesObeyTheSameRules() {
    Instant now = clock.instant();
    Cookie forSuffix =
        new Cookie(
            "a", "v", "co.uk", false, "/", Optional.empty(), true, false, SameSite.LAX, now, now);
    assertEquals(CookieRejection.PUBLIC_SUFFIX, jar.addCookie(forSuffix));
    Cookie hostPrefixWithDomain =
        new Cookie(
            "__Host-a",
            "v",
            "example.com",
            false,
            "/",
            Optional.empty(),
            true,
            false,
            SameSite.LAX,
            now,
            now);
    assertEquals(CookieRejection.HOST_PREFIX, jar.addCookie(hostPrefixWithDomain));
    Cookie upperCase =
        new Cookie(
            "a",
            "v",
            "Example.com",
            true,
            "/",
            Optional.empty(),
            true,
            false,
            SameSite.LAX,
            now,
            now);
    assertEquals(CookieRejection.BAD_DOMAIN, jar.addCookie(upperCase));
    Cookie huge =
        new Cookie(
            "a",
            "v".repeat(5000),
            "example.com",
            true,
            "/",
            Optional.empty(),
            true,
            false,
            SameSite.LAX,
            now,
            now);
    assertEquals(CookieRejection.TOO_LARGE, jar.addCookie(huge));
    assertEquals(0, jar.size());
  }
}
