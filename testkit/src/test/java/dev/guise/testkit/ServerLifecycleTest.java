package dev.guise.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ServerLifecycleTest {

  @Test
  void loopbackAddressesAreDistinctAndLoopback() {
    List<InetAddress> addresses = TestServer.loopbackAddresses(1200);
    assertEquals(1200, new HashSet<>(addresses).size());
    assertTrue(addresses.stream().allMatch(InetAddress::isLoopbackAddress));
    assertEquals("127.0.1.1", addresses.get(0).getHostAddress());
    assertEquals("127.0.1.250", addresses.get(249).getHostAddress());
    assertEquals("127.0.2.1", addresses.get(250).getHostAddress());
  }

  @Test
  void manyAddressesStartServeAndStopWithoutLeaks() throws Exception {
    // Warm up class loading and the JDK's TLS state so the descriptor count below is steady.
    try (TestServer warm = TestServer.builder().build().start()) {
      plainConnect(warm.addresses().get(0), warm.port());
    }
    int fdsBefore = Clients.openFileDescriptors();
    TestServer server = TestServer.builder().loopbackAddresses(150).build().start();
    try {
      for (InetAddress a : server.addresses()) {
        plainConnect(a, server.port());
      }
      Clients.await("every connection seen", () -> server.connectionsAccepted() == 150);
      for (InetAddress a : server.addresses()) {
        assertEquals(1, server.connectionsAccepted(a), a.toString());
      }
      Clients.await("connections closed", () -> server.openConnections() == 0);
      // A connection that sent nothing is recorded with the reason it ended.
      assertTrue(server.connections().get(0).failure().orElseThrow().contains("EOF"));
    } finally {
      server.close();
    }
    assertEquals(0, server.liveThreads());
    assertEquals(0, server.openConnections());
    for (InetAddress a : List.of(server.addresses().get(0), server.addresses().get(149))) {
      assertThrows(ConnectException.class, () -> plainConnect(a, server.port()));
    }
    if (fdsBefore >= 0) {
      // Not more than before (other tests' clients may close descriptors meanwhile); 150
      // listeners and 150 connections left open would show up many times over.
      int fdsAfter = Clients.openFileDescriptors();
      assertTrue(
          fdsAfter <= fdsBefore, "file descriptors leaked: " + fdsBefore + " -> " + fdsAfter);
    }
  }

  @Test
  void aServerKeepsTheLatestRecordsAndCountsEveryConnection() throws Exception {
    try (TestServer server = TestServer.builder().recordedConnections(3).build().start()) {
      InetAddress a = server.addresses().get(0);
      for (int i = 0; i < 5; i++) {
        plainConnect(a, server.port());
        int seen = i + 1;
        Clients.await("connection " + seen + " seen", () -> server.connectionsAccepted() == seen);
      }
      assertEquals(5, server.connectionsAccepted(a), "counts cover every connection");
      assertEquals(
          List.of(3L, 4L, 5L),
          server.connections().stream().map(ConnectionRecord::id).toList(),
          "the latest three, oldest first");
    }
    assertThrows(IllegalArgumentException.class, () -> TestServer.builder().recordedConnections(0));
  }

  @Test
  void stopEndsStalledAndSlowExchangesAndEveryThread() throws Exception {
    TestServer server = TestServer.builder().loopbackAddresses(2).build().start();
    server.faults().add(FaultScope.path("/stall"), Fault.stall());
    HttpClient h2 = Clients.client(server, HttpClient.Version.HTTP_2);
    HttpClient h1 = Clients.client(server, HttpClient.Version.HTTP_1_1);
    List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
    for (String path : List.of("/stall", "/slow/60000")) {
      for (HttpClient c : List.of(h1, h2)) {
        pending.add(
            c.sendAsync(
                HttpRequest.newBuilder(server.uri(path)).build(),
                HttpResponse.BodyHandlers.ofString()));
      }
    }
    Clients.await("four requests in", () -> server.requestsReceived() == 4);
    assertTrue(server.liveThreads() > 0);
    server.close();
    assertEquals(0, server.liveThreads());
    assertEquals(0, server.openConnections());
    for (CompletableFuture<HttpResponse<String>> f : pending) {
      // Every client sees its exchange end (an error, or the 503 of an interrupted handler).
      Clients.await("exchange ended", f::isDone);
    }
  }

  @Test
  void http2ConcurrentStreamsAndFlowControlledBodies() throws Exception {
    try (TestServer server = TestServer.builder().build().start()) {
      HttpClient client = Clients.client(server, HttpClient.Version.HTTP_2);
      // One request first: the JDK client opens a connection per request until one h2 exists.
      assertEquals(200, Clients.get(client, server.uri("/")).statusCode());
      List<CompletableFuture<HttpResponse<byte[]>>> futures = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        futures.add(
            client.sendAsync(
                HttpRequest.newBuilder(server.uri("/bytes/300000")).build(),
                HttpResponse.BodyHandlers.ofByteArray()));
      }
      byte[] expected = new byte[300000];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = (byte) ('a' + i % 26);
      }
      for (CompletableFuture<HttpResponse<byte[]>> f : futures) {
        HttpResponse<byte[]> r = f.get();
        assertEquals(200, r.statusCode());
        assertArrayEquals(expected, r.body());
      }
      assertEquals(1, server.connectionsAccepted(), "all streams on one connection");
      ConnectionRecord record = server.connections().get(0);
      assertEquals(21, record.requests().size());
      // 6 MB went out through a connection window that starts at 65 535: the client had to
      // grant the rest, and a server overrunning it would have had the connection torn down.
      long granted = 65_535;
      for (Http2FrameRecord f : record.http2Frames()) {
        if (f.typeName().equals("WINDOW_UPDATE") && f.streamId() == 0) {
          granted += Long.parseLong(f.detail().substring("increment=".length()));
        }
      }
      assertTrue(granted >= 20 * 300_000L, "granted " + granted);
    }
  }

  @Test
  void http2RequestBodiesAreReadAndEchoHandlerSeesThem() throws Exception {
    RequestHandler echo =
        request -> TestResponse.bytes(200, "application/octet-stream", request.body());
    try (TestServer server = TestServer.builder().handler(echo).build().start()) {
      byte[] body = new byte[200_000];
      for (int i = 0; i < body.length; i++) {
        body[i] = (byte) (i * 31);
      }
      for (HttpClient.Version v : HttpClient.Version.values()) {
        HttpClient client = Clients.client(server, v);
        HttpResponse<byte[]> r =
            client.send(
                HttpRequest.newBuilder(server.uri("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(v, r.version());
        assertArrayEquals(body, r.body());
      }
    }
  }

  @Test
  void http1KeepAliveChunkedResponsesAndStatusRoute() throws Exception {
    RequestHandler handler =
        request ->
            request.path().equals("/chunked")
                ? TestResponse.ok("x".repeat(20_000)).asChunked()
                : RequestHandler.defaults().handle(request);
    try (TestServer server =
        TestServer.builder().alpn("http/1.1").handler(handler).build().start()) {
      HttpClient client = Clients.client(server, HttpClient.Version.HTTP_2);
      HttpResponse<String> chunked = Clients.get(client, server.uri("/chunked"));
      assertEquals(HttpClient.Version.HTTP_1_1, chunked.version(), "server offers only http/1.1");
      assertEquals("x".repeat(20_000), chunked.body());
      assertEquals("chunked", chunked.headers().firstValue("transfer-encoding").orElseThrow());
      assertEquals(418, Clients.get(client, server.uri("/status/418")).statusCode());
      HttpResponse<String> headers = Clients.get(client, server.uri("/headers"));
      Object json = JsonTree.parse(headers.body());
      assertEquals("http/1.1", JsonTree.at(json, "http_version"));
      assertEquals(1, server.connectionsAccepted(), "keep-alive reuses the connection");
      assertEquals(3, server.connections().get(0).requests().size());
    }
  }

  @Test
  void rawHttp1OverTlsWithPipelinedRequestsAndConnectionClose() throws Exception {
    try (TestServer server = TestServer.builder().build().start()) {
      try (Socket s =
          server
              .clientSslContext()
              .getSocketFactory()
              .createSocket(server.addresses().get(0), server.port())) {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(
            ("GET /status/204 HTTP/1.1\r\nHost: x\r\nX-First: 1\r\n\r\n"
                    + "GET /bytes/5 HTTP/1.1\r\nhost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(all.startsWith("HTTP/1.1 204 No Content\r\n"), all);
        assertTrue(all.endsWith("\r\n\r\nabcde"), all);
        assertTrue(all.contains("connection: close\r\n"), all);
      }
      ConnectionRecord record = server.connections().get(0);
      assertEquals("GET /status/204 HTTP/1.1", record.requests().get(0).requestLine());
      assertEquals("X-First", record.requests().get(0).headers().get(1).name());
      assertEquals("host", record.requests().get(1).headers().get(0).name());
    }
  }

  @Test
  void badHttp1RequestsAreAnsweredAndTheConnectionClosed() throws Exception {
    try (TestServer server =
        TestServer.builder().maxBodyBytes(10).maxHeaderBytes(256).build().start()) {
      String[][] cases = {
        {"GET /a HTTP/1.1 extra\r\nHost: x\r\n\r\n", "HTTP/1.1 400 "},
        {"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(300) + "\r\n\r\n", "HTTP/1.1 431 "},
        {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world", "HTTP/1.1 413 "},
        {
          "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello "
              + "\r\n5\r\nworld\r\n0\r\n\r\n",
          "HTTP/1.1 413 "
        },
        {
          "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: "
              + "3\r\n\r\n0\r\n\r\n",
          "HTTP/1.1 400 "
        },
      };
      for (String[] c : cases) {
        try (Socket s = Clients.tlsSocket(server, server.addresses().get(0))) {
          s.getOutputStream().write(c[0].getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
          // The whole answer up to EOF: the server closes after a bad request.
          String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
          assertTrue(all.startsWith(c[1]), c[0] + " -> " + all);
          assertTrue(all.contains("connection: close\r\n"), all);
        }
      }
      // Within the limits, a chunked body with trailers arrives whole and keep-alive goes on.
      try (Socket s = Clients.tlsSocket(server, server.addresses().get(0))) {
        s.getOutputStream()
            .write(
                ("POST /status/201 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "4\r\nabcd\r\n0\r\nX-Trailer: 1\r\n\r\n"
                        + "GET /bytes/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(all.startsWith("HTTP/1.1 201 Created\r\n"), all);
        assertTrue(all.endsWith("\r\n\r\nabc"), all);
      }
    }
  }

  @Test
  void plainTextInsteadOfTlsIsRecordedAndClosed() throws Exception {
    try (TestServer server = TestServer.builder().build().start()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(server.addresses().get(0), server.port()), 2000);
        s.setSoTimeout(10_000);
        s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(-1, s.getInputStream().read());
      }
      Clients.await("closed", () -> server.connections().get(0).closed());
      assertTrue(server.connections().get(0).failure().orElseThrow().contains("0x47"));
      assertTrue(server.connections().get(0).clientHello().isEmpty());
    }
  }

  @Test
  void expiredCertificateIsRejectedByAVerifyingClient() throws Exception {
    var ca = TestCertificateAuthority.create("Expired Root");
    try (TestServer server =
        TestServer.builder()
            .certificateAuthority(ca)
            .certificate(ca.issueExpired("127.0.1.1"))
            .build()
            .start()) {
      HttpClient client = Clients.client(server, HttpClient.Version.HTTP_2);
      assertThrows(IOException.class, () -> Clients.get(client, server.uri("/")));
      assertTrue(server.connections().get(0).ja4().isPresent());
    }
  }

  private static void plainConnect(InetAddress address, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), (int) Duration.ofSeconds(2).toMillis());
    }
  }
}
