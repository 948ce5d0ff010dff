package dev.guise.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.session.CookieContext;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar against the browser it copies: headless Chromium visits a chain of pages on a loopback
 * server (host names mapped to 127.0.0.1), the first of which sets cookies that the rules keep,
 * drop or limit; every later request's {@code Cookie} header as Chromium sent it must equal the
 * jar's for the same request, order included. The chain walks subpaths, sibling paths, another host
 * of the registrable domain (example.co.uk, under the public suffix co.uk), the registrable domain
 * itself, and a cross-site page that loads an image from the first site and then navigates back to
 * it (SameSite).
 */
class ChromiumCookieTest {

  /** What the first page sets: kept, dropped and replaced, in this order. */
  private static final List<String> SET_COOKIE =
      List.of(
          "host=1",
          "root=2; Path=/",
          "dom=3; Domain=example.co.uk; Path=/",
          "dotdom=4; Domain=.EXAMPLE.co.uk; Path=/a",
          "ps=5; Domain=co.uk; Path=/",
          "foreign=6; Domain=other.test; Path=/",
          "sec=7; Secure; Path=/",
          "__Host-h=8; Path=/",
          "__Secure-s=8; Path=/",
          "strict=9; SameSite=Strict; Path=/",
          "lax=10; SameSite=Lax; Path=/",
          "none=11; SameSite=None; Path=/",
          "gone=12; Max-Age=0; Path=/",
          "past=13; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/",
          "future=14; Expires=Fri, 01 Jan 2100 00:00:00 GMT; Path=/",
          "deep=15; Path=/a/b/c",
          "nameless",
          "sp =  x y  ; Path=/",
          "rel=16; Path=relative",
          "dup=first; Path=/",
          "dup=second; Path=/",
          "big=" + "v".repeat(4093),
          "toobig=" + "w".repeat(4091),
          "bigattr=17; Path=/" + "p".repeat(1100),
          "bogus=18; SameSite=Sideways; Path=/");

  @TempDir Path profile;

  @Test
  void chromiumSendsWhatTheJarSends() throws Exception {
    List<String> chain = new ArrayList<>();
    ScriptedHttpServer[] holder = new ScriptedHttpServer[1];
    try (ScriptedHttpServer server =
        new ScriptedHttpServer(path -> page(path, holder[0] == null ? 0 : holder[0].port()))) {
      holder[0] = server;
      int port = server.port();
      String www = "http://www.example.co.uk:" + port;
      chain.addAll(
          List.of(
              www + "/a/b/set",
              www + "/a/b/c/check1",
              www + "/a/bc/check2",
              "http://shop.example.co.uk:" + port + "/a/b/check3",
              "http://example.co.uk:" + port + "/check4",
              "http://www.other.test:" + port + "/hop",
              www + "/x/check5"));
      HeadlessChromium.open(
          profile, chain.get(0), List.of("--virtual-time-budget=10000"), () -> false);
      Map<String, Optional<String>> sent =
          server.requests().stream()
              .filter(r -> !r.path().equals("/favicon.ico"))
              .collect(
                  Collectors.toMap(
                      r -> r.path(),
                      r -> Optional.ofNullable(r.headers().get("cookie")),
                      (a, b) -> a));
      assertTrue(
          sent.keySet().containsAll(List.of("/x/check5", "/img.png")), sent.keySet().toString());

      // What Chromium sent back on the cross-site navigation: no Strict cookie, the rest by
      // creation; nothing for the cross-site image.
      assertEquals(
          Optional.of("root=2; dom=3; lax=10; future=14; sp=x y; dup=second; bogus=18"),
          sent.get("/x/check5"));
      assertEquals(Optional.empty(), sent.get("/img.png"));
      BrowserCookieJar jar = new BrowserCookieJar(Clock.systemUTC());
      jar.store(CookieContext.navigation(URI.create(chain.get(0))), SET_COOKIE);
      for (int i = 1; i < chain.size(); i++) {
        URI url = URI.create(chain.get(i));
        URI from = URI.create(chain.get(i - 1));
        if (url.getPath().equals("/hop")) {
          continue;
        }
        Optional<String> ours =
            jar.cookieHeader(new CookieContext(url, Optional.of(from), true, "GET"));
        assertEquals(sent.get(url.getPath()), ours, url.toString());
      }
      // The image on the cross-site page: a cross-site subresource.
      URI image = URI.create(www + "/img.png");
      Optional<String> ours =
          jar.cookieHeader(
              new CookieContext(image, Optional.of(URI.create(chain.get(5))), false, "GET"));
      assertEquals(sent.get("/img.png"), ours, "image");
    }
  }

  /** Each page sets its cookies (the first) and sends the browser on to the next. */
  private static String page(String path, int port) {
    String www = "http://www.example.co.uk:" + port;
    return switch (path) {
      case "/a/b/set" ->
          ScriptedHttpServer.response(
              SET_COOKIE.stream().map(c -> "Set-Cookie: " + c).toList(), go(www + "/a/b/c/check1"));
      case "/a/b/c/check1" -> ScriptedHttpServer.response(List.of(), go(www + "/a/bc/check2"));
      case "/a/bc/check2" ->
          ScriptedHttpServer.response(
              List.of(), go("http://shop.example.co.uk:" + port + "/a/b/check3"));
      case "/a/b/check3" ->
          ScriptedHttpServer.response(List.of(), go("http://example.co.uk:" + port + "/check4"));
      case "/check4" ->
          ScriptedHttpServer.response(List.of(), go("http://www.other.test:" + port + "/hop"));
      case "/hop" ->
          ScriptedHttpServer.response(
              List.of(),
              "<img src=\""
                  + www
                  + "/img.png\" onload=\"go()\" onerror=\"go()\"><script>"
                  + "function go() { location.href = '"
                  + www
                  + "/x/check5'; }</script>");
      default -> ScriptedHttpServer.response(List.of(), "done");
    };
  }

  private static String go(String url) {
    return "<script>location.href = '" + url + "';</script>";
  }
}
