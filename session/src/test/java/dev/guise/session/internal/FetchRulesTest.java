package dev.guise.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.guise.session.Sites;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The initiator-derived headers: sec-fetch-site over a redirect chain, referer, origin. */
class FetchRulesTest {
  private static final URI PAGE = URI.create("https://www.a.test/dir/page?q=1#top");
  private static final Sites SAME_REGISTRABLE_DOMAIN =
      (x, y) -> x.getHost().endsWith("a.test") == y.getHost().endsWith("a.test");

  @Test
  void secFetchSiteIsTheWeakestRelationOfTheChain() {
    URI same = URI.create("https://www.a.test/x");
    URI sibling = URI.create("https://img.a.test/x");
    URI other = URI.create("https://b.test/x");
    assertEquals(
        "none", FetchRules.secFetchSite(Optional.empty(), List.of(other), Sites.sameHost()));
    assertEquals(
        "same-origin", FetchRules.secFetchSite(Optional.of(PAGE), List.of(same), Sites.sameHost()));
    assertEquals(
        "same-site",
        FetchRules.secFetchSite(
            Optional.of(PAGE), List.of(same, sibling), SAME_REGISTRABLE_DOMAIN));
    assertEquals(
        "cross-site",
        FetchRules.secFetchSite(
            Optional.of(PAGE), List.of(same, other, same), SAME_REGISTRABLE_DOMAIN));
    assertEquals(
        "cross-site",
        FetchRules.secFetchSite(Optional.of(PAGE), List.of(sibling), Sites.sameHost()),
        "without a public suffix list, another host is another site");
  }

  @Test
  void refererUnderStrictOriginWhenCrossOrigin() {
    assertEquals(
        Optional.of("https://www.a.test/dir/page?q=1"),
        FetchRules.referer(Optional.of(PAGE), URI.create("https://www.a.test/style.css")),
        "same origin: the URL without its fragment");
    assertEquals(
        Optional.of("https://www.a.test/"),
        FetchRules.referer(Optional.of(PAGE), URI.create("https://b.test/")),
        "another origin: the origin alone");
    assertEquals(
        Optional.of("https://www.a.test:8443/"),
        FetchRules.referer(
            Optional.of(URI.create("https://www.a.test:8443/p")),
            URI.create("https://www.a.test/")),
        "another port is another origin");
    assertEquals(
        Optional.empty(), FetchRules.referer(Optional.of(PAGE), URI.create("http://www.a.test/")));
    assertEquals(Optional.empty(), FetchRules.referer(Optional.empty(), PAGE));
    // ChromiumTaintedOriginTest found the query's escapes decoded: they go as the URL had them.
    URI escaped = URI.create("https://user:pw@www.a.test:443/a%20b?to=https%3A%2F%2Fb.test%2F#f");
    assertEquals(
        Optional.of("https://www.a.test/a%20b?to=https%3A%2F%2Fb.test%2F"),
        FetchRules.referer(Optional.of(escaped), URI.create("https://www.a.test/x")),
        "escapes kept; no user info, default port or fragment");
  }

  @Test
  void originOnlyForCorsToAnotherOriginOrAnUnsafeMethod() {
    URI same = URI.create("https://www.a.test/api");
    URI other = URI.create("https://api.b.test/api");
    assertEquals(Optional.empty(), FetchRules.originHeader(Optional.of(PAGE), same, true, "GET"));
    assertEquals(
        Optional.of("https://www.a.test"),
        FetchRules.originHeader(Optional.of(PAGE), other, true, "GET"));
    assertEquals(
        Optional.of("https://www.a.test"),
        FetchRules.originHeader(Optional.of(PAGE), same, false, "POST"));
    assertEquals(Optional.empty(), FetchRules.originHeader(Optional.of(PAGE), other, false, "GET"));
    assertEquals(Optional.empty(), FetchRules.originHeader(Optional.empty(), same, false, "POST"));
  }
}
