package dev.guise.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.spi.Providers;
import dev.guise.api.spi.TlsEngine;
import dev.guise.testing.Loopback;
import dev.guise.testing.OpenSslServer;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every engine reports of the session tickets a connection brought in ({@code
 * TlsConnection.ticketsKept}), which the pool's warm-up paces itself by, against {@code openssl
 * s_server}, which sends two tickets after a full TLS 1.3 handshake: with resumption off, zero
 * (nothing was kept, so nothing is worth waiting for); with it on, either unknown or a count no
 * larger than what the server sent. The engines' exact counts are tested in their own modules.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TicketConformanceTest {
  private static final String HOST = "www.tickets.test";
  private static OpenSslServer openssl;
  private static TestCertificateAuthority ca;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    ca = TestCertificateAuthority.create("Guise ticket conformance CA");
    IssuedCertificate.PemFiles pem = ca.issue(HOST).writePem(dir);
    openssl = new OpenSslServer(pem.certificateChain(), pem.privateKey());
  }

  @AfterAll
  static void stop() throws Exception {
    if (openssl != null) {
      openssl.close();
    }
  }

  static Stream<String> engines() {
    return Engines.usable();
  }

  /** One connection and one exchange, read to the end (the tickets come before the response). */
  private static OptionalInt ticketsAfterAnExchange(String engine, boolean resumption)
      throws Exception {
    TlsEngine tls = Providers.tlsEngine(engine);
    InetAddress ip = InetAddress.getByName("127.0.0.1");
    TlsConnectRequest request =
        new TlsConnectRequest(
                new TlsEndpoint(HOST, ip, openssl.port()),
                tls.offers().get(0).profile(),
                List.of("http/1.1"),
                ca.trustPolicy(),
                Duration.ofSeconds(10))
            .withResumption(resumption);
    try (TlsConnection c =
        tls.connect(Loopback.connect(new InetSocketAddress(ip, openssl.port())), request)) {
      c.setReadTimeout(Duration.ofSeconds(10));
      OutputStream out = c.output();
      out.write(
          ("GET / HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String page = new String(c.input().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(page.contains("TLSv1.3"), engine + ": " + page);
      return c.ticketsKept();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void withResumptionOffNoTicketIsKept(String engine) throws Exception {
    assertEquals(OptionalInt.of(0), ticketsAfterAnExchange(engine, false), engine);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void withResumptionOnTheCountIsUnknownOrAtMostWhatTheServerSent(String engine) throws Exception {
    OptionalInt kept = ticketsAfterAnExchange(engine, true);
    kept.ifPresent(n -> assertTrue(n >= 0 && n <= 2, engine + " kept " + n + " of 2"));
  }
}
