package dev.guise.tls.bouncycastle.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsEndpoint;
import dev.guise.testing.OpenSslServer;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Hostile tickets: a flood of them, a huge one, expiry; the cache's memory stays bounded. */
@Timeout(60)
class TicketBoundsTest {
  private static final TicketCache.Key KEY =
      new TicketCache.Key("chrome-156", TlsConnectRequest.DIRECT, "www.guise.test", 443);

  @Test
  void aTicketFloodFromARealServerKeepsTwoTicketsAndTheConnectionWorks(@TempDir Path dir)
      throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create("Guise Ticket Flood Root");
    IssuedCertificate certificate = ca.issue(ResumptionTest.HOST, "127.0.0.1");
    IssuedCertificate.PemFiles pem = certificate.writePem(dir);
    // OpenSSL sends 500 NewSessionTickets after the handshake.
    try (OpenSslServer flood =
        new OpenSslServer(pem.certificateChain(), pem.privateKey(), "-num_tickets", "500")) {
      BcConnector engine = BcConnector.builtIn().withTicketClock(new ResumptionTest.HandClock());
      TlsConnectRequest request =
          new TlsConnectRequest(
              new TlsEndpoint(ResumptionTest.HOST, InetAddress.getLoopbackAddress(), flood.port()),
              "firefox-153",
              List.of("http/1.1"),
              ca.trustPolicy(),
              Duration.ofSeconds(10));
      ResumptionTest.Result first = ResumptionTest.exchange(engine, request);
      assertTrue(first.body().contains("New, TLSv1.3"), first.body());
      assertEquals(TicketCache.PER_KEY, engine.tickets().size(), "a flood keeps only the newest");
      assertTrue(ResumptionTest.exchange(engine, request).resumed());
    }
  }

  @Test
  void aHugeTicketIsNotKept() throws Exception {
    TicketCache cache = new TicketCache(new ResumptionTest.HandClock());
    Resumption resumption = new Resumption(cache, KEY, BcConnector.crypto(), null);
    // A session as after a handshake with TLS_AES_128_GCM_SHA256 (any master secret will do).
    resumption.handshakeFinishedForTest(new byte[32]);
    resumption.ticketReceived(newSessionTicket(7200, new byte[TicketCache.MAX_TICKET_BYTES + 1]));
    assertEquals(0, cache.size(), "a ticket larger than any browser keeps is dropped");
    resumption.ticketReceived(newSessionTicket(7200, new byte[65535])); // the largest legal
    assertEquals(0, cache.size());
    resumption.ticketReceived(newSessionTicket(7200, new byte[192]));
    assertEquals(1, cache.size());
    resumption.ticketReceived(newSessionTicket(0, new byte[192])); // lifetime 0: do not use
    assertEquals(1, cache.size());
  }

  @Test
  void theCacheIsBoundedInKeysAndTicketsAndExpiresByTheClock() {
    ResumptionTest.HandClock clock = new ResumptionTest.HandClock();
    TicketCache cache = new TicketCache(clock);
    long now = clock.millis();
    for (int i = 0; i < TicketCache.MAX_KEYS * 2; i++) {
      TicketCache.Key key = new TicketCache.Key("chrome-156", "direct", "h" + i + ".test", 443);
      for (int j = 0; j < 5; j++) {
        assertTrue(cache.put(key, ticket(now, 60_000)));
      }
    }
    assertEquals(TicketCache.MAX_KEYS * TicketCache.PER_KEY, cache.size());
    TicketCache.Key last =
        new TicketCache.Key(
            "chrome-156", "direct", "h" + (TicketCache.MAX_KEYS * 2 - 1) + ".test", 443);
    assertTrue(cache.take(last).isPresent());
    assertTrue(cache.take(last).isPresent());
    assertFalse(cache.take(last).isPresent(), "each ticket is used once");
    TicketCache.Key other = new TicketCache.Key("chrome-156", "direct", "h1500.test", 443);
    clock.advance(Duration.ofSeconds(61));
    assertFalse(cache.take(other).isPresent(), "expired by its lifetime");
    assertFalse(cache.put(other, ticket(clock.millis() - 120_000, 60_000)), "already expired");
  }

  private static ResumptionTicket ticket(long received, long lifetimeMillis) {
    return new ResumptionTicket(
        new byte[192], new byte[32], 4, 4, 7, received, received + lifetimeMillis, List.of());
  }

  /** A NewSessionTicket body (RFC 8446 4.6.1) with an empty nonce and no extensions. */
  static ByteArrayInputStream newSessionTicket(long lifetimeSeconds, byte[] ticket) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.write((int) (lifetimeSeconds >>> shift));
    }
    out.writeBytes(new byte[] {1, 2, 3, 4}); // ticket_age_add
    out.write(0); // nonce
    out.write(ticket.length >>> 8);
    out.write(ticket.length);
    out.writeBytes(ticket);
    out.writeBytes(new byte[] {0, 0}); // extensions
    return new ByteArrayInputStream(out.toByteArray());
  }
}
