package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.TlsExtension;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyKind;
import dev.guise.testing.ScriptedProxy;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A TLS session or ticket obtained through one proxy is never offered through another, nor
 * directly: a resumed session from another IP links the two exits. Every engine resumes, within one
 * session scope per exit. The control shows the server does issue tickets and that a resuming
 * client is seen.
 */
class ProxyTlsSessionTest {
  private static final String HOST = "www.proxy.test";
  private static final int PRE_SHARED_KEY = 41;
  private static final int SESSION_TICKET = 35;

  /** Whether the ClientHello offers a session to resume (a PSK, or a TLS 1.2 ticket). */
  static boolean offersResumption(ConnectionRecord c) {
    ClientHello hello = c.clientHello().orElseThrow();
    Optional<TlsExtension> ticket = hello.extension(SESSION_TICKET);
    return hello.extension(PRE_SHARED_KEY).isPresent()
        || (ticket.isPresent() && ticket.get().length() > 0);
  }

  /**
   * Through A, then B, then directly, each the first connection of its exit, none may offer a
   * session; through A again it does (so the test can see a session crossing, were one to). A new
   * pool for each connection, so none is reused, while the engine's session cache, which outlives
   * pools, is shared.
   */
  @ParameterizedTest
  @ValueSource(strings = {"jdk", "bouncycastle", "conscrypt"})
  void resumesOnlyThroughTheExitTheSessionCameFrom(String engine) throws Exception {
    try (TestServer server =
            TestServer.builder().loopbackAddresses(1).hostNames(HOST).build().start();
        ScriptedProxy a = new ScriptedProxy(new ScriptedProxy.Tunnel());
        ScriptedProxy b = new ScriptedProxy(new ScriptedProxy.Tunnel())) {
      InetAddress ip = server.addresses().get(0);
      URI url = URI.create("https://" + HOST + ":" + server.port() + "/");
      PoolConfig config =
          PoolConfig.builder()
              .engine(engine)
              .trust(server.certificateAuthority().trustPolicy())
              .build();
      Proxy viaA = Proxy.of(ProxyKind.HTTP, "127.0.0.1", a.port());
      Proxy viaB = Proxy.of(ProxyKind.HTTP, "127.0.0.1", b.port());
      for (Proxy p : Arrays.asList(viaA, viaB, null, viaA)) {
        try (HotConnectionPool pool = HotConnectionPool.create(config);
            ConnectionLease lease =
                p == null ? pool.connectionToIp(url, ip) : pool.connectionVia(url, ip, p)) {
          // The whole answer: the tickets come after the handshake.
          lease.send(HttpRequest.get(url.toString()));
        }
      }
      List<ConnectionRecord> seen = server.connections();
      assertEquals(4, seen.size());
      assertFalse(offersResumption(seen.get(0)), engine + ": the first connection through A");
      assertFalse(
          offersResumption(seen.get(1)), engine + ": through B, A's session is not offered");
      assertFalse(offersResumption(seen.get(2)), engine + ": directly, no proxy's session is");
      assertTrue(offersResumption(seen.get(3)), engine + ": through A again, A's session is");
    }
  }

  @Test
  void controlTheServerIssuesTicketsAndAResumingClientIsSeen() throws Exception {
    try (TestServer server =
        TestServer.builder().loopbackAddresses(1).hostNames(HOST).build().start()) {
      SSLContext shared = server.clientSslContext();
      for (int i = 0; i < 2; i++) {
        try (Socket tcp = new Socket()) {
          tcp.connect(new InetSocketAddress(server.addresses().get(0), server.port()), 5000);
          SSLSocket tls =
              (SSLSocket) shared.getSocketFactory().createSocket(tcp, HOST, server.port(), false);
          SSLParameters params = tls.getSSLParameters();
          params.setServerNames(List.of(new SNIHostName(HOST)));
          params.setApplicationProtocols(new String[] {"http/1.1"});
          tls.setSSLParameters(params);
          tls.setSoTimeout(5000);
          OutputStream out = tls.getOutputStream();
          out.write(
              ("GET / HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          InputStream in = tls.getInputStream();
          in.readAllBytes(); // the tickets come after the handshake: read to the end
          tls.close();
        }
      }
      List<ConnectionRecord> seen = server.connections();
      assertEquals(2, seen.size());
      assertTrue(!offersResumption(seen.get(0)));
      assertTrue(offersResumption(seen.get(1)), "the JDK client resumed with a shared context");
    }
  }
}
