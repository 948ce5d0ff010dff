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
 * TLS 1.3 resumption by every engine against {@code openssl s_server}, whose status page says
 * whether a connection's session was "New" or "Reused": a ticket from one IP of a host resumes a
 * connection to another IP of it (a browser keys its tickets by host too); with resumption off
 * nothing is offered; a ticket never crosses session scopes (network paths) or, for an engine with
 * several profiles, profiles: either would link two identities for the server. And what each engine
 * reports of the tickets a connection kept.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResumptionConformanceTest {
  private static final String HOST = "www.resumption.test";
  private static final InetAddress FIRST_IP = InetAddress.getLoopbackAddress();
  private static InetAddress secondIp;
  private static OpenSslServer openssl;
  private static TestCertificateAuthority ca;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    ca = TestCertificateAuthority.create("Guise resumption conformance CA");
    IssuedCertificate.PemFiles pem = ca.issue(HOST).writePem(dir);
    secondIp = InetAddress.getByName("127.0.1.7");
    openssl =
        OpenSslServer.onAddresses(
            List.of(secondIp), pem.certificateChain(), pem.privateKey(), "-tls1_3");
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

  private static TlsConnectRequest request(
      String engine, InetAddress ip, int offer, String scope, boolean resumption) {
    TlsEngine tls = Providers.tlsEngine(engine);
    return new TlsConnectRequest(
        new TlsEndpoint(HOST, ip, openssl.port()),
        tls.offers().get(offer).profile(),
        List.of("http/1.1"),
        ca.trustPolicy(),
        Duration.ofSeconds(10),
        scope,
        resumption);
  }

  /** What one exchange showed: the session as OpenSSL saw it, and the tickets the engine kept. */
  private record Exchange(String session, OptionalInt ticketsKept) {}

  /**
   * One connection and one exchange, read to the end (the tickets come before the page): "New" or
   * "Reused", as OpenSSL saw the session, and the connection's {@code ticketsKept()}.
   */
  private static Exchange exchange(String engine, TlsConnectRequest request) throws Exception {
    TlsEngine tls = Providers.tlsEngine(engine);
    InetSocketAddress address =
        new InetSocketAddress(request.endpoint().ip(), request.endpoint().port());
    try (TlsConnection c = tls.connect(Loopback.connect(address), request)) {
      c.setReadTimeout(Duration.ofSeconds(10));
      OutputStream out = c.output();
      out.write(
          ("GET / HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String page = new String(c.input().readAllBytes(), StandardCharsets.ISO_8859_1);
      if (page.contains("Reused, TLSv1.3")) {
        return new Exchange("Reused", c.ticketsKept());
      }
      assertTrue(page.contains("New, TLSv1.3"), engine + ": " + page);
      return new Exchange("New", c.ticketsKept());
    }
  }

  private static void assertSession(String expected, String engine, TlsConnectRequest request)
      throws Exception {
    assertEquals(
        expected,
        exchange(engine, request).session(),
        () ->
            engine
                + " "
                + request.profile()
                + " via "
                + request.endpoint().ip().getHostAddress()
                + " in scope '"
                + request.sessionScope()
                + "', as OpenSSL saw the session");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void aTicketFromOneIpOfTheHostResumesAtAnother(String engine) throws Exception {
    String scope = "conformance-ips-" + engine;
    assertSession("New", engine, request(engine, FIRST_IP, 0, scope, true));
    assertSession("Reused", engine, request(engine, secondIp, 0, scope, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void nothingIsOfferedWithResumptionOffOrInAnotherScopeOrProfile(String engine) throws Exception {
    String scope = "conformance-off-" + engine;
    TlsConnectRequest on = request(engine, FIRST_IP, 0, scope, true);
    assertSession("New", engine, on);
    // A ticket is held for this profile and scope now; none of these may offer it.
    assertSession("New", engine, request(engine, FIRST_IP, 0, scope, false));
    assertSession("New", engine, request(engine, FIRST_IP, 0, "proxy socks5://127.0.0.9", true));
    if (Providers.tlsEngine(engine).offers().size() > 1) {
      assertSession("New", engine, request(engine, FIRST_IP, 1, scope, true));
    }
    // Control: the held ticket is still good for its own profile and scope.
    assertSession("Reused", engine, on);
  }

  /**
   * What a connection says of the tickets it brought in ({@code TlsConnection.ticketsKept}), which
   * the pool's warm-up paces itself by: with resumption off, zero (nothing was kept, so nothing is
   * worth waiting for); with it on, after a full handshake with OpenSSL (two tickets sent), either
   * unknown or a count no larger than two. The engines' exact counts are tested in their modules.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void ticketsKeptIsZeroWithResumptionOffAndAtMostWhatTheServerSentWithItOn(String engine)
      throws Exception {
    OptionalInt off =
        exchange(engine, request(engine, FIRST_IP, 0, "conformance-count-" + engine, false))
            .ticketsKept();
    assertEquals(OptionalInt.of(0), off, engine);
    Exchange on =
        exchange(engine, request(engine, FIRST_IP, 0, "conformance-count-" + engine, true));
    assertEquals("New", on.session(), engine);
    on.ticketsKept().ifPresent(n -> assertTrue(n >= 0 && n <= 2, engine + " kept " + n + " of 2"));
  }
}
