package dev.guise.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.Header;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.fingerprint.HeaderOverrides;
import dev.guise.fingerprint.RequestKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one header position of Chrome's rules the session capture could not show: {@code referer} on
 * the hop after a navigation's redirect (the captured hop was a typed navigation, without one).
 * Headless Chromium follows a script navigation through a 302 on a loopback server, treated as a
 * secure origin ({@code --unsafely-treat-insecure-origin-as-secure}) so that it sends its fetch
 * metadata and client hints over HTTP/1.1; the hop's header names, in order, must be the profile's
 * {@code document-redirect} list with {@code sec-fetch-site} and {@code referer} filled.
 *
 * <p>HTTP/1.1 is the browser's own list as it hands it to HTTP/2 less {@code host} and {@code
 * connection}: this same run's first and redirected navigations equal the h2 captures' ({@code
 * document} and {@code document-redirect}) name for name. {@code priority} and {@code cookie} are
 * not sent here (no h2, no cookie), so they are left out of the comparison.
 */
class ChromiumRedirectHopTest {
  private static final Set<String> NOT_HERE = Set.of("priority", "cookie");

  @TempDir Path profile;

  @Test
  void theRedirectHopsRefererIsWhereTheProfilePutsIt() throws Exception {
    try (ScriptedHttpServer server = new ScriptedHttpServer(ChromiumRedirectHopTest::page)) {
      String origin = "http://www.hop.test:" + server.port();
      // What the test needs is the hop's request, not Chromium's exit: stop once /landing is seen.
      HeadlessChromium.open(
          profile,
          origin + "/page",
          List.of(
              "--unsafely-treat-insecure-origin-as-secure=" + origin, "--virtual-time-budget=5000"),
          () -> reached(server, "/landing"));
      List<String> hop = null;
      for (ScriptedHttpServer.Request r : server.requests()) {
        if (r.path().equals("/landing")) {
          hop = new ArrayList<>(r.headers().keySet());
        }
      }
      assertTrue(hop != null, "Chromium reached /landing: " + server.requests());
      hop.removeAll(List.of("host", "connection"));

      List<Header> filled =
          BrowserProfiles.get("chrome-156")
              .requestHeaders(
                  RequestKind.DOCUMENT,
                  true,
                  HeaderOverrides.of(
                      List.of(
                          new Header("sec-fetch-site", "same-origin"),
                          new Header("referer", origin + "/page"))));
      List<String> expected = new ArrayList<>();
      for (Header h : filled) {
        if (!NOT_HERE.contains(h.name())) {
          expected.add(h.name());
        }
      }
      assertEquals(expected, hop);
    }
  }

  private static String page(String path) {
    return switch (path) {
      case "/page" ->
          ScriptedHttpServer.response(
              List.of(), "<script>setTimeout(() => location.href = '/r', 100);</script>");
      case "/r" -> "HTTP/1.1 302 Found\r\nLocation: /landing\r\nContent-Length: 0\r\n\r\n";
      default -> ScriptedHttpServer.response(List.of(), "done");
    };
  }

  private static boolean reached(ScriptedHttpServer server, String path) {
    return server.requests().stream().anyMatch(r -> r.path().equals(path));
  }
}
