package dev.guise.tls.conscrypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
import dev.guise.fingerprint.ClientHello;
import dev.guise.testing.OpenSslServer;
import dev.guise.testing.ReferenceCaptures;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.TestServer;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS 1.3 resumption by the Conscrypt engine, as close to the browser as BoringSSL's Java API
 * allows: OpenSSL's status page says "Reused" for the second connection; resumption off, or another
 * session scope or profile, gives full handshakes. The resumed hello is compared with Chromium's
 * captured one and its differences are printed (they are the full hello's, see {@link
 * ConscryptEngine}); what must hold, holds: {@code pre_shared_key} last, with {@code
 * psk_key_exchange_modes}.
 */
@Timeout(60)
class ConscryptResumptionTest {
  private static final String HOST = "www.resume.test";
  private static final TestCertificateAuthority CA =
      TestCertificateAuthority.create("Guise Conscrypt Resumption Root");
  private static final int PSK_KEY_EXCHANGE_MODES = 45;
  private static final int PRE_SHARED_KEY = 41;
  private static OpenSslServer openssl;
  private static TrustPolicy trust;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    IssuedCertificate cert = CA.issue(HOST);
    IssuedCertificate.PemFiles pem = cert.writePem(dir);
    openssl =
        new OpenSslServer(pem.certificateChain(), pem.privateKey(), "-tls1_3", "-alpn", "http/1.1");
    trust = CA.trustPolicy();
  }

  @AfterAll
  static void stop() throws Exception {
    if (openssl != null) {
      openssl.close();
    }
  }

  private static TlsConnectRequest request(int port, String profile, String scope) {
    return new TlsConnectRequest(
        new TlsEndpoint(HOST, InetAddress.getLoopbackAddress(), port),
        profile,
        List.of("http/1.1"),
        trust,
        LoopbackServers.HANDSHAKE_TIMEOUT,
        scope);
  }

  /** One connection and one GET (which also reads the server's tickets); the response. */
  private static String exchange(ConscryptEngine engine, TlsConnectRequest request)
      throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(request.endpoint().ip(), request.endpoint().port()), 2000);
    try (TlsConnection c = engine.connect(socket, request)) {
      return LoopbackServers.get(c, HOST);
    }
  }

  @Test
  void resumesWithOpenSsl() throws Exception {
    ConscryptEngine engine = new ConscryptEngine();
    TlsConnectRequest request = request(openssl.port(), "chrome-156", "resume-test-1");
    String first = exchange(engine, request);
    assertTrue(first.contains("New, TLSv1.3"), first);
    String second = exchange(engine, request);
    assertTrue(second.contains("Reused, TLSv1.3"), "the second connection resumes: " + second);
  }

  @Test
  void offWhenTurnedOffAndNeverAcrossScopesOrProfiles() throws Exception {
    ConscryptEngine engine = new ConscryptEngine();
    TlsConnectRequest request = request(openssl.port(), "chrome-156", "resume-test-2");
    assertTrue(exchange(engine, request).contains("New, TLSv1.3"));
    // A ticket is held for this profile and scope now; none of these may offer it.
    String off = exchange(engine, request.withResumption(false));
    assertTrue(off.contains("New, TLSv1.3"), "resumption off: a full handshake: " + off);
    String otherScope =
        exchange(engine, request(openssl.port(), "chrome-156", "proxy socks5://127.0.0.9"));
    assertTrue(otherScope.contains("New, TLSv1.3"), otherScope);
    String otherProfile =
        exchange(engine, request(openssl.port(), "conscrypt-default", "resume-test-2"));
    assertTrue(otherProfile.contains("New, TLSv1.3"), otherProfile);
    // Control: the held ticket is still good for its own profile and scope.
    assertTrue(exchange(engine, request).contains("Reused, TLSv1.3"));
  }

  @Test
  void resumedHelloAgainstChromiumsResumedHello() throws Exception {
    try (TestServer server =
        TestServer.builder()
            .loopbackAddresses(1)
            .hostNames(HOST)
            .alpn("http/1.1")
            .build()
            .start()) {
      ConscryptEngine engine = new ConscryptEngine();
      TlsConnectRequest request =
          new TlsConnectRequest(
              new TlsEndpoint(HOST, server.addresses().get(0), server.port()),
              "chrome-156",
              List.of("http/1.1"),
              server.certificateAuthority().trustPolicy(),
              LoopbackServers.HANDSHAKE_TIMEOUT,
              "resume-test-3");
      exchangeWith(engine, request);
      exchangeWith(engine, request);
      List<ConnectionRecord> seen = server.connections();
      assertEquals(2, seen.size());
      ClientHello full = seen.get(0).clientHello().orElseThrow();
      ClientHello resumed = seen.get(1).clientHello().orElseThrow();
      assertFalse(full.hasExtension(PRE_SHARED_KEY));
      List<Integer> types = resumed.extensionTypes();
      assertEquals(PRE_SHARED_KEY, types.get(types.size() - 1), "pre_shared_key last: " + types);
      assertTrue(resumed.hasExtension(PSK_KEY_EXCHANGE_MODES));

      ClientHello chromium =
          ClientHello.parse(ReferenceCaptures.bytes("sessions/chromium1/conn06.bin"));
      List<Integer> chromiumTypes = withoutGrease(chromium.extensionTypes());
      List<Integer> ours = withoutGrease(types);
      List<Integer> missing = new ArrayList<>(chromiumTypes);
      missing.removeAll(ours);
      List<Integer> extra = new ArrayList<>(ours);
      extra.removeAll(chromiumTypes);
      System.out.printf(
          "Conscrypt resumed hello: extensions %s%nChromium resumed hello: extensions %s%n"
              + "missing from Conscrypt's: %s, extra: %s%n",
          ours, chromiumTypes, missing, extra);
      // Both offer the ticket the same way: pre_shared_key last, psk_dhe_ke.
      assertArrayEquals(
          chromium.extension(PSK_KEY_EXCHANGE_MODES).orElseThrow().data(),
          resumed.extension(PSK_KEY_EXCHANGE_MODES).orElseThrow().data());
    }
  }

  private static void exchangeWith(ConscryptEngine engine, TlsConnectRequest request)
      throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(request.endpoint().ip(), request.endpoint().port()), 2000);
    try (TlsConnection c = engine.connect(socket, request)) {
      c.setReadTimeout(Duration.ofSeconds(5));
      String response = LoopbackServers.get(c, HOST);
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
    }
  }

  private static List<Integer> withoutGrease(List<Integer> types) {
    return types.stream().filter(t -> !ClientHello.isGrease(t)).toList();
  }
}
