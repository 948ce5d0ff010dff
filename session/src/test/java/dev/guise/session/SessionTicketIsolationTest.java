package dev.guise.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.TrustPolicy;
import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.PskIdentity;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.testing.OpenSslServer;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.TestServer;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two sessions over one pool are two browser profiles: neither a connection nor a TLS ticket passes
 * between them, while each resumes with its own tickets. Seen by the servers: the JDK TLS server of
 * the testkit records each ClientHello, whose {@code pre_shared_key} identities (the tickets
 * offered) are compared; OpenSSL's status page says whether it resumed ("Reused").
 */
@Timeout(120)
class SessionTicketIsolationTest {
  private static final String HOST = "www.isolation.test";

  private static HotConnectionPool pool(TrustPolicy trust, boolean resumption) {
    return HotConnectionPool.create(
        PoolConfig.builder()
            .engine("bouncycastle")
            .profile("chrome-156")
            .tlsResumption(resumption)
            .trust(trust)
            .build());
  }

  /** The ticket identities a ClientHello offers, hex, in order; empty without pre_shared_key. */
  static List<String> offeredTickets(ClientHello hello) {
    return hello.pskIdentities().stream().map(PskIdentity::ticketHex).toList();
  }

  private static List<ConnectionRecord> newSince(TestServer server, int before) {
    List<ConnectionRecord> all =
        server.connections().stream()
            .sorted(Comparator.comparingLong(ConnectionRecord::id))
            .toList();
    return all.subList(before, all.size());
  }

  /** The tickets the one connection {@code send} opened offered, as the server saw them. */
  private static List<String> oneConnection(TestServer server, ThrowingRunnable send)
      throws Exception {
    int before = server.connections().size();
    send.run();
    List<ConnectionRecord> opened = newSince(server, before);
    assertEquals(1, opened.size(), "one new connection");
    return offeredTickets(opened.get(0).clientHello().orElseThrow());
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void twoSessionsOnOnePoolNeverOfferEachOthersTickets() throws Exception {
    try (TestServer server =
            TestServer.builder().loopbackAddresses(1).hostNames(HOST).build().start();
        HotConnectionPool pool = pool(server.certificateAuthority().trustPolicy(), true);
        GuiseClient client = new GuiseClient(pool)) {
      InetAddress ip = server.addresses().get(0);
      URI page = URI.create("https://" + HOST + ":" + server.port() + "/");
      Session a = Session.builder(client).resolve(HOST, ip).build();
      Session b = Session.builder(client).resolve(HOST, ip).build();
      assertNotEquals(a.identity(), b.identity());
      SessionRequest get = SessionRequest.typed(page);

      // A's first connection: nothing to offer; its exchange reads the server's ticket.
      assertEquals(List.of(), oneConnection(server, () -> a.send(get)));
      // B shares no connection with A: its first request opens its own, offering no ticket,
      // though A holds one for the very same host, port and exit.
      assertEquals(List.of(), oneConnection(server, () -> b.send(get)));
      // Nor do requests without a session: the pool's shared connections are a third identity.
      assertEquals(
          List.of(),
          oneConnection(server, () -> client.send(HttpRequest.newBuilder(page).build(), ip)));

      // Each session's next connection (its first ones closed) offers its own ticket.
      a.close();
      List<String> aOffered = oneConnection(server, () -> a.send(get));
      b.close();
      List<String> bOffered = oneConnection(server, () -> b.send(get));
      assertEquals(1, aOffered.size(), "A resumes with its ticket: " + aOffered);
      assertEquals(1, bOffered.size(), "B resumes with its ticket: " + bOffered);
      Set<String> shared = new HashSet<>(aOffered);
      shared.retainAll(bOffered);
      assertEquals(Set.of(), shared, "no ticket is offered by both sessions");

      // A session again, over A's open connection: no new connection, so no new hello.
      int before = server.connections().size();
      a.send(get);
      assertEquals(before, server.connections().size(), "A's connection is reused by A");
    }
  }

  @Test
  void openSslResumesWithinASessionAndNeverAcrossTwo(@TempDir Path dir) throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create("Guise Session Isolation Root");
    IssuedCertificate certificate = ca.issue(HOST);
    IssuedCertificate.PemFiles pem = certificate.writePem(dir);
    try (OpenSslServer openssl = new OpenSslServer(pem.certificateChain(), pem.privateKey());
        HotConnectionPool pool = pool(ca.trustPolicy(), true);
        GuiseClient client = new GuiseClient(pool)) {
      InetAddress ip = InetAddress.getLoopbackAddress();
      URI page = URI.create("https://" + HOST + ":" + openssl.port() + "/");
      SessionRequest get = SessionRequest.typed(page);
      // s_server -www answers once and closes: every request is a new connection.
      try (Session a = Session.builder(client).resolve(HOST, ip).build();
          Session b = Session.builder(client).resolve(HOST, ip).build()) {
        String a1 = a.send(get).response().bodyText();
        assertTrue(a1.contains("New, TLSv1.3"), a1);
        String b1 = b.send(get).response().bodyText();
        assertTrue(b1.contains("New, TLSv1.3"), "B never resumes A's session: " + b1);
        String a2 = a.send(get).response().bodyText();
        assertTrue(a2.contains("Reused, TLSv1.3"), "A resumes its own session: " + a2);
        String b2 = b.send(get).response().bodyText();
        assertTrue(b2.contains("Reused, TLSv1.3"), "B resumes its own session: " + b2);
        String shared = client.send(HttpRequest.newBuilder(page).build(), ip).bodyText();
        assertFalse(shared.contains("Reused"), "a request without a session: " + shared);
      }
    }
  }
}
