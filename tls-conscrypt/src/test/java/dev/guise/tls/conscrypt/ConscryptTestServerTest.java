package dev.guise.tls.conscrypt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.Fidelity;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Conscrypt engine against the testkit's server, pinned to one of its loopback IPs: the
 * handshake completes with verification on, a request is answered, and the JA4 the server records
 * is the one the engine's offer reports.
 */
class ConscryptTestServerTest {
  private static final String HOST = "www.conscrypt.test";

  @Test
  void requestsAreAnsweredAndTheServerSeesTheReportedJa4() throws Exception {
    ConscryptEngine engine = new ConscryptEngine();
    try (TestServer server =
        TestServer.builder().loopbackAddresses(3).hostNames(HOST).build().start()) {
      InetAddress ip = server.addresses().get(2);
      for (String profile : List.of("chrome-156", ConscryptEngine.DEFAULT_PROFILE)) {
        // The profile's own ALPN list (h2, http/1.1): the hello whose JA4 the offer reports.
        try (TlsConnection tls = connect(engine, server, ip, profile, List.of())) {
          assertEquals("h2", tls.negotiated().alpn().orElseThrow());
        }
        List<ConnectionRecord> records = server.connections(ip);
        ConnectionRecord seen = records.get(records.size() - 1);
        assertEquals(
            engine.offer(profile).orElseThrow().ja4().orElseThrow(),
            seen.ja4().orElseThrow().ja4(),
            "the JA4 the engine reports for " + profile);
        // A request answered, over HTTP/1.1 to keep the test's client small.
        try (TlsConnection tls = connect(engine, server, ip, profile, List.of("http/1.1"))) {
          assertEquals(
              profile.equals("chrome-156") ? Fidelity.APPROXIMATE : Fidelity.NONE,
              tls.negotiated().fidelity());
          tls.setReadTimeout(Duration.ofSeconds(10));
          OutputStream out = tls.output();
          out.write(
              ("GET /hello HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          InputStream in = tls.input();
          ByteArrayOutputStream response = new ByteArrayOutputStream();
          in.transferTo(response);
          assertTrue(
              response.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"),
              response.toString(StandardCharsets.US_ASCII));
        }
      }
    }
  }

  private static TlsConnection connect(
      ConscryptEngine engine, TestServer server, InetAddress ip, String profile, List<String> alpn)
      throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(ip, server.port()), 5000);
    return engine.connect(
        socket,
        new TlsConnectRequest(
            new TlsEndpoint(HOST, ip, server.port()),
            profile,
            alpn,
            server.certificateAuthority().trustPolicy(),
            Duration.ofSeconds(10)));
  }
}
