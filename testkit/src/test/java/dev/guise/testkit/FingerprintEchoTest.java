package dev.guise.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.Ja3;
import dev.guise.fingerprint.Ja4;
import dev.guise.testing.ReferenceCaptures;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintEchoTest {
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.builder().loopbackAddresses(3).hostNames("fp.guise.test").build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void http2FingerprintJsonMatchesTheRecordedClientHelloAndFrames() throws Exception {
    HttpClient client = Clients.client(server, HttpClient.Version.HTTP_2);
    for (InetAddress address : server.addresses()) {
      HttpResponse<String> response =
          Clients.get(client, server.uri(address, "/fingerprint/x?y=1"));
      assertEquals(200, response.statusCode());
      assertEquals(HttpClient.Version.HTTP_2, response.version());
      Object json = JsonTree.parse(response.body());
      assertEquals(address.getHostAddress(), JsonTree.at(json, "server_ip"));
      assertEquals("h2", JsonTree.at(json, "http_version"));
      assertEquals("/fingerprint/x?y=1", JsonTree.at(json, "path"));

      List<ConnectionRecord> connections = server.connections(address);
      assertEquals(1, connections.size(), "one h2 connection per address");
      ConnectionRecord record = connections.get(0);
      assertEquals(((Number) JsonTree.at(json, "connection_id")).longValue(), record.id());

      // TLS: recompute everything from the recorded bytes, independently of the record's fields.
      byte[] hello = record.clientHelloBytes().orElseThrow();
      assertEquals(0x16, hello[0] & 0xff);
      assertEquals(HexFormat.of().formatHex(hello), JsonTree.at(json, "tls.client_hello_hex"));
      ClientHello parsed = ClientHello.parse(hello);
      Ja4 ja4 = Ja4.of(parsed);
      Ja3 ja3 = Ja3.of(parsed);
      assertEquals(ja4.ja4(), JsonTree.at(json, "tls.ja4"));
      assertEquals(ja4.ja4r(), JsonTree.at(json, "tls.ja4_r"));
      assertEquals(ja3.string(), JsonTree.at(json, "tls.ja3"));
      assertEquals(ja3.hash(), JsonTree.at(json, "tls.ja3_hash"));
      assertEquals(ja3.normalizedHash(), JsonTree.at(json, "tls.ja3n_hash"));
      // The JDK client sends no SNI for an IP literal: JA4's second letter says so.
      assertEquals('i', ja4.ja4().charAt(3));
      assertTrue(ja4.ja4().startsWith("t13i"), ja4.ja4());
      assertEquals(List.of("h2", "http/1.1"), JsonTree.at(json, "tls.alpn_offered"));
      assertEquals("h2", JsonTree.at(json, "tls.alpn"));
      assertEquals("TLSv1.3", JsonTree.at(json, "tls.version"));

      // HTTP/2: rebuild the Akamai string from the raw frame log.
      String expectedAkamai = akamaiFromFrames(record.http2Frames());
      assertEquals(expectedAkamai, JsonTree.at(json, "http2.akamai_fingerprint"));
      assertTrue(
          expectedAkamai.matches("\\d+:\\d+(;\\d+:\\d+)*\\|(00|\\d+)\\|0\\|[mpsa](,[mpsa]){3}"),
          expectedAkamai);
      List<Object> settings = JsonTree.array(JsonTree.at(json, "http2.settings"));
      assertEquals(record.http2Settings().size(), settings.size());
      for (int i = 0; i < settings.size(); i++) {
        Map<String, Object> s = JsonTree.object(settings.get(i));
        assertEquals(record.http2Settings().get(i).id(), ((Number) s.get("id")).intValue());
        assertEquals(record.http2Settings().get(i).value(), ((Number) s.get("value")).longValue());
      }
      // The header list in wire order, pseudo-headers first, as the record has it.
      List<Header> sent = record.requests().get(0).headers();
      List<Object> echoed = JsonTree.array(JsonTree.at(json, "http2.headers"));
      assertEquals(sent.size(), echoed.size());
      for (int i = 0; i < sent.size(); i++) {
        assertEquals(List.of(sent.get(i).name(), sent.get(i).value()), echoed.get(i));
      }
      for (int i = 0; i < 4; i++) {
        assertTrue(sent.get(i).name().startsWith(":"), "pseudo-headers come first: " + sent);
      }
      assertTrue(echoed.contains(List.of(":method", "GET")), echoed.toString());
      assertTrue(
          sent.stream()
              .anyMatch(h -> h.name().equals(":path") && h.value().equals("/fingerprint/x?y=1")));
      assertEquals(1, JsonTree.at(json, "http2.first_headers.stream_id"));
      assertEquals(1, server.connectionsAccepted(address));

      // The same document from the record alone, with the address the connection arrived on.
      Object fromRecord = JsonTree.parse(TestServer.fingerprintJson(record));
      assertEquals(address.getHostAddress(), JsonTree.at(fromRecord, "server_ip"));
      assertEquals(
          record.localAddress().getPort(),
          ((Number) JsonTree.at(fromRecord, "server_port")).intValue());
      assertEquals(server.port(), JsonTree.at(fromRecord, "server_port"));
      for (String key :
          List.of(
              "ip",
              "port",
              "connection_id",
              "http_version",
              "method",
              "path",
              "tls.ja4",
              "tls.ja3_hash",
              "tls.client_hello_hex",
              "http2.akamai_fingerprint",
              "http2.stream_id",
              "http2.headers",
              "http2.settings",
              "http2.first_headers")) {
        assertEquals(JsonTree.at(json, key), JsonTree.at(fromRecord, key), key);
      }
    }
  }

  /** SETTINGS|WINDOW_UPDATE|PRIORITY|pseudo-headers from the frame log alone. */
  private static String akamaiFromFrames(List<Http2FrameRecord> frames) {
    String settings = null;
    String window = "00";
    List<String> priorities = new ArrayList<>();
    for (Http2FrameRecord f : frames) {
      switch (f.typeName()) {
        case "SETTINGS" -> {
          if (settings == null && (f.flags() & 1) == 0) {
            settings = f.detail();
          }
        }
        case "WINDOW_UPDATE" -> {
          if (f.streamId() == 0 && window.equals("00")) {
            window = f.detail().substring("increment=".length());
          }
        }
        case "PRIORITY" -> priorities.add(f.streamId() + ":" + f.detail());
        case "HEADERS" -> {
          String d = f.detail();
          String headers = d.substring(d.indexOf("headers=[") + "headers=[".length());
          List<String> pseudo = new ArrayList<>();
          for (String field : headers.split(", ")) {
            if (field.startsWith(":")) {
              pseudo.add(field.substring(1, 2));
            }
          }
          return settings
              + "|"
              + window
              + "|"
              + (priorities.isEmpty() ? "0" : "?")
              + "|"
              + String.join(",", pseudo);
        }
        default -> {}
      }
    }
    throw new AssertionError("no HEADERS frame in " + frames);
  }

  @Test
  void http1FingerprintJsonCarriesTheRequestLineAndHeaderLinesInOrder() throws Exception {
    HttpClient client = Clients.client(server, HttpClient.Version.HTTP_1_1);
    InetAddress address = server.addresses().get(1);
    HttpResponse<String> response = Clients.get(client, server.uri(address, "/fingerprint"));
    assertEquals(200, response.statusCode());
    assertEquals(HttpClient.Version.HTTP_1_1, response.version());
    Object json = JsonTree.parse(response.body());
    assertEquals("http/1.1", JsonTree.at(json, "http_version"));
    assertEquals("GET /fingerprint HTTP/1.1", JsonTree.at(json, "http1.request_line"));
    ConnectionRecord record =
        server.connections(address).stream()
            .filter(c -> c.protocol().equals(Optional.of(HttpProtocol.HTTP_1_1)))
            .findFirst()
            .orElseThrow();
    ClientHello hello = record.clientHello().orElseThrow();
    assertEquals(hello.alpn(), JsonTree.at(json, "tls.alpn_offered"));
    // The JDK client in HTTP/1.1 mode may offer no ALPN at all; then none is negotiated.
    assertEquals(hello.alpn().isEmpty() ? null : "http/1.1", JsonTree.at(json, "tls.alpn"));
    assertEquals(
        Ja4.of(ClientHello.parse(record.clientHelloBytes().orElseThrow())).ja4(),
        JsonTree.at(json, "tls.ja4"));
    List<Header> sent = record.requests().get(0).headers();
    List<Object> echoed = JsonTree.array(JsonTree.at(json, "http1.headers"));
    assertEquals(sent.size(), echoed.size());
    for (int i = 0; i < sent.size(); i++) {
      assertEquals(List.of(sent.get(i).name(), sent.get(i).value()), echoed.get(i));
    }
    assertTrue(record.http2Frames().isEmpty());

    Object fromRecord = JsonTree.parse(TestServer.fingerprintJson(record));
    assertEquals(address.getHostAddress(), JsonTree.at(fromRecord, "server_ip"));
    for (String key :
        List.of(
            "server_port",
            "connection_id",
            "http_version",
            "method",
            "path",
            "tls.ja4",
            "http1.request_line",
            "http1.headers")) {
      assertEquals(JsonTree.at(json, key), JsonTree.at(fromRecord, key), key);
    }
    assertEquals("GET", JsonTree.at(fromRecord, "method"));
  }

  @Test
  void curlMatchesItsReferenceCapture(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
    Object capture = JsonTree.parse(ReferenceCaptures.text("browsers/curl1-conn01.json"));
    Path caPem = dir.resolve("ca.pem");
    Files.writeString(
        caPem,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(server.certificateAuthority().certificate().getEncoded())
            + "\n-----END CERTIFICATE-----\n",
        StandardCharsets.US_ASCII);
    InetAddress address = server.addresses().get(2);
    String host = "fp.guise.test";
    Process curl =
        new ProcessBuilder(
                "/usr/bin/curl",
                "-sS",
                "--http2",
                "--max-time",
                "10",
                "--resolve",
                host + ":" + server.port() + ":" + address.getHostAddress(),
                "--cacert",
                caPem.toString(),
                "https://" + host + ":" + server.port() + "/fingerprint")
            .redirectErrorStream(true)
            .start();
    assertTrue(curl.waitFor(20, TimeUnit.SECONDS), "curl did not finish");
    String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, curl.exitValue(), output);
    Object json = JsonTree.parse(output);
    assertEquals(JsonTree.at(capture, "fingerprints.ja4"), JsonTree.at(json, "tls.ja4"));
    assertEquals("t13d3112h2_e8f1e7e78f70_b26ce05bbdd6", JsonTree.at(json, "tls.ja4"));
    assertEquals(JsonTree.at(capture, "fingerprints.ja4_r"), JsonTree.at(json, "tls.ja4_r"));
    assertEquals(JsonTree.at(capture, "fingerprints.ja3_hash"), JsonTree.at(json, "tls.ja3_hash"));
    assertEquals(
        JsonTree.at(capture, "http2.akamai_fingerprint"),
        JsonTree.at(json, "http2.akamai_fingerprint"));
    assertEquals(
        "3:100;4:33554432;2:0|33488897|0|m,p,s,a", JsonTree.at(json, "http2.akamai_fingerprint"));
    assertEquals(host, JsonTree.at(json, "tls.sni"));
    ConnectionRecord record = server.connections(address).get(0);
    assertFalse(record.http2Frames().isEmpty());
    assertEquals(33488897L, record.http2ConnectionWindowUpdate().orElseThrow());
  }
}
