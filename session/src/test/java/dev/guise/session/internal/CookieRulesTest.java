package dev.guise.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.guise.session.CookieContext;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 6265bis's rules as Chrome applies them, one row each: some Set-Cookie fields arrive (each
 * with the outcome the rules give it), time may pass on the injected clock, then a request asks for
 * its cookie header. The cases follow the RFC's sections: parsing (5.6), domain and public suffixes
 * (5.1.3, 5.7), path (5.1.4), Secure (5.7), prefixes (5.7), SameSite (5.7, 5.8.3), expiry (5.6) and
 * the header (5.8.3).
 */
class CookieRulesTest {

  /** One Set-Cookie field arriving for a request, and what the jar must make of it. */
  record Set(CookieContext from, String field, CookieRejection outcome) {}

  /** A case: fields stored in order, time passing, then a request and the header it must get. */
  record Case(String label, List<Set> sets, Duration later, CookieContext to, String header) {
    @Override
    public String toString() {
      return label;
    }
  }

  static Stream<Case> cases() {
    List<Case> c = new ArrayList<>();
    String ex = "https://example.com/";
    // --- Parsing (5.6) ---
    c.add(row("plain cookie", nav(ex), "a=1", CookieRejection.NONE, nav(ex), "a=1"));
    c.add(
        row(
            "whitespace trimmed",
            nav(ex),
            " a = b c ; Path=/",
            CookieRejection.NONE,
            nav(ex),
            "a=b c"));
    c.add(row("quotes kept", nav(ex), "a=\"b\"", CookieRejection.NONE, nav(ex), "a=\"b\""));
    c.add(row("nameless cookie", nav(ex), "token", CookieRejection.NONE, nav(ex), "token"));
    c.add(row("empty name with =", nav(ex), "=token", CookieRejection.NONE, nav(ex), "token"));
    c.add(row("empty value", nav(ex), "a=", CookieRejection.NONE, nav(ex), "a="));
    c.add(row("empty name and value", nav(ex), "=", CookieRejection.EMPTY, nav(ex), null));
    c.add(
        row(
            "NUL rejects",
            nav(ex),
            "a=1\u0000x",
            CookieRejection.CONTROL_CHARACTER,
            nav(ex),
            null));
    c.add(row("CR rejects", nav(ex), "a=1\rb=2", CookieRejection.CONTROL_CHARACTER, nav(ex), null));
    c.add(row("tab allowed", nav(ex), "a=1\t2", CookieRejection.NONE, nav(ex), "a=1\t2"));
    c.add(
        row(
            "name+value 4096 octets",
            nav(ex),
            "n=" + "v".repeat(4095),
            CookieRejection.NONE,
            nav(ex),
            "n=" + "v".repeat(4095)));
    c.add(
        row(
            "name+value 4097 octets",
            nav(ex),
            "n=" + "v".repeat(4096),
            CookieRejection.TOO_LARGE,
            nav(ex),
            null));
    c.add(
        row(
            "attribute over 1024 octets ignored",
            nav("https://example.com/dir/page"),
            "a=1; Path=/" + "p".repeat(1024),
            CookieRejection.NONE,
            nav("https://example.com/dir/x"),
            "a=1"));
    c.add(
        row(
            "attribute of 1024 octets kept",
            nav("https://example.com/dir/page"),
            "a=1; Path=/" + "p".repeat(1023),
            CookieRejection.NONE,
            nav("https://example.com/dir/x"),
            null));
    c.add(
        row(
            "nameless value like __Host-",
            nav(ex),
            "__Host-x",
            CookieRejection.NAMELESS_PREFIX,
            nav(ex),
            null));
    c.add(
        row(
            "nameless value like __secure-",
            nav(ex),
            "=__secure-x",
            CookieRejection.NAMELESS_PREFIX,
            nav(ex),
            null));

    // --- Domain, host-only, public suffixes (5.1.3, 5.7) ---
    c.add(
        row(
            "host-only not to a subdomain",
            nav(ex),
            "a=1",
            CookieRejection.NONE,
            nav("https://www.example.com/"),
            null));
    c.add(
        row(
            "Domain to a subdomain",
            nav("https://www.example.com/"),
            "a=1; Domain=example.com",
            CookieRejection.NONE,
            nav("https://api.example.com/"),
            "a=1"));
    c.add(
        row(
            "Domain with dot and upper case",
            nav("https://www.example.com/"),
            "a=1; Domain=.EXAMPLE.com",
            CookieRejection.NONE,
            nav("https://example.com/"),
            "a=1"));
    c.add(
        row(
            "last Domain wins",
            nav("https://www.example.com/"),
            "a=1; Domain=other.com; Domain=example.com",
            CookieRejection.NONE,
            nav("https://x.example.com/"),
            "a=1"));
    c.add(
        row(
            "empty Domain ignored: host-only",
            nav(ex),
            "a=1; Domain=",
            CookieRejection.NONE,
            nav("https://www.example.com/"),
            null));
    c.add(
        row(
            "Domain of another site",
            nav(ex),
            "a=1; Domain=other.com",
            CookieRejection.FOREIGN_DOMAIN,
            nav("https://other.com/"),
            null));
    c.add(
        row(
            "Domain not on a label boundary",
            nav(ex),
            "a=1; Domain=ample.com",
            CookieRejection.FOREIGN_DOMAIN,
            nav("https://ample.com/"),
            null));
    c.add(
        row(
            "Domain of a subdomain of the host",
            nav(ex),
            "a=1; Domain=www.example.com",
            CookieRejection.FOREIGN_DOMAIN,
            nav("https://www.example.com/"),
            null));
    c.add(
        row(
            "Domain=co.uk (public suffix)",
            nav("https://www.example.co.uk/"),
            "a=1; Domain=co.uk",
            CookieRejection.PUBLIC_SUFFIX,
            nav("https://other.co.uk/"),
            null));
    c.add(
        row(
            "Domain=com (public suffix)",
            nav(ex),
            "a=1; Domain=com",
            CookieRejection.PUBLIC_SUFFIX,
            nav("https://other.com/"),
            null));
    c.add(
        row(
            "Domain=github.io (private section)",
            nav("https://me.github.io/"),
            "a=1; Domain=github.io",
            CookieRejection.PUBLIC_SUFFIX,
            nav("https://you.github.io/"),
            null));
    c.add(
        row(
            "Domain=example.co.uk under a suffix",
            nav("https://www.example.co.uk/"),
            "a=1; Domain=example.co.uk",
            CookieRejection.NONE,
            nav("https://shop.example.co.uk/"),
            "a=1"));
    c.add(
        row(
            "Domain=co.uk from co.uk: host-only there",
            nav("https://co.uk/"),
            "a=1; Domain=co.uk",
            CookieRejection.NONE,
            nav("https://co.uk/"),
            "a=1"));
    c.add(
        row(
            "Domain=co.uk from co.uk: not to example.co.uk",
            nav("https://co.uk/"),
            "a=1; Domain=co.uk",
            CookieRejection.NONE,
            nav("https://example.co.uk/"),
            null));
    c.add(
        row(
            "IP address host",
            nav("https://127.0.0.1/"),
            "a=1; Domain=127.0.0.1",
            CookieRejection.NONE,
            nav("https://127.0.0.1/"),
            "a=1"));
    c.add(
        row(
            "IP address: no suffix match",
            nav("https://127.0.0.1/"),
            "a=1; Domain=0.0.1",
            CookieRejection.FOREIGN_DOMAIN,
            nav("https://127.0.0.1/"),
            null));
    c.add(
        row(
            "IDN Domain in Unicode",
            nav("https://www.xn--bcher-kva.example/"),
            "a=1; Domain=b\u00fccher.example",
            CookieRejection.NONE,
            nav("https://xn--bcher-kva.example/"),
            "a=1"));

    // --- Path (5.1.4) ---
    String page = "https://example.com/a/b/page";
    c.add(
        row(
            "default path: sent below",
            nav(page),
            "a=1",
            CookieRejection.NONE,
            at("/a/b/c/d"),
            "a=1"));
    c.add(row("default path: itself", nav(page), "a=1", CookieRejection.NONE, at("/a/b"), "a=1"));
    c.add(
        row(
            "default path: not a sibling",
            nav(page),
            "a=1",
            CookieRejection.NONE,
            at("/a/bc"),
            null));
    c.add(row("default path: not above", nav(page), "a=1", CookieRejection.NONE, at("/a"), null));
    c.add(
        row(
            "default path of /x is /",
            nav("https://example.com/x"),
            "a=1",
            CookieRejection.NONE,
            at("/y"),
            "a=1"));
    c.add(
        row(
            "Path=/docs below",
            nav(ex),
            "a=1; Path=/docs",
            CookieRejection.NONE,
            at("/docs/x"),
            "a=1"));
    c.add(
        row(
            "Path=/docs not /docsx",
            nav(ex),
            "a=1; Path=/docs",
            CookieRejection.NONE,
            at("/docsx"),
            null));
    c.add(
        row(
            "Path=/docs/ to /docs/",
            nav(ex),
            "a=1; Path=/docs/",
            CookieRejection.NONE,
            at("/docs/"),
            "a=1"));
    c.add(
        row(
            "Path=/docs/ not /docs",
            nav(ex),
            "a=1; Path=/docs/",
            CookieRejection.NONE,
            at("/docs"),
            null));
    c.add(
        row(
            "relative Path: default",
            nav(page),
            "a=1; Path=docs",
            CookieRejection.NONE,
            at("/a/b/x"),
            "a=1"));
    c.add(
        row(
            "relative Path: not /docs",
            nav(page),
            "a=1; Path=docs",
            CookieRejection.NONE,
            at("/docs"),
            null));

    // --- Secure (5.7; 5.8.3) ---
    c.add(
        row(
            "Secure from http",
            nav("http://example.com/"),
            "a=1; Secure",
            CookieRejection.SECURE_FROM_INSECURE,
            nav(ex),
            null));
    c.add(
        row(
            "Secure not to http",
            nav(ex),
            "a=1; Secure",
            CookieRejection.NONE,
            nav("http://example.com/"),
            null));
    c.add(row("Secure to https", nav(ex), "a=1; Secure", CookieRejection.NONE, nav(ex), "a=1"));
    c.add(
        new Case(
            "http may not shadow a Secure cookie",
            List.of(
                new Set(nav(ex), "a=secure; Secure", CookieRejection.NONE),
                new Set(nav("http://example.com/"), "a=plain", CookieRejection.SHADOWS_SECURE)),
            Duration.ZERO,
            nav(ex),
            "a=secure"));
    c.add(
        new Case(
            "http may set another name next to a Secure cookie",
            List.of(
                new Set(nav(ex), "a=secure; Secure", CookieRejection.NONE),
                new Set(nav("http://example.com/"), "b=plain", CookieRejection.NONE)),
            Duration.ZERO,
            nav("http://example.com/"),
            "b=plain"));

    // --- Prefixes (5.7) ---
    c.add(
        row(
            "__Secure- without Secure",
            nav(ex),
            "__Secure-a=1",
            CookieRejection.SECURE_PREFIX,
            nav(ex),
            null));
    c.add(
        row(
            "__SECURE- any case",
            nav(ex),
            "__SECURE-a=1",
            CookieRejection.SECURE_PREFIX,
            nav(ex),
            null));
    c.add(
        row(
            "__Secure- with Secure",
            nav(ex),
            "__Secure-a=1; Secure",
            CookieRejection.NONE,
            nav(ex),
            "__Secure-a=1"));
    c.add(
        row(
            "__Host- well formed",
            nav(ex),
            "__Host-a=1; Secure; Path=/",
            CookieRejection.NONE,
            nav("https://example.com/deep/path"),
            "__Host-a=1"));
    c.add(
        row(
            "__Host- without Secure",
            nav(ex),
            "__Host-a=1; Path=/",
            CookieRejection.HOST_PREFIX,
            nav(ex),
            null));
    c.add(
        row(
            "__Host- without Path",
            nav(ex),
            "__Host-a=1; Secure",
            CookieRejection.HOST_PREFIX,
            nav(ex),
            null));
    c.add(
        row(
            "__Host- with Path=/x",
            nav("https://example.com/x/y"),
            "__Host-a=1; Secure; Path=/x",
            CookieRejection.HOST_PREFIX,
            nav("https://example.com/x/y"),
            null));
    c.add(
        row(
            "__Host- with Domain",
            nav(ex),
            "__Host-a=1; Secure; Path=/; Domain=example.com",
            CookieRejection.HOST_PREFIX,
            nav(ex),
            null));
    c.add(
        row(
            "__host- any case",
            nav(ex),
            "__host-a=1; Path=/",
            CookieRejection.HOST_PREFIX,
            nav(ex),
            null));

    // --- SameSite (5.7, 5.8.3); schemeful, by registrable domain ---
    URI top = URI.create("https://example.com/");
    URI otherTop = URI.create("https://other.com/");
    c.add(
        row(
            "Strict same-site subresource",
            nav(ex),
            "a=1; SameSite=Strict",
            CookieRejection.NONE,
            sub("https://cdn.example.com/x", top),
            null));
    c.add(
        row(
            "Strict sent same-site",
            nav("https://www.example.com/"),
            "a=1; SameSite=Strict; Domain=example.com",
            CookieRejection.NONE,
            sub("https://cdn.example.com/x", top),
            "a=1"));
    c.add(
        row(
            "Strict not cross-site subresource",
            nav(ex),
            "a=1; SameSite=Strict",
            CookieRejection.NONE,
            sub(ex, otherTop),
            null));
    c.add(
        row(
            "Strict not cross-site navigation",
            nav(ex),
            "a=1; SameSite=Strict",
            CookieRejection.NONE,
            link(ex, otherTop, "GET"),
            null));
    c.add(
        row(
            "Lax cross-site navigation GET",
            nav(ex),
            "a=1; SameSite=Lax",
            CookieRejection.NONE,
            link(ex, otherTop, "GET"),
            "a=1"));
    c.add(
        row(
            "Lax not cross-site navigation POST",
            nav(ex),
            "a=1; SameSite=Lax",
            CookieRejection.NONE,
            link(ex, otherTop, "POST"),
            null));
    c.add(
        row(
            "Lax not cross-site subresource",
            nav(ex),
            "a=1; SameSite=Lax",
            CookieRejection.NONE,
            sub(ex, otherTop),
            null));
    c.add(
        row(
            "Lax same-site POST",
            nav(ex),
            "a=1; SameSite=Lax",
            CookieRejection.NONE,
            new CookieContext(URI.create(ex), Optional.of(top), false, "POST"),
            "a=1"));
    c.add(
        row(
            "default is Lax: not cross-site subresource",
            nav(ex),
            "a=1",
            CookieRejection.NONE,
            sub(ex, otherTop),
            null));
    c.add(
        row(
            "default is Lax: cross-site navigation GET",
            nav(ex),
            "a=1",
            CookieRejection.NONE,
            link(ex, otherTop, "GET"),
            "a=1"));
    c.add(
        row(
            "unknown SameSite is default",
            nav(ex),
            "a=1; SameSite=bogus",
            CookieRejection.NONE,
            sub(ex, otherTop),
            null));
    c.add(
        new Case(
            "default: cross-site POST navigation within 2 minutes",
            List.of(new Set(nav(ex), "a=1", CookieRejection.NONE)),
            Duration.ofSeconds(119),
            link(ex, otherTop, "POST"),
            "a=1"));
    c.add(
        new Case(
            "default: no cross-site POST navigation after 2 minutes",
            List.of(new Set(nav(ex), "a=1", CookieRejection.NONE)),
            Duration.ofSeconds(120),
            link(ex, otherTop, "POST"),
            null));
    c.add(
        new Case(
            "explicit Lax: no 2-minute allowance",
            List.of(new Set(nav(ex), "a=1; SameSite=Lax", CookieRejection.NONE)),
            Duration.ofSeconds(1),
            link(ex, otherTop, "POST"),
            null));
    c.add(
        row(
            "None without Secure",
            nav(ex),
            "a=1; SameSite=None",
            CookieRejection.NONE_WITHOUT_SECURE,
            nav(ex),
            null));
    c.add(
        row(
            "None cross-site subresource",
            nav(ex),
            "a=1; SameSite=None; Secure",
            CookieRejection.NONE,
            sub(ex, otherTop),
            "a=1"));
    c.add(
        row(
            "Lax set by cross-site subresource",
            sub(ex, otherTop),
            "a=1; SameSite=Lax",
            CookieRejection.CROSS_SITE,
            nav(ex),
            null));
    c.add(
        row(
            "default set by cross-site subresource",
            sub(ex, otherTop),
            "a=1",
            CookieRejection.CROSS_SITE,
            nav(ex),
            null));
    c.add(
        row(
            "Strict set by cross-site navigation",
            link(ex, otherTop, "GET"),
            "a=1; SameSite=Strict",
            CookieRejection.NONE,
            nav(ex),
            "a=1"));
    c.add(
        row(
            "None set by cross-site subresource",
            sub(ex, otherTop),
            "a=1; SameSite=None; Secure",
            CookieRejection.NONE,
            nav(ex),
            "a=1"));
    c.add(
        row(
            "schemeful: http top is another site",
            nav(ex),
            "a=1; SameSite=Strict",
            CookieRejection.NONE,
            sub(ex, URI.create("http://example.com/")),
            null));
    c.add(
        row(
            "github.io subdomains are different sites",
            nav("https://a.github.io/"),
            "a=1; SameSite=Strict",
            CookieRejection.NONE,
            sub("https://a.github.io/x", URI.create("https://b.github.io/")),
            null));
    c.add(
        row(
            "co.uk registrable domain is same-site",
            nav("https://www.example.co.uk/"),
            "a=1; SameSite=Strict",
            CookieRejection.NONE,
            sub("https://www.example.co.uk/x", URI.create("https://shop.example.co.uk/")),
            "a=1"));

    // --- Expiry with the injected clock (5.6, 5.7) ---
    c.add(later("Max-Age=60 at 59 s", "a=1; Max-Age=60", 59, "a=1"));
    c.add(later("Max-Age=60 at 60 s", "a=1; Max-Age=60", 60, null));
    c.add(
        later(
            "Max-Age beats an earlier Expires",
            "a=1; Max-Age=100; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            50,
            "a=1"));
    c.add(
        later(
            "Max-Age beats a later Expires",
            "a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT; Max-Age=10",
            10,
            null));
    c.add(later("bad Max-Age ignored", "a=1; Max-Age=1x", 100_000, "a=1"));
    c.add(later("Max-Age=+5 ignored", "a=1; Max-Age=+5", 100_000, "a=1"));
    c.add(later("Expires future", "a=1; Expires=Wed, 01 Jan 2031 00:00:00 GMT", 3600, "a=1"));
    c.add(
        later(
            "Expires passes",
            "a=1; Expires=Wed, 01 Jan 2031 00:00:00 GMT",
            (long) 400 * 86400,
            null));
    c.add(
        later(
            "Expires capped at 400 days",
            "a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
            (long) 400 * 86400,
            null));
    c.add(
        later(
            "Expires just under 400 days",
            "a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
            (long) 400 * 86400 - 1,
            "a=1"));
    c.add(
        later(
            "huge Max-Age capped",
            "a=1; Max-Age=99999999999999999999999",
            (long) 400 * 86400,
            null));
    c.add(later("bad Expires ignored", "a=1; Expires=someday", 100_000_000, "a=1"));
    c.add(
        new Case(
            "Max-Age=0 deletes",
            List.of(
                new Set(nav(ex), "a=1", CookieRejection.NONE),
                new Set(nav(ex), "a=2; Max-Age=0", CookieRejection.EXPIRED)),
            Duration.ZERO,
            nav(ex),
            null));
    c.add(
        new Case(
            "past Expires deletes",
            List.of(
                new Set(nav(ex), "a=1; Path=/", CookieRejection.NONE),
                new Set(
                    nav(ex), "a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", CookieRejection.EXPIRED)),
            Duration.ZERO,
            nav(ex),
            null));
    c.add(
        new Case(
            "deleting needs the same path",
            List.of(
                new Set(nav(ex), "a=1; Path=/", CookieRejection.NONE),
                new Set(nav(ex), "a=; Max-Age=-1; Path=/x", CookieRejection.EXPIRED)),
            Duration.ZERO,
            nav(ex),
            "a=1"));

    // --- The header: longer paths first, then earlier creation; a replacement keeps its place ---
    c.add(
        new Case(
            "longer path first",
            List.of(
                new Set(nav(ex), "a=1; Path=/", CookieRejection.NONE),
                new Set(nav(ex), "b=2; Path=/x", CookieRejection.NONE),
                new Set(nav(ex), "c=3; Path=/x/y", CookieRejection.NONE)),
            Duration.ZERO,
            at("/x/y/z"),
            "c=3; b=2; a=1"));
    c.add(
        new Case(
            "same path: creation order",
            List.of(
                new Set(nav(ex), "z=1", CookieRejection.NONE),
                new Set(nav(ex), "y=2", CookieRejection.NONE),
                new Set(nav(ex), "x=3", CookieRejection.NONE)),
            Duration.ZERO,
            nav(ex),
            "z=1; y=2; x=3"));
    c.add(
        new Case(
            "replacement keeps creation time",
            List.of(
                new Set(nav(ex), "z=1", CookieRejection.NONE),
                new Set(nav(ex), "y=2", CookieRejection.NONE),
                new Set(nav(ex), "z=9", CookieRejection.NONE)),
            Duration.ZERO,
            nav(ex),
            "z=9; y=2"));
    c.add(
        new Case(
            "host-only and domain cookies of one name are two cookies",
            List.of(
                new Set(nav(ex), "a=host", CookieRejection.NONE),
                new Set(nav(ex), "a=domain; Domain=example.com", CookieRejection.NONE)),
            Duration.ZERO,
            nav(ex),
            "a=host; a=domain"));
    return c.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void appliesTheRules(Case c) {
    MutableClock clock = new MutableClock();
    BrowserCookieJar jar = new BrowserCookieJar(clock);
    for (Set s : c.sets()) {
      assertEquals(s.outcome(), jar.storeField(s.from(), s.field()), "storing " + s.field());
      clock.advance(Duration.ofMillis(1));
    }
    clock.advance(c.later());
    assertEquals(Optional.ofNullable(c.header()), jar.cookieHeader(c.to()));
  }

  private static Case row(
      String label,
      CookieContext from,
      String field,
      CookieRejection outcome,
      CookieContext to,
      String header) {
    return new Case(label, List.of(new Set(from, field, outcome)), Duration.ZERO, to, header);
  }

  private static Case later(String label, String field, long seconds, String header) {
    CookieContext ex = nav("https://example.com/");
    return new Case(
        label,
        List.of(new Set(ex, field, CookieRejection.NONE)),
        Duration.ofSeconds(seconds),
        ex,
        header);
  }

  static CookieContext nav(String url) {
    return CookieContext.navigation(URI.create(url));
  }

  private static CookieContext at(String path) {
    return nav("https://example.com" + path);
  }

  /** A subresource request (script, image, fetch) of a document at {@code top}. */
  static CookieContext sub(String url, URI top) {
    return new CookieContext(URI.create(url), Optional.of(top), false, "GET");
  }

  /** A top-level navigation started by a document at {@code from} (a link, a form). */
  static CookieContext link(String url, URI from, String method) {
    return new CookieContext(URI.create(url), Optional.of(from), true, method);
  }
}
