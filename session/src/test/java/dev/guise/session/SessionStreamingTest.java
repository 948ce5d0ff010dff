package dev.guise.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.config.PoolConfig;
import dev.guise.testkit.RequestHandler;
import dev.guise.testkit.TestBody;
import dev.guise.testkit.TestResponse;
import dev.guise.testkit.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A session's streamed form: the redirect is followed (its cookie stored, its body closed unread)
 * and the last response's body is read as it arrives, then the connection serves the next request.
 */
class SessionStreamingTest {
  private static final String HOST = "www.streaming.test";
  private static final int SIZE = 8 << 20;

  @Test
  void aRedirectedDownloadStreamsAndKeepsTheCookie() throws Exception {
    RequestHandler defaults = RequestHandler.defaults();
    try (TestServer server =
            TestServer.builder()
                .loopbackAddresses(1)
                .hostNames(HOST)
                .handler(
                    r ->
                        switch (r.path()) {
                          case "/download" ->
                              TestResponse.text(302, "moved")
                                  .withHeader("location", "/stream/" + SIZE)
                                  .withHeader("set-cookie", "token=abc");
                          case "/whoami" -> TestResponse.ok(r.header("cookie").orElse("-"));
                          default -> defaults.handle(r);
                        })
                .build()
                .start();
        HotConnectionPool pool =
            HotConnectionPool.create(
                PoolConfig.builder()
                    .engine("bouncycastle")
                    .profile("chrome")
                    .trust(server.certificateAuthority().trustPolicy())
                    .build());
        GuiseClient client = new GuiseClient(pool)) {
      Session session =
          Session.builder(client)
              .cookieJar(new ListJar())
              .resolve(HOST, server.addresses().get(0))
              .build();
      URI base = URI.create("https://" + HOST + ":" + server.port());
      try (SessionStreamedResponse r =
          session.sendStreaming(SessionRequest.typed(base.resolve("/download")))) {
        assertEquals(200, r.status());
        assertEquals(1, r.redirects().size());
        assertEquals(base.resolve("/stream/" + SIZE), r.url());
        InputStream body = r.response().body();
        byte[] got = body.readAllBytes();
        byte[] expected = new byte[SIZE];
        TestBody.expected(0, expected, 0, SIZE);
        assertTrue(Arrays.equals(expected, got), "the generated body, whole");
      }
      SessionResponse next = session.send(SessionRequest.typed(base.resolve("/whoami")));
      assertEquals("token=abc", next.response().bodyText());
      assertTrue(next.response().reusedConnection());
      assertEquals(1, server.connectionsAccepted());
    }
  }
}
