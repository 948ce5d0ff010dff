package dev.guise.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.api.Header;
import dev.guise.fingerprint.RequestKind;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.testing.ReferenceCaptures;
import dev.guise.testkit.RequestRecord;
import dev.guise.testkit.TestResponse;
import dev.guise.testkit.TestServer;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fonts and {@code XMLHttpRequest}s go out in CORS mode as each browser sends them, checked on the
 * wire (testkit server): a same-origin font carries {@code origin} from Chromium 156 and none from
 * Firefox 153, a same-origin XHR carries none from either, and a font or XHR to another origin
 * carries the document's origin from both (Fetch). The header names are in the order {@code guise
 * capture} recorded (testing-support {@code reference/guise-capture/<profile>-captured.json},
 * {@code wire_order}), the capture's cookies aside: this session has none.
 */
class SessionCorsKindsWireTest {
  private static final String HOST = "www.fp-oracle.test";
  private static final String OTHER = "cdn.fp-oracle.test";

  @ParameterizedTest
  @CsvSource({"chrome-156, true", "firefox-153, false"})
  void sameOriginFontAndXhrCarryOriginAsTheBrowserDid(String profile, boolean fontOrigin)
      throws Exception {
    try (TestServer server =
        TestServer.builder()
            .loopbackAddresses(1)
            .hostNames(HOST, OTHER)
            .handler(request -> TestResponse.ok("ok"))
            .build()
            .start()) {
      InetAddress ip = server.addresses().get(0);
      URI page = URI.create("https://" + HOST + ":" + server.port() + "/c/");
      String pageOrigin = "https://" + HOST + ":" + server.port();
      URI otherFont = URI.create("https://" + OTHER + ":" + server.port() + "/font.woff2");
      try (HotConnectionPool pool = TestPools.toServer(server, profile);
          GuiseClient client = new GuiseClient(pool)) {
        Session session = Session.builder(client).resolve(HOST, ip).resolve(OTHER, ip).build();
        session.currentDocument(page);
        session.send(SessionRequest.of(RequestKind.FONT, page.resolve("font.woff2")));
        session.send(SessionRequest.of(RequestKind.XHR, page.resolve("xhr")));
        session.send(SessionRequest.of(RequestKind.FONT, otherFont));
        session.send(
            SessionRequest.of(
                RequestKind.XHR, URI.create("https://" + OTHER + ":" + server.port() + "/xhr")));
      }
      List<RequestRecord> sent = new ArrayList<>();
      server.connections().forEach(c -> sent.addAll(c.requests()));
      assertEquals(4, sent.size());

      RequestRecord font = sent.get(0);
      assertEquals(capturedOrder(profile, "font"), names(font), profile + " font order");
      assertEquals(fontOrigin ? Optional.of(pageOrigin) : Optional.empty(), origin(font));

      RequestRecord xhr = sent.get(1);
      assertEquals(capturedOrder(profile, "xhr"), names(xhr), profile + " xhr order");
      assertFalse(origin(xhr).isPresent(), "a same-origin XHR GET has no origin");

      assertEquals(Optional.of(pageOrigin), origin(sent.get(2)), "a cross-origin font (Fetch)");
      assertEquals(Optional.of(pageOrigin), origin(sent.get(3)), "a cross-origin XHR (Fetch)");
      for (RequestRecord r : sent) {
        assertTrue(
            r.headers().contains(new Header("sec-fetch-mode", "cors")), r.headers().toString());
      }
    }
  }

  /** The capture's header names of the kind's request, its cookies left out. */
  @SuppressWarnings("unchecked")
  private static List<String> capturedOrder(String profile, String kind) throws Exception {
    Map<String, Object> file =
        JSON.std.mapFrom(ReferenceCaptures.text("guise-capture/" + profile + "-captured.json"));
    Map<String, Object> kinds =
        (Map<String, Object>) ((Map<String, Object>) file.get("requests")).get("kinds");
    List<List<String>> orders =
        (List<List<String>>) ((Map<String, Object>) kinds.get(kind)).get("wire_order");
    List<String> order = new ArrayList<>(orders.get(0));
    order.removeIf(n -> n.equals("cookie"));
    return order;
  }

  private static List<String> names(RequestRecord r) {
    return r.headers().stream().map(Header::name).filter(n -> !n.startsWith(":")).toList();
  }

  private static Optional<String> origin(RequestRecord r) {
    return r.headers().stream().filter(h -> h.name().equals("origin")).map(Header::value).findAny();
  }
}
