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
    ConscryptTlsProvider engine = new ConscryptTlsProvider();
    try (TestServer server = TestServer.builder().loopbackAddresses(3).hostNames(HOST)
        .alpn("http/1.1").build().start()) {
      InetAddress ip = server.addresses().get(2);
      for (String profile : List.of("chrome-156", ConscryptTlsProvider.DEFAULT_PROFILE)) {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(ip, server.port()), 5000);
        try (TlsConnection tls = engine.connect(socket, new TlsConnectRequest(
            new TlsEndpoint(HOST, ip, server.port()), profile, List.of("http/1.1"),
            server.certificateAuthority().trustPolicy(), Duration.ofSeconds(10)))) {
          assertEquals(profile.equals("chrome-156") ? Fidelity.APPROXIMATE : Fidelity.NONE,
              tls.negotiated().fidelity());
          tls.setReadTimeout(Duration.ofSeconds(10));
          OutputStream out = tls.output();
          out.write(("GET /hello HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          InputStream in = tls.input();
          ByteArrayOutputStream response = new ByteArrayOutputStream();
          in.transferTo(response);
          assertTrue(response.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"),
              response.toString(StandardCharsets.US_ASCII));
        }
        List<ConnectionRecord> records = server.connections(ip);
        ConnectionRecord seen = records.get(records.size() - 1);
        assertEquals(engine.offer(profile).orElseThrow().ja4().orElseThrow(),
            seen.ja4().orElseThrow().ja4(), "the JA4 the engine reports for " + profile);
      }
    }
  }
}
