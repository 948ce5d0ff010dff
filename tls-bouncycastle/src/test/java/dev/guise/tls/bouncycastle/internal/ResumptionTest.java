package dev.guise.tls.bouncycastle.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.NegotiatedTls;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
import dev.guise.testing.JdkTlsServer;
import dev.guise.testing.OpenSslServer;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS 1.3 resumption by the BouncyCastle engine against real servers: the first connection gets a
 * ticket, the next one offers it and the server resumes (it says so itself: OpenSSL's status page
 * prints "Reused"); tickets stay within their profile, scope and host; a rejected ticket falls back
 * to a full handshake.
 */
@Timeout(60)
class ResumptionTest {
  static final String HOST = "www.guise.test";
  static final String OTHER_HOST = "other.guise.test";
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static TestCertificateAuthority ca;
  private static TrustPolicy trust;
  private static IssuedCertificate certificate;
  private static Path pemDir;
  private static OpenSslServer openssl;
  private static OpenSslServer opensslHrr;
  private static JdkTlsServer jdk;

  /** A clock the test moves by hand. */
  static final class HandClock implements InstantSource {
    final AtomicLong millis = new AtomicLong(1_800_000_000_000L);

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    void advance(Duration d) {
      millis.addAndGet(d.toMillis());
    }
  }

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    ca = TestCertificateAuthority.create("Guise Resumption Test Root");
    certificate = ca.issue(HOST, OTHER_HOST, "127.0.0.1");
    trust = ca.trustPolicy();
    pemDir = dir;
    IssuedCertificate.PemFiles pem = certificate.writePem(dir);
    openssl = new OpenSslServer(pem.certificateChain(), pem.privateKey());
    opensslHrr = new OpenSslServer(pem.certificateChain(), pem.privateKey(), "-groups", "P-256");
    jdk = JdkTlsServer.builder(certificate.serverSslContext()).start();
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {openssl, opensslHrr, jdk}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static TlsConnectRequest request(String host, int port, String profile, String scope) {
    return new TlsConnectRequest(
        new TlsEndpoint(host, InetAddress.getLoopbackAddress(), port),
        profile,
        List.of("http/1.1"),
        trust,
        TIMEOUT,
        scope);
  }

  static Socket socket(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) TIMEOUT.toMillis());
    return socket;
  }

  /** One connection, one GET (which also reads the server's tickets); the response text. */
  static Result exchange(BcConnector engine, TlsConnectRequest request) throws IOException {
    try (TlsConnection c = engine.connect(socket(request.endpoint().port()), request)) {
      OutputStream out = c.output();
      out.write(
          ("GET / HTTP/1.1\r\nHost: " + request.endpoint().host() + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String body = new String(c.input().readAllBytes(), StandardCharsets.ISO_8859_1);
      return new Result(
          ((BcTlsConnection) c).resumed(), c.negotiated(), body, c.ticketsKept().orElseThrow());
    }
  }

  /** What one connection saw; {@code ticketsKept} as the connection reports it to the pool. */
  record Result(boolean resumed, NegotiatedTls negotiated, String body, int ticketsKept) {}

  @ParameterizedTest
  @ValueSource(strings = {"chrome-156", "firefox-153"})
  void resumesWithOpenSsl(String profile) throws Exception {
    BcConnector engine = BcConnector.builtIn().withTicketClock(new HandClock());
    TlsConnectRequest request = request(HOST, openssl.port(), profile, TlsConnectRequest.DIRECT);
    Result first = exchange(engine, request);
    assertFalse(first.resumed());
    assertTrue(first.body().contains("New, TLSv1.3"), first.body());
    // OpenSSL sends two tickets per full handshake; both are kept, and the connection says so.
    assertEquals(2, engine.tickets().size());
    assertEquals(2, first.ticketsKept());

    Result second = exchange(engine, request);
    assertTrue(second.resumed(), "the second connection resumes");
    assertTrue(second.body().contains("Reused, TLSv1.3"), second.body());
    assertTrue(second.ticketsKept() >= 1, "a resumed connection gets new tickets too");
    // The resumed connection reports the chain its session was verified with.
    assertEquals(first.negotiated().peerCertificates(), second.negotiated().peerCertificates());
    assertFalse(second.negotiated().peerCertificates().isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"chrome-156", "firefox-153"})
  void resumesWithTheJdkServer(String profile) throws Exception {
    BcConnector engine = BcConnector.builtIn().withTicketClock(new HandClock());
    TlsConnectRequest request = request(HOST, jdk.port(), profile, TlsConnectRequest.DIRECT);
    Result first = exchange(engine, request);
    assertFalse(first.resumed());
    assertTrue(first.body().startsWith("HTTP/1.1 200"), first.body());
    assertTrue(engine.tickets().size() >= 1, "the JDK server sent a ticket");
    // jdk.tls.server.newSessionTicketCount: one by default
    assertEquals(1, first.ticketsKept());
    Result second = exchange(engine, request);
    assertTrue(second.resumed(), "the second connection resumes");
    assertEquals(1, second.ticketsKept());
    assertTrue(second.body().startsWith("HTTP/1.1 200"), second.body());
  }

  @Test
  void resumesAfterAHelloRetryRequest() throws Exception {
    // The server takes only P-256: every hello gets a HelloRetryRequest, the second hello carries
    // the ticket again with a binder over the retried transcript.
    BcConnector engine = BcConnector.builtIn().withTicketClock(new HandClock());
    TlsConnectRequest request =
        request(HOST, opensslHrr.port(), "chrome-156", TlsConnectRequest.DIRECT);
    assertFalse(exchange(engine, request).resumed());
    Result second = exchange(engine, request);
    assertTrue(second.resumed());
    assertTrue(second.body().contains("Reused, TLSv1.3"), second.body());
  }

  @Test
  void ticketsAreUsedOnceAndExpire() throws Exception {
    HandClock clock = new HandClock();
    BcConnector engine = BcConnector.builtIn().withTicketClock(clock);
    TlsConnectRequest request =
        request(HOST, openssl.port(), "chrome-156", TlsConnectRequest.DIRECT);
    exchange(engine, request);
    assertEquals(2, engine.tickets().size());
    assertTrue(exchange(engine, request).resumed());
    // One ticket was spent, the resumed connection brought new ones (OpenSSL sends one).
    int held = engine.tickets().size();
    assertTrue(held >= 1, "tickets held after resuming: " + held);
    // OpenSSL's ticket lifetime is 7200 s: past it no ticket is offered.
    clock.advance(Duration.ofSeconds(7201));
    Result late = exchange(engine, request);
    assertFalse(late.resumed(), "an expired ticket is not offered");
    assertTrue(late.body().contains("New, TLSv1.3"), late.body());
  }

  @Test
  void aTicketNeverCrossesHostsProfilesOrScopes() throws Exception {
    BcConnector engine = BcConnector.builtIn().withTicketClock(new HandClock());
    exchange(engine, request(HOST, openssl.port(), "chrome-156", TlsConnectRequest.DIRECT));
    assertEquals(2, engine.tickets().size());
    // Same server and port, another host name: no ticket offered (the server would accept it).
    Result otherHost =
        exchange(
            engine, request(OTHER_HOST, openssl.port(), "chrome-156", TlsConnectRequest.DIRECT));
    assertFalse(otherHost.resumed());
    assertTrue(otherHost.body().contains("New, TLSv1.3"), otherHost.body());
    Result otherProfile =
        exchange(engine, request(HOST, openssl.port(), "firefox-153", TlsConnectRequest.DIRECT));
    assertFalse(otherProfile.resumed());
    Result otherScope =
        exchange(engine, request(HOST, openssl.port(), "chrome-156", "proxy socks5://127.0.0.9"));
    assertFalse(otherScope.resumed());
    // The original key still holds its two tickets, untouched by the others.
    assertTrue(
        exchange(engine, request(HOST, openssl.port(), "chrome-156", TlsConnectRequest.DIRECT))
            .resumed());
  }

  @Test
  void aTicketFromOneIpIsOfferedToAnotherIpOfTheHost() throws Exception {
    // 127.0.1.1, same port as the server on 127.0.0.1, relays to it: another IP of the host.
    InetAddress otherIp = InetAddress.getByName("127.0.1.1");
    try (Relay relay = new Relay(otherIp, openssl.port())) {
      BcConnector engine = BcConnector.builtIn().withTicketClock(new HandClock());
      exchange(engine, request(HOST, openssl.port(), "chrome-156", TlsConnectRequest.DIRECT));
      TlsConnectRequest viaOtherIp =
          new TlsConnectRequest(
              new TlsEndpoint(HOST, otherIp, openssl.port()),
              "chrome-156",
              List.of("http/1.1"),
              trust,
              TIMEOUT,
              TlsConnectRequest.DIRECT);
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress(otherIp, openssl.port()), (int) TIMEOUT.toMillis());
      try (TlsConnection c = engine.connect(socket, viaOtherIp)) {
        assertTrue(((BcTlsConnection) c).resumed(), "the host's ticket is offered on its other IP");
      }
      assertTrue(relay.accepted() >= 1);
    }
  }

  /** Forwards connections from {@code ip:port} to 127.0.0.1:port, byte for byte. */
  static final class Relay implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    Relay(InetAddress ip, int port) throws IOException {
      server = new ServerSocket(port, 10, ip);
      Thread t = new Thread(this::acceptLoop, "relay");
      t.setDaemon(true);
      t.start();
    }

    int accepted() {
      return accepted.get();
    }

    private void acceptLoop() {
      while (!server.isClosed()) {
        try {
          Socket in = server.accept();
          accepted.incrementAndGet();
          Socket out = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
          open.add(in);
          open.add(out);
          pump(in, out);
          pump(out, in);
        } catch (IOException e) {
          return;
        }
      }
    }

    private static void pump(Socket from, Socket to) {
      Thread t =
          new Thread(
              () -> {
                try {
                  from.getInputStream().transferTo(to.getOutputStream());
                  to.shutdownOutput();
                } catch (IOException ignored) {
                  // one side closed
                }
              },
              "relay-pump");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : open) {
        s.close();
      }
    }
  }

  @Test
  void aRejectedTicketFallsBackToAFullHandshakeSilently() throws Exception {
    BcConnector engine = BcConnector.builtIn().withTicketClock(new HandClock());
    exchange(engine, request(HOST, openssl.port(), "chrome-156", TlsConnectRequest.DIRECT));
    ResumptionTicket ticket =
        engine
            .tickets()
            .take(new TicketCache.Key("chrome-156", TlsConnectRequest.DIRECT, HOST, openssl.port()))
            .orElseThrow();
    IssuedCertificate.PemFiles pem = certificate.writePem(pemDir);
    // Another OpenSSL process has other ticket keys: it cannot open the ticket and ignores it.
    try (OpenSslServer restarted = new OpenSslServer(pem.certificateChain(), pem.privateKey())) {
      engine
          .tickets()
          .put(
              new TicketCache.Key("chrome-156", TlsConnectRequest.DIRECT, HOST, restarted.port()),
              ticket);
      Result rejected =
          exchange(engine, request(HOST, restarted.port(), "chrome-156", TlsConnectRequest.DIRECT));
      assertFalse(rejected.resumed());
      assertTrue(rejected.body().contains("New, TLSv1.3"), rejected.body());
      assertFalse(rejected.negotiated().peerCertificates().isEmpty(), "verified in full");
      // and its own tickets are kept for next time
      assertTrue(
          exchange(engine, request(HOST, restarted.port(), "chrome-156", TlsConnectRequest.DIRECT))
              .resumed());
    }
  }

  @Test
  void resumptionOffMeansFullHandshakesAndNoTickets() throws Exception {
    BcConnector engine = BcConnector.builtIn().withTicketClock(new HandClock());
    TlsConnectRequest request =
        request(HOST, openssl.port(), "chrome-156", TlsConnectRequest.DIRECT).withResumption(false);
    Result first = exchange(engine, request);
    assertFalse(first.resumed());
    assertEquals(0, engine.tickets().size());
    assertEquals(0, first.ticketsKept(), "the server's tickets were not kept");
    Result second = exchange(engine, request);
    assertFalse(second.resumed());
    assertTrue(second.body().contains("New, TLSv1.3"), second.body());
  }
}
