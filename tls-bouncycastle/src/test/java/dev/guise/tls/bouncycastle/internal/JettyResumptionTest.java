package dev.guise.tls.bouncycastle.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS 1.3 resumption by the BouncyCastle engine against Jetty 12 over the JDK's TLS: the server
 * itself confirms it. Jetty's handshake listener sees each server-side session; a resumed one is
 * the session the ticket names (the JDK server rebuilds it from its stateless ticket, keeping its
 * creation time), where a full handshake makes a new one.
 */
@Timeout(60)
class JettyResumptionTest {
  private static final String HOST = "www.guise.test";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final LinkedBlockingQueue<Seen> SEEN = new LinkedBlockingQueue<>();
  private static Server server;
  private static int port;
  private static TrustPolicy trust;

  /** What the server saw of one handshake's session. */
  record Seen(long created, String protocol) {}

  @BeforeAll
  static void start() throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create("Guise Jetty Resumption Root");
    IssuedCertificate certificate = ca.issue(HOST, "127.0.0.1");
    trust = ca.trustPolicy();
    server = new Server();
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(certificate.serverSslContext());
    HttpConnectionFactory h1 = new HttpConnectionFactory(new HttpConfiguration());
    ServerConnector connector =
        new ServerConnector(server, new SslConnectionFactory(ssl, h1.getProtocol()), h1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    // Jetty tells every SslHandshakeListener bean of the connector about each handshake.
    connector.addBean(
        new SslHandshakeListener() {
          @Override
          public void handshakeSucceeded(Event event) {
            SSLSession session = event.getSSLEngine().getSession();
            SEEN.add(new Seen(session.getCreationTime(), session.getProtocol()));
          }
        });
    server.addConnector(connector);
    server.setStopTimeout(2000);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
            response.write(true, StandardCharsets.US_ASCII.encode("ok"), callback);
            return true;
          }
        });
    server.start();
    port = connector.getLocalPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  private static TlsConnectRequest request(String profile) {
    return new TlsConnectRequest(
        new TlsEndpoint(HOST, InetAddress.getLoopbackAddress(), port),
        profile,
        List.of("http/1.1"),
        trust,
        TIMEOUT,
        TlsConnectRequest.DIRECT);
  }

  /** One GET on a fresh connection; reading the response also reads the server's ticket. */
  private static boolean exchange(BcConnector engine, TlsConnectRequest request)
      throws IOException {
    Socket socket = new Socket();
    socket.connect(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) TIMEOUT.toMillis());
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    try (TlsConnection c = engine.connect(socket, request)) {
      OutputStream out = c.output();
      out.write(
          ("GET / HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = new String(c.input().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      return ((BcTlsConnection) c).resumed();
    }
  }

  private static Seen seen() throws InterruptedException {
    Seen s = SEEN.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertTrue(s != null, "Jetty saw the handshake");
    return s;
  }

  @ParameterizedTest
  @ValueSource(strings = {"chrome-156", "firefox-153"})
  void resumesWithJetty(String profile) throws Exception {
    SEEN.clear();
    BcConnector engine = BcConnector.builtIn();
    assertFalse(exchange(engine, request(profile)), "the first connection is a full handshake");
    Seen full = seen();
    assertEquals("TLSv1.3", full.protocol());
    assertTrue(engine.tickets().size() >= 1, "Jetty's JDK TLS sent a ticket");

    // Creation times have millisecond grain: a full handshake after this would differ.
    Thread.sleep(5);
    assertTrue(exchange(engine, request(profile)), "the second connection resumes");
    Seen resumed = seen();
    assertEquals("TLSv1.3", resumed.protocol());
    // The server's own view: the session it resumed is the one it created on the first connection.
    assertEquals(full.created(), resumed.created(), "Jetty resumed the first session");
    // (The id is no witness: the JDK gives a resumed TLS 1.3 session a new id.)

    // Control: with resumption off, Jetty sees a new session (the check above can fail).
    Thread.sleep(5);
    assertFalse(exchange(engine, request(profile).withResumption(false)));
    Seen fresh = seen();
    assertNotEquals(full.created(), fresh.created(), "a full handshake makes a new session");
  }
}
