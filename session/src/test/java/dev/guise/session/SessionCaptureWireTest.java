package dev.guise.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.api.Header;
import dev.guise.fingerprint.RequestKind;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.testing.ReferenceCaptures;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.Http2FrameRecord;
import dev.guise.testkit.RequestHandler;
import dev.guise.testkit.RequestRecord;
import dev.guise.testkit.SessionSite;
import dev.guise.testkit.TestRequest;
import dev.guise.testkit.TestResponse;
import dev.guise.testkit.TestServer;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The captured session, sent through a Guise session, equals the browser's on the wire: for every
 * request, its stream id, HEADERS flags, priority block, header names and order, values, and each
 * field's HPACK representation (indexed / incremental / without indexing / never indexed, static or
 * dynamic index, Huffman or raw), as the testkit server recorded them and the reference captures
 * hold them.
 *
 * <p>Named exceptions, the site's and the moment's: the test server listens on a port of its own,
 * so {@code :authority}, {@code referer} and {@code origin} carry {@code :port} (compared with it
 * removed); the profile's user-agent says {@code Chrome/} where headless Chromium said {@code
 * HeadlessChrome/}. The stylesheet, script and image are in flight at once, as the browser had
 * them: each is sent once the server holds the one before, and the server answers all three once
 * the image arrived, so the HEADERS dependencies (Chromium: 0, 5, 7; Firefox: 0) are compared too.
 * The other requests are sent one after another. /page3 goes over a new connection as in the
 * capture, where a GOAWAY closed the first: here a second pool, with the same jar and current
 * document.
 */
class SessionCaptureWireTest {
  private static final String HOST = "www.fp-oracle.test";

  @ParameterizedTest
  @CsvSource({"chromium1, chrome-156", "firefox1, firefox-153"})
  @SuppressWarnings("unchecked")
  void everyRequestOfTheCapturedFlowIsTheBrowsers(String run, String profile) throws Exception {
    List<Object> captured =
        JSON.std.listFrom(ReferenceCaptures.text("sessions/" + run + "/requests.json"));
    HeldSubresources held = new HeldSubresources();
    try (TestServer server =
        TestServer.builder().loopbackAddresses(1).hostNames(HOST).handler(held).build().start()) {
      InetAddress ip = server.addresses().get(0);
      URI base = URI.create("https://" + HOST + ":" + server.port());
      CookieJar jar = CookieJars.browser(); // the real jar: RFC 6265bis as Chrome applies it
      try (HotConnectionPool pool = TestPools.toServer(server, profile);
          GuiseClient client = new GuiseClient(pool)) {
        Session session = Session.builder(client).cookieJar(jar).resolve(HOST, ip).build();
        SessionResponse landing = session.send(SessionRequest.typed(base.resolve("/start")));
        assertEquals(200, landing.status());
        assertEquals(base.resolve("/landing"), landing.url());
        assertEquals(1, landing.redirects().size());
        assertEquals(landing.url(), session.currentDocument().orElseThrow());
        try (ExecutorService loads = Executors.newVirtualThreadPerTaskExecutor()) {
          List<Future<SessionResponse>> answers = new ArrayList<>();
          for (Map.Entry<RequestKind, String> sub : HeldSubresources.PATHS.entrySet()) {
            SessionRequest r = SessionRequest.of(sub.getKey(), base.resolve(sub.getValue()));
            answers.add(loads.submit(() -> session.send(r)));
            assertTrue(held.arrived(sub.getValue()), sub.getValue() + " reached the server");
          }
          for (Future<SessionResponse> answer : answers) {
            assertEquals(200, answer.get(10, TimeUnit.SECONDS).status());
          }
        }
        session.send(SessionRequest.of(RequestKind.FETCH, base.resolve("/api/data")));
        SessionResponse post =
            session.send(
                SessionRequest.builder(RequestKind.FETCH, base.resolve("/api/post"))
                    .method("POST", "{\"a\":1}".getBytes(StandardCharsets.UTF_8))
                    .header("content-type", "application/json")
                    .build());
        assertEquals("{\"a\":1}", post.response().bodyText());
        session.send(SessionRequest.of(RequestKind.DOCUMENT, base.resolve("/page2")));
        assertEquals(base.resolve("/page2"), session.currentDocument().orElseThrow());
      }
      try (HotConnectionPool pool = TestPools.toServer(server, profile);
          GuiseClient client = new GuiseClient(pool)) {
        Session next = Session.builder(client).cookieJar(jar).resolve(HOST, ip).build();
        next.currentDocument(base.resolve("/page2"));
        next.send(SessionRequest.of(RequestKind.DOCUMENT, base.resolve("/page3")));
      }

      List<ConnectionRecord> connections = server.connections();
      assertEquals(2, connections.size(), "one connection for the flow, one for /page3");
      List<RequestRecord> sent = new ArrayList<>();
      List<Http2FrameRecord> headersFrames = new ArrayList<>();
      for (ConnectionRecord c : connections) {
        sent.addAll(c.requests());
        c.http2Frames().stream()
            .filter(f -> f.typeName().equals("HEADERS"))
            .forEach(headersFrames::add);
      }
      assertEquals(captured.size(), sent.size());
      String port = ":" + server.port();
      for (int i = 0; i < captured.size(); i++) {
        Map<String, Object> browser = (Map<String, Object>) captured.get(i);
        RequestRecord guise = sent.get(i);
        String label =
            run + " #" + (i + 1) + " " + browser.get("method") + " " + browser.get("path");
        assertEquals(((Number) browser.get("stream_id")).intValue(), guise.streamId(), label);

        List<String> expected = new ArrayList<>();
        for (Object o : (List<Object>) browser.get("hpack")) {
          Map<String, Object> field = (Map<String, Object>) o;
          String value = (String) field.get("value");
          if (field.get("name").equals("user-agent")) {
            value = value.replace("HeadlessChrome/", "Chrome/");
          }
          expected.add(field.get("name") + ": " + value + "  " + field.get("tag"));
        }
        List<String> actual = new ArrayList<>();
        for (int f = 0; f < guise.headers().size(); f++) {
          Header h = guise.headers().get(f);
          String value = h.value().replace(HOST + port, HOST);
          actual.add(h.name() + ": " + value + "  " + guise.hpack().get(f));
        }
        assertEquals(String.join("\n", expected), String.join("\n", actual), label);

        Http2FrameRecord frame = headersFrames.get(i);
        assertEquals(guise.streamId(), frame.streamId(), label);
        assertEquals(
            Integer.decode((String) browser.get("headers_frame_flags")).intValue(),
            frame.flags(),
            label + " HEADERS flags");
        Map<String, Object> p = (Map<String, Object>) browser.get("frame_priority");
        String[] block = frame.detail().substring("priority=".length()).split("[:;]");
        assertTrue(frame.detail().startsWith("priority="), label + " " + frame.detail());
        assertEquals((Boolean) p.get("exclusive") ? "1" : "0", block[0], label + " exclusive");
        assertEquals(
            String.valueOf(((Number) p.get("depends_on")).intValue()),
            block[1],
            label + " depends on");
        assertEquals(
            String.valueOf(((Number) p.get("weight")).intValue()), block[2], label + " weight");
      }
    }
  }

  /**
   * The capture's site, holding the stylesheet, the script and the image until all three arrived:
   * the browser had them open at once, which decides Chromium's HEADERS dependencies.
   */
  private static final class HeldSubresources implements RequestHandler {
    static final Map<RequestKind, String> PATHS = new LinkedHashMap<>();

    static {
      PATHS.put(RequestKind.STYLE, "/style.css");
      PATHS.put(RequestKind.SCRIPT, "/app.js");
      PATHS.put(RequestKind.IMAGE, "/img.png");
    }

    private final SessionSite site = new SessionSite();
    private final CountDownLatch all = new CountDownLatch(PATHS.size());
    private final Map<String, CountDownLatch> arrived = new ConcurrentHashMap<>();

    HeldSubresources() {
      PATHS.values().forEach(p -> arrived.put(p, new CountDownLatch(1)));
    }

    boolean arrived(String path) throws InterruptedException {
      return arrived.get(path).await(10, TimeUnit.SECONDS);
    }

    @Override
    public TestResponse handle(TestRequest request) throws Exception {
      CountDownLatch mine = arrived.get(request.path());
      if (mine != null) {
        mine.countDown();
        all.countDown();
        // Bounded: a request that never comes fails the test on its own assertion.
        all.await(10, TimeUnit.SECONDS);
      }
      return site.handle(request);
    }
  }
}
