package dev.guise.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.fingerprint.HeaderOverrides;
import dev.guise.fingerprint.RequestKind;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.testkit.RequestRecord;
import dev.guise.testkit.TestResponse;
import dev.guise.testkit.TestServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Sessions are thread-safe and independent: many over one pool, at once, each sees only its own
 * cookies; and a kind's headers go out over HTTP/1.1 too, in the browser's order, with the cookie
 * joined in one field there.
 */
class SessionsShareAPoolTest {
  private static final String HOST = "www.sessions.test";

  @Test
  void sixteenSessionsAtOnceEachKeepTheirOwnCookies() throws Exception {
    try (TestServer server =
            TestServer.builder()
                .loopbackAddresses(1)
                .hostNames(HOST)
                .handler(
                    r ->
                        r.path().equals("/login")
                            ? TestResponse.text(302, "")
                                .withHeader("location", "/whoami")
                                .withHeader("set-cookie", "user=" + r.target().split("=")[1])
                            : TestResponse.ok(r.header("cookie").orElse("-")))
                .build()
                .start();
        HotConnectionPool pool = TestPools.toServer(server, "firefox");
        GuiseClient client = new GuiseClient(pool);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<String>>> answers = new ArrayList<>();
      for (int n = 0; n < 16; n++) {
        int user = n;
        answers.add(
            threads.submit(
                () -> {
                  Session s =
                      Session.builder(client)
                          .cookieJar(new ListJar())
                          .resolve(HOST, server.addresses().get(0))
                          .build();
                  URI base = URI.create("https://" + HOST + ":" + server.port());
                  List<String> seen = new ArrayList<>();
                  seen.add(
                      s.send(SessionRequest.typed(base.resolve("/login?u=" + user)))
                          .response()
                          .bodyText());
                  List<Future<String>> subs = new ArrayList<>();
                  for (int i = 0; i < 4; i++) {
                    subs.add(
                        threads.submit(
                            () ->
                                s.send(SessionRequest.of(RequestKind.FETCH, base.resolve("/x")))
                                    .response()
                                    .bodyText()));
                  }
                  for (Future<String> f : subs) {
                    seen.add(f.get(30, TimeUnit.SECONDS));
                  }
                  return seen;
                }));
      }
      for (int n = 0; n < 16; n++) {
        assertEquals("user=" + n, answers.get(n).get(60, TimeUnit.SECONDS).get(0));
        for (String s : answers.get(n).get()) {
          assertEquals("user=" + n, s, "session " + n + " sees only its own cookie");
        }
      }
    }
  }

  @Test
  void overHttp11AKindKeepsTheBrowsersOrderAndOneCookieField() throws Exception {
    try (TestServer server =
            TestServer.builder()
                .loopbackAddresses(1)
                .hostNames(HOST)
                .alpn("http/1.1")
                .handler(r -> TestResponse.ok("ok").withHeader("set-cookie", "a=1"))
                .build()
                .start();
        HotConnectionPool pool = TestPools.toServer(server, "chrome");
        GuiseClient client = new GuiseClient(pool)) {
      ListJar jar = new ListJar();
      jar.store(CookieContext.navigation(URI.create("https://" + HOST + "/")), List.of("b=2"));
      Session s =
          Session.builder(client).cookieJar(jar).resolve(HOST, server.addresses().get(0)).build();
      URI page = URI.create("https://" + HOST + ":" + server.port() + "/page");
      s.currentDocument(page);
      s.send(SessionRequest.of(RequestKind.SCRIPT, page.resolve("/app.js")));
      RequestRecord sent = server.connections().get(0).requests().get(0);
      assertEquals(HttpProtocol.HTTP_1_1, sent.protocol());
      List<String> names = new ArrayList<>();
      for (Header h : sent.headers()) {
        names.add(h.name().toLowerCase(Locale.ROOT));
      }
      // The HTTP/2 list for the kind, with Host and Connection first (Chrome) and no priority.
      List<String> expected = new ArrayList<>(List.of("host", "connection"));
      for (Header h :
          BrowserProfiles.get("chrome")
              .requestHeaders(
                  RequestKind.SCRIPT,
                  false,
                  HeaderOverrides.builder()
                      .set("sec-fetch-site", "same-origin")
                      .set("referer", page.toString())
                      .set("cookie", "b=2")
                      .build())) {
        if (!h.name().equals("priority")) {
          expected.add(h.name());
        }
      }
      assertEquals(expected, names);
      assertEquals(
          1, sent.headers().stream().filter(h -> h.is("cookie")).count(), "one field on h1");
    }
  }
}
