package dev.guise.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.fingerprint.RequestKind;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.config.PoolConfig;
import dev.guise.testkit.TestRequest;
import dev.guise.testkit.TestResponse;
import dev.guise.testkit.TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redirects followed as the browser follows them, against the testkit server: each status's method
 * and body rules, the caller's Authorization and Cookie left behind at another origin while the jar
 * decides for its own cookies, sec-fetch-site, referer and origin per hop, the 20-hop limit, loops,
 * and each way a redirect cannot be followed ending with its failure kind.
 */
class RedirectTest {
  private static final String A = "a.redirect.test";
  private static final String B = "b.redirect.test";
  private static final List<TestRequest> SEEN = new CopyOnWriteArrayList<>();
  private static TestServer server;
  private static HotConnectionPool pool;
  private static GuiseClient client;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.builder()
            .loopbackAddresses(1)
            .hostNames(A, B)
            .handler(RedirectTest::handle)
            .build()
            .start();
    pool =
        HotConnectionPool.create(
            PoolConfig.builder()
                .engine("bouncycastle")
                .profile("chrome")
                .trust(server.certificateAuthority().trustPolicy())
                .build());
    client = new GuiseClient(pool);
  }

  @AfterAll
  static void stop() {
    client.close();
    pool.close();
    server.close();
  }

  @BeforeEach
  void clear() {
    SEEN.clear();
  }

  private static TestResponse handle(TestRequest r) {
    SEEN.add(r);
    String path = r.path();
    String query =
        r.target().contains("?") ? r.target().substring(r.target().indexOf('?') + 1) : "";
    if (path.startsWith("/status/")) {
      int status = Integer.parseInt(path.substring("/status/".length()));
      return redirect(status, query.isEmpty() ? "/echo" : query.substring("to=".length()));
    }
    if (path.startsWith("/chain/")) {
      int n = Integer.parseInt(path.substring("/chain/".length()));
      return n == 0 ? TestResponse.ok("end") : redirect(302, "/chain/" + (n - 1));
    }
    if (path.startsWith("/to/")) {
      // The Location is the rest of the target, verbatim: odd forms a query would not carry.
      return redirect(302, r.target().substring("/to/".length()));
    }
    return switch (path) {
      case "/loop" -> redirect(302, "/loop");
      case "/ping" -> redirect(302, "/pong");
      case "/pong" -> redirect(302, "/ping");
      case "/long" -> redirect(302, "/echo?" + "a".repeat(16_000));
      case "/huge" -> redirect(302, "/echo?" + "a".repeat(300_000));
      case "/rel/dots/a" -> redirect(302, "../../../echo");
      case "/rel/scheme-relative" -> redirect(302, "//" + B + ":" + server.port() + "/echo");
      case "/rel/fragment" -> redirect(302, "/echo?x=1#top");
      case "/rel/query" ->
          query.isEmpty() ? redirect(302, "?only=query") : TestResponse.ok("query " + query);
      case "/rel/backslash" -> redirect(302, "/\\" + B + ":" + server.port() + "/echo");
      case "/rel/raw" -> redirect(302, "/a\t dir/x|y^z?q=a b");
      case "/check" ->
          r.header("cookie").isPresent()
              ? TestResponse.ok("passed")
              : redirect(302, "/check").withHeader("set-cookie", "bot=ok; Path=/");
      case "/nolocation" -> TestResponse.text(302, "nowhere");
      case "/bad" -> redirect(302, "https://[not a host");
      case "/plain" -> redirect(302, "http://" + A + "/echo");
      default -> TestResponse.ok(r.method() + " " + new String(r.body(), StandardCharsets.UTF_8));
    };
  }

  private static TestResponse redirect(int status, String location) {
    return TestResponse.text(status, "").withHeader("location", location);
  }

  private static URI url(String host, String pathAndQuery) {
    return URI.create("https://" + host + ":" + server.port() + pathAndQuery);
  }

  private static Session session(ListJar jar) {
    return Session.builder(client)
        .cookieJar(jar)
        .resolve(A, server.addresses().get(0))
        .resolve(B, server.addresses().get(0))
        .build();
  }

  /** A session whose current document is a.test's /page, the initiator of its fetches. */
  private static Session onPage() {
    Session s = session(new ListJar());
    s.currentDocument(url(A, "/page"));
    return s;
  }

  private static SessionRequest post(String path) {
    return SessionRequest.builder(RequestKind.FETCH, url(A, path))
        .method("POST", "{\"a\":1}".getBytes(StandardCharsets.UTF_8))
        .header("content-type", "application/json")
        .header("authorization", "Bearer secret-token")
        .build();
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303})
  void aPostRedirectedBy301To303BecomesAGetWithoutBodyOrItsHeaders(int status) throws Exception {
    SessionResponse r = onPage().send(post("/status/" + status));
    assertEquals("GET ", r.response().bodyText());
    assertEquals(
        List.of(
            new SessionResponse.Redirect(
                url(A, "/status/" + status), status, url(A, "/echo"), "GET")),
        r.redirects());
    TestRequest hop = SEEN.get(1);
    assertEquals("GET", hop.method());
    assertEquals(Optional.empty(), hop.header("content-type"));
    assertEquals(Optional.empty(), hop.header("content-length"));
    assertEquals(Optional.empty(), hop.header("origin"), "a same-origin GET fetch has no origin");
    assertEquals(
        Optional.of("Bearer secret-token"), hop.header("authorization"), "same origin: kept");
  }

  @ParameterizedTest
  @ValueSource(ints = {307, 308})
  void a307Or308KeepsMethodBodyAndHeaders(int status) throws Exception {
    SessionResponse r = onPage().send(post("/status/" + status));
    assertEquals("POST {\"a\":1}", r.response().bodyText());
    TestRequest hop = SEEN.get(1);
    assertEquals(Optional.of("application/json"), hop.header("content-type"));
    assertEquals(Optional.of("7"), hop.header("content-length"));
    assertEquals(Optional.of(FetchOrigin.of(url(A, "/"))), hop.header("origin"));
  }

  @Test
  void a303KeepsAGetAGet() throws Exception {
    SessionResponse r =
        session(new ListJar()).send(SessionRequest.of(RequestKind.FETCH, url(A, "/status/303")));
    assertEquals("GET ", r.response().bodyText());
  }

  @Test
  void anotherOriginGetsNeitherTheCallersAuthorizationNorCookieButTheJarDecidesItsOwn()
      throws Exception {
    ListJar jar = new ListJar();
    jar.store(CookieContext.navigation(url(B, "/")), List.of("b=jar; Path=/"));
    jar.store(CookieContext.navigation(url(A, "/")), List.of("a=jar; Path=/"));
    Session session = session(jar);
    session.currentDocument(url(A, "/page"));
    SessionResponse r =
        session.send(
            SessionRequest.builder(RequestKind.FETCH, url(A, "/status/307?to=" + url(B, "/echo")))
                .header("authorization", "Bearer secret-token")
                .header("cookie", "caller=1")
                .build());
    assertEquals(200, r.status());
    TestRequest first = SEEN.get(0);
    assertEquals(Optional.of("Bearer secret-token"), first.header("authorization"));
    assertEquals(
        Optional.of("caller=1"), first.header("cookie"), "the caller's replaces the jar's");
    TestRequest hop = SEEN.get(1);
    assertEquals(B, hop.authority().split(":")[0]);
    assertEquals(Optional.empty(), hop.header("authorization"));
    assertEquals(Optional.of("b=jar"), hop.header("cookie"), "the jar's cookie for b, only");
    // The hosts are different sites for the default Sites (same host only).
    assertEquals(Optional.of("cross-site"), hop.header("sec-fetch-site"));
    assertEquals(Optional.of(FetchOrigin.of(url(A, "/")) + "/"), hop.header("referer"));
    assertEquals(Optional.of(FetchOrigin.of(url(A, "/"))), hop.header("origin"));
    assertEquals(Optional.of("same-origin"), first.header("sec-fetch-site"));
    assertEquals(Optional.of(url(A, "/page").toString()), first.header("referer"));

    ListJar refusing = new ListJar(c -> !c.url().getHost().equals(B));
    refusing.store(CookieContext.navigation(url(B, "/")), List.of("b=jar; Path=/"));
    SEEN.clear();
    session(refusing)
        .send(SessionRequest.of(RequestKind.FETCH, url(A, "/status/302?to=" + url(B, "/echo"))));
    assertEquals(Optional.empty(), SEEN.get(1).header("cookie"), "the jar said no");
  }

  @Test
  void twentyRedirectsAreFollowedTheTwentyFirstIsAClassifiedFailure() throws Exception {
    SessionResponse r = session(new ListJar()).send(SessionRequest.typed(url(A, "/chain/20")));
    assertEquals(200, r.status());
    assertEquals(20, r.redirects().size());
    SEEN.clear();
    ClassifiedIOException e =
        assertThrows(
            ClassifiedIOException.class,
            () -> session(new ListJar()).send(SessionRequest.typed(url(A, "/chain/21"))));
    assertEquals(FailureKind.TOO_MANY_REDIRECTS, e.kind());
    assertFalse(e.failure().retryable());
    assertEquals(21, SEEN.size(), "the 21st redirect is not followed");
  }

  @Test
  void aLoopIsDetectedButASelfRedirectThatSetsACookieIsFollowed() throws Exception {
    ClassifiedIOException e =
        assertThrows(
            ClassifiedIOException.class,
            () -> session(new ListJar()).send(SessionRequest.typed(url(A, "/loop"))));
    assertEquals(FailureKind.REDIRECT_LOOP, e.kind());
    assertEquals(1, SEEN.size(), "the same request is not sent twice");

    SessionResponse r = session(new ListJar()).send(SessionRequest.typed(url(A, "/check")));
    assertEquals("passed", r.response().bodyText());
    assertEquals(1, r.redirects().size());
  }

  @Test
  void aRedirectWithoutLocationOrWithFollowingOffIsTheAnswer() throws Exception {
    SessionResponse r = session(new ListJar()).send(SessionRequest.typed(url(A, "/nolocation")));
    assertEquals(302, r.status());
    assertTrue(r.redirects().isEmpty());

    Session noFollow =
        Session.builder(client)
            .cookieJar(new ListJar())
            .followRedirects(false)
            .resolve(A, server.addresses().get(0))
            .build();
    SessionResponse s = noFollow.send(SessionRequest.typed(url(A, "/status/302")));
    assertEquals(302, s.status());
    assertEquals(Optional.empty(), noFollow.currentDocument(), "a redirect loads no document");
  }

  @Test
  void aLocationThatDoesNotParseOrLeavesHttpsIsAnInvalidRedirect() {
    for (String path : List.of("/bad", "/plain")) {
      ClassifiedIOException e =
          assertThrows(
              ClassifiedIOException.class,
              () -> session(new ListJar()).send(SessionRequest.typed(url(A, path))));
      assertEquals(FailureKind.INVALID_REDIRECT, e.kind(), path);
    }
  }

  @Test
  void aTypedNavigationStaysSecFetchSiteNoneThroughItsRedirects() throws Exception {
    session(new ListJar()).send(SessionRequest.typed(url(A, "/status/302?to=" + url(B, "/echo"))));
    assertEquals(Optional.of("none"), SEEN.get(1).header("sec-fetch-site"));
    assertEquals(Optional.of("?1"), SEEN.get(1).header("sec-fetch-user"));
    assertEquals(Optional.empty(), SEEN.get(1).header("referer"));
  }

  @Test
  void aTwoStepLoopIsDetectedWhenARequestWouldRepeat() {
    ClassifiedIOException e =
        assertThrows(
            ClassifiedIOException.class,
            () -> session(new ListJar()).send(SessionRequest.typed(url(A, "/ping"))));
    assertEquals(FailureKind.REDIRECT_LOOP, e.kind());
    assertEquals(2, SEEN.size(), "/ping and /pong once each");
  }

  @Test
  void oddRelativeLocationsResolveAsTheUrlStandardDoes() throws Exception {
    Session session = session(new ListJar());
    SessionResponse dots = session.send(SessionRequest.typed(url(A, "/rel/dots/a")));
    assertEquals(url(A, "/echo"), dots.url(), "dot segments stop at the root");
    SessionResponse schemeRelative =
        session.send(SessionRequest.typed(url(A, "/rel/scheme-relative")));
    assertEquals(url(B, "/echo"), schemeRelative.url());
    assertEquals(B, SEEN.getLast().authority().split(":")[0]);
    SEEN.clear();
    SessionResponse fragment = session.send(SessionRequest.typed(url(A, "/rel/fragment")));
    assertEquals("/echo?x=1", SEEN.getLast().target(), "a fragment never goes on the wire");
    assertEquals(200, fragment.status());
    SessionResponse query = session.send(SessionRequest.typed(url(A, "/rel/query")));
    assertEquals(url(A, "/rel/query?only=query"), query.redirects().getFirst().to());
    // A backslash before the query is a slash, as in browsers: scheme-relative, to b.
    SessionResponse backslash = session.send(SessionRequest.typed(url(A, "/rel/backslash")));
    assertEquals(url(B, "/echo"), backslash.url());
    // Tab removed, space and what java.net.URI refuses percent-encoded.
    session.send(SessionRequest.typed(url(A, "/rel/raw")));
    assertEquals("/a%20dir/x%7Cy%5Ez?q=a%20b", SEEN.getLast().target());
    // A long Location is followed (browsers take URLs up to 2 MiB).
    SessionResponse longOne = session.send(SessionRequest.typed(url(A, "/long")));
    assertEquals(200, longOne.status());
    assertEquals(16_000 + "/echo?".length(), SEEN.getLast().target().length());
  }

  @Test
  void aLocationGuiseCannotFollowIsAClassifiedFailureInBoundedTime() {
    List<String> refused =
        List.of(
            "/to/file:///etc/passwd",
            "/to/ftp://" + A + "/file",
            "/to/http://" + A + "/echo",
            "/to/data:text/html,hi",
            "/to/javascript:alert(1)",
            "/to/https://",
            "/bad",
            "/to/https://user:secret@" + B + "/echo");
    for (String path : refused) {
      SEEN.clear();
      ClassifiedIOException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(10),
              () ->
                  assertThrows(
                      ClassifiedIOException.class,
                      () -> session(new ListJar()).send(SessionRequest.typed(url(A, path)))),
              path);
      assertEquals(FailureKind.INVALID_REDIRECT, e.kind(), path);
      assertFalse(e.failure().retryable(), path);
      assertEquals(1, SEEN.size(), path + ": nothing was sent to the Location");
    }
    // A Location larger than the response head may be: the head is refused, nothing followed.
    SEEN.clear();
    ClassifiedIOException huge =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () ->
                assertThrows(
                    ClassifiedIOException.class,
                    () -> session(new ListJar()).send(SessionRequest.typed(url(A, "/huge")))));
    assertEquals(FailureKind.RESPONSE_TOO_LARGE, huge.kind(), huge.getMessage());
    assertEquals(1, SEEN.size());
  }

  @Test
  void aCallersProxyAuthorizationStaysWithItsOrigin() throws Exception {
    session(new ListJar())
        .send(
            SessionRequest.builder(RequestKind.FETCH, url(A, "/status/307?to=" + url(B, "/echo")))
                .header("proxy-authorization", "Basic c2VjcmV0")
                .build());
    assertEquals(Optional.of("Basic c2VjcmV0"), SEEN.get(0).header("proxy-authorization"));
    assertEquals(Optional.empty(), SEEN.get(1).header("proxy-authorization"));
  }

  /**
   * {@code origin: null} after a hop that taints it, and the referer cut for good once cut: what
   * Chromium 156 sent in the same flows (headless, against a loopback server, POSTs redirected by
   * 307): a fetch follows Fetch's tainted origin flag, a form POST navigation is tainted by any hop
   * to another origin.
   */
  @Test
  void aRedirectTaintsTheOriginAsChromiumDoes() throws Exception {
    String a = FetchOrigin.of(url(A, "/"));
    // fetch: a.test's own URL redirected to b.test keeps a.test's origin.
    onPage().send(post("/status/307?to=" + url(B, "/echo")));
    assertEquals(Optional.of(a), SEEN.get(1).header("origin"));
    assertEquals(Optional.of(a + "/"), SEEN.get(1).header("referer"));
    // fetch: b.test redirected back to a.test: tainted; the referer stays the origin alone.
    SEEN.clear();
    onPage().send(postTo(url(B, "/status/307?to=" + url(A, "/echo"))));
    assertEquals(Optional.of(a), SEEN.get(0).header("origin"));
    assertEquals(Optional.of("null"), SEEN.get(1).header("origin"));
    assertEquals(Optional.of(a + "/"), SEEN.get(1).header("referer"));
    // fetch: a.test -> b.test -> a.test: the second hop taints it.
    SEEN.clear();
    onPage().send(post("/status/307?to=" + url(B, "/status/307?to=" + url(A, "/echo"))));
    assertEquals(Optional.of(a), SEEN.get(1).header("origin"));
    assertEquals(Optional.of("null"), SEEN.get(2).header("origin"));
    assertEquals(Optional.of(a + "/"), SEEN.get(2).header("referer"));
    // A form POST navigation: any hop to another origin taints it, even from a.test's own URL.
    SEEN.clear();
    onPage().send(formPost(url(A, "/status/307?to=" + url(B, "/echo"))));
    assertEquals(Optional.of(a), SEEN.get(0).header("origin"));
    assertEquals(Optional.of("null"), SEEN.get(1).header("origin"));
    assertEquals(
        "POST form=1",
        SEEN.get(1).method() + " " + new String(SEEN.get(1).body(), StandardCharsets.UTF_8));
    SEEN.clear();
    onPage().send(formPost(url(B, "/status/307?to=" + url(A, "/echo"))));
    assertEquals(Optional.of("null"), SEEN.get(1).header("origin"));
    // Same-origin hops taint nothing.
    SEEN.clear();
    onPage().send(formPost(url(A, "/status/307?to=" + url(A, "/echo"))));
    assertEquals(Optional.of(a), SEEN.get(1).header("origin"));
    assertEquals(Optional.of(url(A, "/page").toString()), SEEN.get(1).header("referer"));
  }

  private static SessionRequest postTo(URI to) {
    return SessionRequest.builder(RequestKind.FETCH, to)
        .method("POST", "{\"a\":1}".getBytes(StandardCharsets.UTF_8))
        .header("content-type", "application/json")
        .build();
  }

  private static SessionRequest formPost(URI to) {
    return SessionRequest.builder(RequestKind.DOCUMENT, to)
        .method("POST", "form=1".getBytes(StandardCharsets.UTF_8))
        .header("content-type", "application/x-www-form-urlencoded")
        .build();
  }

  /** The origin as browsers serialise it. */
  private static final class FetchOrigin {
    static String of(URI url) {
      return "https://" + url.getHost() + ":" + url.getPort();
    }
  }
}
