package dev.guise.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FaultInjectionTest {
  private TestServer server;
  private InetAddress a1;
  private InetAddress a2;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.builder().loopbackAddresses(2).build().start();
    a1 = server.addresses().get(0);
    a2 = server.addresses().get(1);
  }

  @AfterEach
  void stop() {
    server.close();
    assertEquals(0, server.liveThreads(), "threads left after stop");
    assertEquals(0, server.openConnections());
  }

  enum Version {
    HTTP_1_1(HttpClient.Version.HTTP_1_1),
    HTTP_2(HttpClient.Version.HTTP_2);

    final HttpClient.Version version;

    Version(HttpClient.Version version) {
      this.version = version;
    }
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void forbiddenAfterNRequestsToOneAddressOnly(Version v) throws Exception {
    FaultRule rule =
        server.faults().add(FaultScope.address(a1), Fault.status(403).afterRequests(2));
    HttpClient client = Clients.client(server, v.version);
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      statuses.add(Clients.get(client, server.uri(a1, "/")).statusCode());
    }
    assertEquals(List.of(200, 200, 403, 403), statuses);
    assertEquals(200, Clients.get(client, server.uri(a2, "/")).statusCode());
    assertEquals(2, server.faults().injected(Fault.Kind.STATUS));
    assertEquals(2, server.faults().injected(rule));
    assertEquals(4, server.requestsReceived(a1));
    assertEquals(1, server.requestsReceived(a2));
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void tooManyRequestsWithRetryAfterOnAPathPrefix(Version v) throws Exception {
    server.faults().add(FaultScope.path("/limited"), Fault.tooManyRequests(7));
    HttpClient client = Clients.client(server, v.version);
    HttpResponse<String> limited = Clients.get(client, server.uri(a2, "/limited/x"));
    assertEquals(429, limited.statusCode());
    assertEquals("7", limited.headers().firstValue("retry-after").orElseThrow());
    assertEquals(200, Clients.get(client, server.uri(a2, "/other")).statusCode());
  }

  @Test
  void serverErrorsThatStopAfterTheirCount() throws Exception {
    server.faults().add(Fault.status(503).times(1));
    server.faults().add(FaultScope.path("/bad-gateway"), Fault.status(502));
    HttpClient client = Clients.client(server, HttpClient.Version.HTTP_2);
    assertEquals(503, Clients.get(client, server.uri(a1, "/")).statusCode());
    assertEquals(200, Clients.get(client, server.uri(a1, "/")).statusCode());
    assertEquals(502, Clients.get(client, server.uri(a1, "/bad-gateway")).statusCode());
    server.faults().clear();
    assertEquals(200, Clients.get(client, server.uri(a1, "/bad-gateway")).statusCode());
    assertEquals(2, server.faults().injected(Fault.Kind.STATUS));
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void resetMidResponse(Version v) throws Exception {
    server.faults().add(FaultScope.path("/bytes"), Fault.reset(1000).times(1));
    HttpClient client = Clients.client(server, v.version);
    assertThrows(IOException.class, () -> Clients.get(client, server.uri(a1, "/bytes/100000")));
    assertEquals(1, server.faults().injected(Fault.Kind.RESET));
    // The next request (on a new connection) is whole.
    HttpResponse<String> ok = Clients.get(client, server.uri(a1, "/bytes/100000"));
    assertEquals(100000, ok.body().length());
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void stallNeverAnswersAndEndsWithTheServer(Version v) throws Exception {
    server.faults().add(FaultScope.path("/stall"), Fault.stall());
    HttpClient client = Clients.client(server, v.version);
    // The client's timeout covers the handshake too: 300 ms could end before a busy server read
    // the request at all (seen in CI), so the timeout is long enough to reach the server, and the
    // count is awaited, since the server may record the stall just after the client gave up.
    HttpRequest request =
        HttpRequest.newBuilder(server.uri(a1, "/stall")).timeout(Duration.ofSeconds(2)).build();
    assertThrows(
        HttpTimeoutException.class,
        () -> client.send(request, HttpResponse.BodyHandlers.ofString()));
    Clients.await("stall injected", () -> server.faults().injected(Fault.Kind.STALL) == 1);
    assertEquals(1, server.faults().injected(Fault.Kind.STALL));
    // stop() (in tearDown) must end the stalled exchange and its thread.
  }

  @Test
  void goAwayOverHttp2LeavesTheStreamUnprocessed() throws Exception {
    server.faults().add(FaultScope.path("/away"), Fault.goAway().times(1));
    HttpClient client = Clients.client(server, HttpClient.Version.HTTP_2);
    assertEquals(200, Clients.get(client, server.uri(a1, "/first")).statusCode());
    // The stream is refused by GOAWAY (last-stream-id below it): the client either retries it on
    // a new connection or reports the failure; either way the first connection carried no
    // answer for it and was closed.
    try {
      HttpResponse<String> r = Clients.get(client, server.uri(a1, "/away"));
      assertEquals(200, r.statusCode());
      assertEquals(2, server.connectionsAccepted(a1), "retried on a new connection");
    } catch (IOException e) {
      assertEquals(1, server.connectionsAccepted(a1));
    }
    assertEquals(1, server.faults().injected(Fault.Kind.GOAWAY));
    ConnectionRecord first = server.connections(a1).get(0);
    Clients.await("first connection closed", first::closed);
    assertEquals(2, first.requests().size());
  }

  @Test
  void goAwayOverHttp1ClosesTheConnection() throws Exception {
    server.faults().add(FaultScope.path("/away"), Fault.goAway());
    HttpClient client = Clients.client(server, HttpClient.Version.HTTP_1_1);
    HttpResponse<String> r = Clients.get(client, server.uri(a1, "/away"));
    assertEquals("close", r.headers().firstValue("connection").orElseThrow());
    Clients.await("closed", () -> server.connections(a1).get(0).closed());
    assertEquals(200, Clients.get(client, server.uri(a1, "/")).statusCode());
    assertEquals(2, server.connectionsAccepted(a1));
  }

  @Test
  void tlsAlertAbortsTheHandshakeAfterTheClientHelloWasRecorded() throws Exception {
    server.faults().add(FaultScope.address(a2), Fault.tlsAlert());
    HttpClient client = Clients.client(server, HttpClient.Version.HTTP_2);
    IOException e = assertThrows(IOException.class, () -> Clients.get(client, server.uri(a2, "/")));
    assertTrue(
        e instanceof SSLHandshakeException || e.getCause() instanceof SSLHandshakeException,
        e.toString());
    assertEquals(200, Clients.get(client, server.uri(a1, "/")).statusCode());
    ConnectionRecord record = server.connections(a2).get(0);
    assertTrue(record.ja4().isPresent());
    assertTrue(record.failure().orElseThrow().contains("TLS_ALERT"));
    assertTrue(server.faults().injected(Fault.Kind.TLS_ALERT) >= 1);
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void idleConnectionsAreClosed(Version v) throws Exception {
    server.faults().add(FaultScope.address(a1), Fault.idleClose(Duration.ofMillis(500)));
    HttpClient client = Clients.client(server, v.version);
    assertEquals(200, Clients.get(client, server.uri(a1, "/")).statusCode());
    assertEquals(200, Clients.get(client, server.uri(a2, "/")).statusCode());
    ConnectionRecord idle = server.connections(a1).get(0);
    Clients.await("idle connection closed", idle::closed);
    assertTrue(server.faults().injected(Fault.Kind.IDLE_CLOSE) >= 1);
    // The connection on the other address is outside the scope and stays open.
    assertTrue(!server.connections(a2).get(0).closed());
  }

  @Test
  void refuseUnbindsTheAddressUntilTheRuleIsRemoved() throws Exception {
    FaultRule refuse = server.faults().add(FaultScope.address(a2), Fault.refuse());
    assertThrows(ConnectException.class, () -> connect(a2));
    connect(a1);
    assertEquals(1, server.faults().injected(Fault.Kind.REFUSE));
    server.faults().remove(refuse);
    connect(a2);
    HttpClient client = Clients.client(server, HttpClient.Version.HTTP_2);
    assertEquals(200, Clients.get(client, server.uri(a2, "/")).statusCode());
  }

  @Test
  void downAndUpOnTheSameAddressesAndPort() throws Exception {
    HttpClient client = Clients.client(server, HttpClient.Version.HTTP_2);
    assertEquals(200, Clients.get(client, server.uri(a1, "/")).statusCode());
    int port = server.port();
    server.down();
    assertThrows(ConnectException.class, () -> connect(a1));
    assertThrows(ConnectException.class, () -> connect(a2));
    Clients.await("connections closed", () -> server.openConnections() == 0);
    server.up();
    assertEquals(port, server.port());
    // A new client each time: the JDK client would first try its pooled, now dead, connection.
    client = Clients.client(server, HttpClient.Version.HTTP_2);
    assertEquals(200, Clients.get(client, server.uri(a1, "/")).statusCode());
    server.restart();
    client = Clients.client(server, HttpClient.Version.HTTP_2);
    assertEquals(200, Clients.get(client, server.uri(a2, "/")).statusCode());
    assertEquals(2, server.faults().injected(Fault.Kind.DOWN));
  }

  private void connect(InetAddress address) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, server.port()), 2000);
    }
  }
}
