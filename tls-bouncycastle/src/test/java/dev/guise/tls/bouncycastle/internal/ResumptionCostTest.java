package dev.guise.tls.bouncycastle.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsEndpoint;
import dev.guise.testing.OpenSslServer;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded measurement (40 connections each way, one thread) of what resumption saves a warm-up:
 * wall time per connection (TCP connect, handshake, one request) against OpenSSL, with full
 * handshakes and with tickets. Printed, not asserted (timings on a shared machine vary); asserted
 * is that the resuming run did resume.
 */
@Timeout(120)
class ResumptionCostTest {
  private static final int CONNECTIONS = 40;

  @Test
  void warmUpWithAndWithoutResumption(@TempDir Path dir) throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create("Guise Resumption Cost Root");
    IssuedCertificate certificate = ca.issue(ResumptionTest.HOST, "127.0.0.1");
    IssuedCertificate.PemFiles pem = certificate.writePem(dir);
    try (OpenSslServer server = new OpenSslServer(pem.certificateChain(), pem.privateKey())) {
      for (String profile : new String[] {"chrome-156", "firefox-153"}) {
        TlsConnectRequest request =
            new TlsConnectRequest(
                new TlsEndpoint(
                    ResumptionTest.HOST, InetAddress.getLoopbackAddress(), server.port()),
                profile,
                List.of("http/1.1"),
                ca.trustPolicy(),
                Duration.ofSeconds(10));
        BcConnector engine = BcConnector.builtIn().withTicketClock(new ResumptionTest.HandClock());
        run(engine, request.withResumption(false), 5); // JIT warm-up
        run(engine, request, 5);
        Figures full = run(engine, request.withResumption(false), CONNECTIONS);
        Figures resumed = run(engine, request, CONNECTIONS);
        assertEquals(0, full.resumed());
        assertTrue(resumed.resumed() >= CONNECTIONS - 1, "resumed " + resumed.resumed());
        System.out.printf(
            "resumption cost, %s vs OpenSSL: full %.2f ms, resumed %.2f ms"
                + " (wall per connection, %d each)%n",
            profile, full.wallMillis(), resumed.wallMillis(), CONNECTIONS);
      }
    }
  }

  record Figures(double wallMillis, int resumed) {}

  private static Figures run(BcConnector engine, TlsConnectRequest request, int n)
      throws Exception {
    long wall0 = System.nanoTime();
    int resumed = 0;
    for (int i = 0; i < n; i++) {
      if (ResumptionTest.exchange(engine, request).resumed()) {
        resumed++;
      }
    }
    long wall = System.nanoTime() - wall0;
    return new Figures(wall / 1e6 / n, resumed);
  }
}
