package dev.guise.tls.bouncycastle.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
import dev.guise.testing.JdkTlsServer;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a connection keeps of its handshake once it is pooled: after TLS 1.3 no parsed copy of the
 * server certificate (BouncyCastle's security parameters and session would hold one for the
 * connection's life), while the verified chain stays in {@code NegotiatedTls} and the connection
 * still carries requests and the server's post-handshake tickets. TLS 1.2 keeps it (a renegotiation
 * would compare it).
 */
@Timeout(60)
class RetainedStateTest {
  private static final String HOST = "www.guise.test";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static IssuedCertificate certificate;
  private static TrustPolicy trust;
  private static JdkTlsServer tls13;
  private static JdkTlsServer tls12;

  @BeforeAll
  static void start() throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create("Guise Retained State Root");
    certificate = ca.issue(HOST, "127.0.0.1");
    trust = ca.trustPolicy();
    tls13 = JdkTlsServer.builder(certificate.serverSslContext()).start();
    tls12 = JdkTlsServer.builder(certificate.serverSslContext()).protocols("TLSv1.2").start();
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {tls13, tls12}) {
      if (c != null) {
        c.close();
      }
    }
  }

  private static BcTlsConnection connect(int port) throws Exception {
    Socket socket = new Socket();
    socket.connect(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) TIMEOUT.toMillis());
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    TlsConnectRequest request =
        new TlsConnectRequest(
            new TlsEndpoint(HOST, InetAddress.getLoopbackAddress(), port),
            "chrome-156",
            List.of("http/1.1"),
            trust,
            TIMEOUT);
    return (BcTlsConnection) BcConnector.builtIn().connect(socket, request);
  }

  private static String get(BcTlsConnection connection) throws Exception {
    OutputStream out = connection.output();
    out.write(
        ("GET / HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return new String(connection.input().readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void tls13KeepsNoParsedServerCertificate() throws Exception {
    try (BcTlsConnection c = connect(tls13.port())) {
      assertEquals("TLSv1.3", c.negotiated().protocol());
      GuiseClientProtocol protocol = c.protocol();
      assertNull(protocol.securityParameters().getPeerCertificate());
      assertNull(protocol.session());
      assertEquals(certificate.leaf(), c.negotiated().peerCertificates().get(0));
      // The JDK server sends its tickets after the handshake; they and the response still read.
      String response = get(c);
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
    }
  }

  @Test
  void tls12KeepsIt() throws Exception {
    try (BcTlsConnection c = connect(tls12.port())) {
      assertEquals("TLSv1.2", c.negotiated().protocol());
      assertNotNull(c.protocol().securityParameters().getPeerCertificate());
      String response = get(c);
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
    }
  }
}
