package dev.guise.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.RequestHandler;
import dev.guise.testkit.TestBody;
import dev.guise.testkit.TestResponse;
import dev.guise.testkit.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A session's streamed form: the redirect is followed (its cookie stored, its body closed unread)
 * and the last response's body is read as it arrives, then the connection serves the next request;
 * the same through the async forms, and a cancelled request's stream reset on the same connection.
 */
class SessionStreamingTest {
  private static final String HOST = "www.streaming.test";
  private static final int SIZE = 8 << 20;

  private final CountDownLatch held = new CountDownLatch(1);

  @Test
  void aCancelledAsyncRequestIsResetAndTheConnectionServesOn() throws Exception {
    try (TestServer server = server();
        HotConnectionPool pool = TestPools.toServer(server, "chrome");
        GuiseClient client = new GuiseClient(pool)) {
      Session session = session(client, server);
      URI base = URI.create("https://" + HOST + ":" + server.port());
      session.send(SessionRequest.typed(base.resolve("/whoami")));
      // Cancelled while the server holds it: the stream ends at once, by RST_STREAM or with its
      // connection (the pool discards a connection whose exchange was interrupted), and the
      // session serves on.
      CompletableFuture<SessionResponse> cancelled =
          session.sendAsync(SessionRequest.typed(base.resolve("/held")));
      assertTrue(held.await(10, TimeUnit.SECONDS), "the request reached the server");
      assertTrue(cancelled.cancel(true));
      assertThrows(CancellationException.class, cancelled::join);
      ConnectionRecord first = server.connections().getFirst();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!streamEnded(first) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(streamEnded(first), "the cancelled stream was reset or its connection closed");
      assertEquals(
          "-", session.send(SessionRequest.typed(base.resolve("/whoami"))).response().bodyText());
    }
  }

  /** A session of its own cookie jar, sending to the server's one address. */
  private static Session session(GuiseClient client, TestServer server) {
    return Session.builder(client)
        .cookieJar(new ListJar())
        .resolve(HOST, server.addresses().get(0))
        .build();
  }

  private static boolean streamEnded(ConnectionRecord connection) {
    return connection.closed()
        || connection.http2Frames().stream().anyMatch(f -> f.typeName().equals("RST_STREAM"));
  }

  private TestServer server() throws Exception {
    RequestHandler defaults = RequestHandler.defaults();
    return TestServer.builder()
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
                  case "/held" -> {
                    held.countDown();
                    // Interrupted when the server stops; the client gives up first.
                    Thread.sleep(10_000);
                    yield TestResponse.ok("late");
                  }
                  default -> defaults.handle(r);
                })
        .build()
        .start();
  }

  @Test
  void aRedirectedDownloadStreamsAndKeepsTheCookie() throws Exception {
    try (TestServer server = server();
        HotConnectionPool pool = TestPools.toServer(server, "chrome");
        GuiseClient client = new GuiseClient(pool)) {
      Session session = session(client, server);
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

      // The same, asynchronously.
      try (SessionStreamedResponse r =
          session
              .sendStreamingAsync(SessionRequest.typed(base.resolve("/download")))
              .get(30, TimeUnit.SECONDS)) {
        assertEquals(1, r.redirects().size());
        assertEquals(SIZE, r.response().body().transferTo(OutputStream.nullOutputStream()));
      }
      assertEquals(
          "token=abc",
          session
              .sendAsync(SessionRequest.typed(base.resolve("/whoami")))
              .get(10, TimeUnit.SECONDS)
              .response()
              .bodyText());

      assertEquals(1, server.connectionsAccepted());
    }
  }
}
