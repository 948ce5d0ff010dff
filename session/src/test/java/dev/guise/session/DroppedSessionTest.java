package dev.guise.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.TestResponse;
import dev.guise.testkit.TestServer;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A session dropped without {@link Session#close()} does not leave its connections (and the pool's
 * lanes for its identity) behind for as long as the pool lives: once it is collected, the next
 * session closes them. A session of a named identity, which other sessions may share, is left
 * alone.
 */
class DroppedSessionTest {
  private static final String HOST = "www.dropped.test";

  @Test
  void aDroppedSessionsConnectionIsClosedOnceItIsCollected() throws Exception {
    try (TestServer server = server();
        HotConnectionPool pool = TestPools.toServer(server, "chrome");
        GuiseClient client = new GuiseClient(pool)) {
      sendOnceAndDrop(client, server, b -> {});
      ConnectionRecord conn = server.connections().get(0);
      assertFalse(conn.closed(), "open while nobody collected the session");

      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!conn.closed() && System.nanoTime() < deadline) {
        System.gc();
        Thread.sleep(50);
        // A new session is what closes the identities of those collected since.
        Session.builder(client).build();
      }
      assertTrue(conn.closed(), "the dropped session's connection is closed");
    }
  }

  @Test
  void aDroppedSessionOfANamedIdentityKeepsItsConnection() throws Exception {
    try (TestServer server = server();
        HotConnectionPool pool = TestPools.toServer(server, "chrome");
        GuiseClient client = new GuiseClient(pool)) {
      sendOnceAndDrop(client, server, b -> b.identity("crawler-7"));
      ConnectionRecord conn = server.connections().get(0);
      for (int i = 0; i < 10; i++) {
        System.gc();
        Thread.sleep(50);
        Session.builder(client).build();
      }
      assertFalse(conn.closed(), "another session of crawler-7 may still use it");
      // And a later session of the same identity uses that connection.
      Session again =
          Session.builder(client)
              .identity("crawler-7")
              .resolve(HOST, server.addresses().get(0))
              .build();
      again.send(SessionRequest.typed(base(server).resolve("/again"))).status();
      assertEquals(1, server.connections().size());
      again.close();
    }
  }

  @Test
  void aClosedSessionIsNoLongerWatchedUntilItSendsAgain() throws Exception {
    try (TestServer server = server();
        HotConnectionPool pool = TestPools.toServer(server, "chrome");
        GuiseClient client = new GuiseClient(pool)) {
      Session s = Session.builder(client).resolve(HOST, server.addresses().get(0)).build();
      assertTrue(s.watched(), "a session of its own identity is watched from the start");
      s.send(SessionRequest.typed(base(server).resolve("/page"))).status();
      s.close();
      assertFalse(s.watched(), "a closed session is not watched");
      ConnectionRecord first = server.connections().get(0);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (!first.closed() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(first.closed(), "close() closed the session's connection");

      // A closed session may send again; what it opens then is watched again.
      s.send(SessionRequest.typed(base(server).resolve("/again"))).status();
      assertEquals(2, server.connections().size());
      assertTrue(s.watched(), "a session sending after close() is watched again");
      s.close();
      assertFalse(s.watched());
      Session named = Session.builder(client).identity("crawler-8").build();
      assertFalse(named.watched(), "a named identity is never watched");
    }
  }

  @Test
  void noSessionKeepsItsClientAlive() throws Exception {
    try (TestServer server = server()) {
      for (boolean closed : new boolean[] {true, false}) {
        WeakReference<GuiseClient> client = sessionOfAClientNobodyKeeps(server, closed);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (client.get() != null && System.nanoTime() < deadline) {
          System.gc();
          Thread.sleep(50);
        }
        assertNull(client.get(), "the client of a " + (closed ? "closed" : "dropped") + " session");
      }
    }
  }

  /**
   * A client, its pool and a session that sent once, all closed (the session only when {@code
   * closed}) and dropped with this frame; what is left is a weak reference to the client.
   */
  private static WeakReference<GuiseClient> sessionOfAClientNobodyKeeps(
      TestServer server, boolean closed) throws Exception {
    try (HotConnectionPool pool = TestPools.toServer(server, "chrome");
        GuiseClient client = new GuiseClient(pool)) {
      Session s = Session.builder(client).resolve(HOST, server.addresses().get(0)).build();
      s.send(SessionRequest.typed(base(server).resolve("/page"))).status();
      if (closed) {
        s.close();
      }
      return new WeakReference<>(client);
    }
  }

  /** One request in a session nobody keeps (the reference ends with this frame). */
  private static void sendOnceAndDrop(
      GuiseClient client, TestServer server, Consumer<Session.Builder> change) throws Exception {
    Session.Builder b = Session.builder(client).resolve(HOST, server.addresses().get(0));
    change.accept(b);
    Session s = b.build();
    s.send(SessionRequest.typed(base(server).resolve("/page"))).status();
    assertEquals(1, server.connections().size());
  }

  private static URI base(TestServer server) {
    return URI.create("https://" + HOST + ":" + server.port());
  }

  private static TestServer server() throws Exception {
    return TestServer.builder()
        .loopbackAddresses(1)
        .hostNames(HOST)
        .handler(r -> TestResponse.ok("ok"))
        .build()
        .start();
  }
}
