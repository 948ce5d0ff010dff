package dev.guise.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.api.Header;
import dev.guise.fingerprint.RequestKind;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.testing.ReferenceCaptures;
import dev.guise.testkit.CaptureSite;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.RequestRecord;
import dev.guise.testkit.TestServer;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code fetch()} and {@code XMLHttpRequest} requests of {@code guise capture}'s page, sent
 * through a Guise session with the headers the page's script set (in its order and case), equal the
 * browser's on the wire field by field: names and order (pseudo-headers included), values, and each
 * field's HPACK representation (never indexed, without indexing, or through the dynamic table;
 * Firefox never indexes {@code authorization}), as the testkit server recorded them and {@code
 * reference/guise-capture/<profile>-captured-requests.json} holds them.
 *
 * <p>Named exceptions, the site's and the moment's: the page's port (removed from {@code
 * :authority}, {@code referer} and {@code origin} on both sides); Chromium's headless User-Agent
 * token; the HPACK table indices and whether a field was indexed or inserted, which depend on
 * everything the browser sent before on its connection (its page loaded a stylesheet, font, script
 * and images the session does not). Chromium 156 mixes a script's headers in among its own
 * sec-ch-ua headers, user-agent and content-type in the slot order of its renderer's header map,
 * which the profile's rules reproduce (docs/profiles.md, {@code author_headers}).
 */
class SessionAuthorHeadersWireTest {
  private static final String HOST = "guise-capture.localhost";

  /** What the page's script set ({@code CaptureSite.AUTHOR_HEADERS}), in its order and case. */
  private static final List<Header> SCRIPT = CaptureSite.AUTHOR_HEADERS;

  @ParameterizedTest
  @CsvSource({"chrome-156", "firefox-153"})
  @SuppressWarnings("unchecked")
  void theScriptsHeadersAreSentAsTheBrowserSentThem(String profile) throws Exception {
    List<Object> captured =
        JSON.std.listFrom(
            ReferenceCaptures.text("guise-capture/" + profile + "-captured-requests.json"));
    try (TestServer server =
        TestServer.builder()
            .loopbackAddresses(1)
            .hostNames(HOST)
            .handler(new CaptureSite(List.of(), 1, HOST))
            .build()
            .start()) {
      InetAddress ip = server.addresses().get(0);
      URI base = URI.create("https://" + HOST + ":" + server.port());
      byte[] json = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
      try (HotConnectionPool pool = TestPools.toServer(server, profile);
          GuiseClient client = new GuiseClient(pool)) {
        Session session = Session.builder(client).resolve(HOST, ip).build();
        // The page: it sets the two cookies every later request carries, and is the initiator.
        assertEquals(200, session.send(SessionRequest.typed(base.resolve("/"))).status());
        session.send(SessionRequest.of(RequestKind.FETCH, base.resolve(CaptureSite.FETCH_GET)));
        session.send(
            SessionRequest.builder(RequestKind.FETCH, base.resolve(CaptureSite.FETCH_POST))
                .method("POST", json)
                .header("content-type", "application/json")
                .build());
        session.send(SessionRequest.of(RequestKind.XHR, base.resolve(CaptureSite.XHR)));
        session.send(
            withScript(
                    SessionRequest.builder(
                        RequestKind.FETCH, base.resolve(CaptureSite.FETCH_GET_AUTHOR)),
                    false)
                .build());
        session.send(
            withScript(
                    SessionRequest.builder(
                            RequestKind.FETCH, base.resolve(CaptureSite.FETCH_POST_AUTHOR))
                        .method("POST", json),
                    true)
                .build());
        session.send(
            withScript(
                    SessionRequest.builder(RequestKind.XHR, base.resolve(CaptureSite.XHR_AUTHOR)),
                    false)
                .build());
      }
      List<RequestRecord> sent = new ArrayList<>();
      for (ConnectionRecord c : server.connections()) {
        sent.addAll(c.requests());
      }
      List<String> paths =
          List.of(
              CaptureSite.FETCH_GET,
              CaptureSite.FETCH_POST,
              CaptureSite.XHR,
              CaptureSite.FETCH_GET_AUTHOR,
              CaptureSite.FETCH_POST_AUTHOR,
              CaptureSite.XHR_AUTHOR);
      for (String path : paths) {
        Map<String, Object> browser =
            captured.stream()
                .map(o -> (Map<String, Object>) o)
                .filter(r -> r.get("path").equals(path))
                .findFirst()
                .orElseThrow();
        List<String> expected = new ArrayList<>();
        for (Object o : (List<Object>) browser.get("fields")) {
          Map<String, Object> f = (Map<String, Object>) o;
          expected.add(
              field((String) f.get("name"), (String) f.get("value"), (String) f.get("hpack")));
        }
        RequestRecord guise =
            sent.stream()
                .filter(r -> r.headers().contains(new Header(":path", path)))
                .findFirst()
                .orElseThrow();
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < guise.headers().size(); i++) {
          Header h = guise.headers().get(i);
          actual.add(field(h.name(), h.value(), guise.hpack().get(i)));
        }
        String label = profile + " " + browser.get("method") + " " + path;
        assertEquals(String.join("\n", expected), String.join("\n", actual), label);
      }
    }
  }

  private static SessionRequest.Builder withScript(SessionRequest.Builder b, boolean post) {
    for (int i = 0; i < SCRIPT.size(); i++) {
      if (post && i == CaptureSite.AUTHOR_CONTENT_TYPE_AT) {
        b.header("Content-Type", "application/json");
      }
      b.header(SCRIPT.get(i).name(), SCRIPT.get(i).value());
    }
    return b;
  }

  /**
   * One field: name, value without the page's port, and how HPACK represents it: never indexed,
   * without indexing, or through the dynamic table ({@code indexed} or {@code inc}: which of the
   * two depends on what went before on the connection, the named exception).
   */
  private static String field(String name, String value, String hpack) {
    String v = value.replaceAll("(" + HOST.replace(".", "\\.") + "):[0-9]+", "$1");
    v = v.replace("HeadlessChrome/", "Chrome/");
    String kind;
    if (hpack.startsWith("never")) {
      kind = "never indexed";
    } else if (hpack.startsWith("noidx")) {
      kind = "without indexing";
    } else if (hpack.startsWith("indexed") || hpack.startsWith("inc")) {
      kind = "table";
    } else {
      kind = hpack;
    }
    return name + ": " + v + "  " + kind;
  }
}
