package dev.guise.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.HttpProtocol;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** ALPN selection and refusal (RFC 7301), seen from a verifying JDK TLS client. */
class AlpnTest {

  /** Handshakes offering {@code alpn}; expects the fatal no_application_protocol alert. */
  private static void assertRefused(TestServer server, String... alpn) throws Exception {
    InetAddress address = server.addresses().get(0);
    int before = server.connections().size();
    try (SSLSocket s = Clients.tlsSocket(server, address, alpn)) {
      SSLException e = assertThrows(SSLException.class, s::startHandshake);
      assertTrue(String.valueOf(e.getMessage()).contains("no_application_protocol"), e.toString());
    }
    Clients.await(
        "refused connection closed",
        () -> server.connections().size() > before && server.connections().get(before).closed());
    ConnectionRecord record = server.connections().get(before);
    // Refused after the ClientHello was recorded, before any protocol was spoken.
    assertEquals(List.of(alpn), record.clientHello().orElseThrow().alpn());
    assertTrue(
        record.failure().orElseThrow().contains("no_application_protocol"),
        record.failure().toString());
    assertEquals(Optional.empty(), record.protocol());
    assertTrue(record.requests().isEmpty());
    assertEquals(0, server.requestsReceived());
    Object json = JsonTree.parse(TestServer.fingerprintJson(record));
    assertEquals(address.getHostAddress(), JsonTree.at(json, "server_ip"));
    assertEquals(null, JsonTree.at(json, "http_version"));
    assertEquals(null, JsonTree.at(json, "method"));
    assertEquals(null, JsonTree.at(json, "http1.request_line"));
    assertEquals(List.of(alpn), JsonTree.at(json, "tls.alpn_offered"));
  }

  @Test
  void h2OnlyServerRefusesAClientOfferingNoAlpn() throws Exception {
    try (TestServer server = TestServer.builder().alpn("h2").build().start()) {
      assertRefused(server);
    }
  }

  @Test
  void h2OnlyServerRefusesAClientOfferingOnlyHttp11() throws Exception {
    try (TestServer server = TestServer.builder().alpn("h2").build().start()) {
      assertRefused(server, "http/1.1");
    }
  }

  @Test
  void http11OnlyServerRefusesAClientOfferingOnlyH2() throws Exception {
    try (TestServer server = TestServer.builder().alpn("http/1.1").build().start()) {
      assertRefused(server, "h2");
    }
  }

  @Test
  void h2OnlyServerAcceptsH2() throws Exception {
    try (TestServer server = TestServer.builder().alpn("h2").build().start();
        SSLSocket s = Clients.tlsSocket(server, server.addresses().get(0), "http/1.1", "h2")) {
      s.startHandshake();
      assertEquals("h2", s.getApplicationProtocol());
      Clients.await("handshake recorded", () -> server.connections().get(0).protocol().isPresent());
      assertEquals(Optional.of(HttpProtocol.HTTP_2), server.connections().get(0).protocol());
    }
  }

  @Test
  void serverSpeakingHttp11AnswersAClientOfferingNoAlpnInHttp11() throws Exception {
    try (TestServer server = TestServer.builder().build().start();
        SSLSocket s = Clients.tlsSocket(server, server.addresses().get(0))) {
      s.startHandshake();
      assertEquals("", s.getApplicationProtocol());
      s.getOutputStream()
          .write(
              "GET /status/204 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(response.startsWith("HTTP/1.1 204 "), response);
      ConnectionRecord record = server.connections().get(0);
      assertEquals(Optional.empty(), record.alpn());
      assertEquals(Optional.of(HttpProtocol.HTTP_1_1), record.protocol());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
