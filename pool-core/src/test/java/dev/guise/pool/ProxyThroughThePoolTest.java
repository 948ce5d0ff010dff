package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.HttpProtocol;
import dev.guise.fingerprint.BrowserProfile;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.Ja4;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyStats;
import dev.guise.testing.SocksProxy;
import dev.guise.testing.SquidProxy;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.TestServer;
import dev.guise.testkit.tls.IssuedCertificate;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Through each real proxy kind (squid for HTTP CONNECT and, with {@code https_port}, for an HTTPS
 * proxy; microsocks for SOCKS5 and socks5h), all with credentials: requests over HTTP/2 and
 * HTTP/1.1 succeed, pinned and unpinned, and the server sees the profile's exact JA4 and Akamai
 * fingerprint, as without a proxy. An unpinned request through a proxy that resolves names makes
 * Guise look nothing up: the resolver fails the test if asked.
 */
class ProxyThroughThePoolTest {
  static final String USER = "guise-user";
  static final String PASSWORD = "s3cret-Pa55word";
  private static final String HOST = "localhost";

  @ParameterizedTest(name = "{0} proxy, {1}")
  @CsvSource({
    "http, h2",
    "http, http/1.1",
    "https, h2",
    "https, http/1.1",
    "socks5, h2",
    "socks5, http/1.1",
    "socks5h, h2",
    "socks5h, http/1.1"
  })
  void throughEachProxyKindTheServerSeesTheProfilesFingerprints(String kind, String alpn)
      throws Exception {
    BrowserProfile profile = BrowserProfiles.get("chrome");
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (TestServer server =
            TestServer.builder()
                .addresses(List.of(loopback))
                .hostNames(HOST)
                .alpn(alpn.equals("h2") ? new String[] {"h2", "http/1.1"} : new String[] {alpn})
                .build()
                .start();
        AutoCloseable proxyProcess = startProxy(kind, server);
        HotConnectionPool pool =
            HotConnectionPool.create(
                PoolConfig.builder()
                    .engine("bouncycastle")
                    .profile("chrome")
                    .trust(server.certificateAuthority().trustPolicy())
                    .resolver(
                        host -> {
                          if (!kind.equals("socks5")) {
                            throw new AssertionError("Guise resolved " + host + " itself");
                          }
                          return List.of(loopback);
                        })
                    .proxies(List.of(proxy(kind, proxyProcess)))
                    .build());
        GuiseClient client = new GuiseClient(pool)) {
      String url = "https://" + HOST + ":" + server.port() + "/";
      // Unpinned first: the host has no known IP yet, so the proxy is asked for the name. (A
      // pinned IP becomes one of the host's, which later unpinned requests then use.)
      HttpResponse unpinned = client.send(HttpRequest.get(url + "unpinned"));
      HttpResponse pinned = client.send(HttpRequest.get(url + "pinned"), loopback);
      HttpProtocol expected = alpn.equals("h2") ? HttpProtocol.HTTP_2 : HttpProtocol.HTTP_1_1;
      for (HttpResponse r : List.of(pinned, unpinned)) {
        assertEquals(200, r.status());
        assertEquals(expected, r.protocol());
      }
      List<ConnectionRecord> seen = server.connections();
      assertFalse(seen.isEmpty());
      // The first connection to the host is a full handshake; a later one through the same exit
      // resumes with its ticket, as the browser would, and then shows the resumed hello's JA4.
      String resumedJa4 = Ja4.of(profile.resumedReferenceHello().orElseThrow()).ja4();
      assertFalse(
          seen.get(0).clientHello().orElseThrow().hasExtension(ClientHello.EXT_PRE_SHARED_KEY),
          "the first connection has no ticket to offer");
      for (ConnectionRecord c : seen) {
        boolean resumed =
            c.clientHello().orElseThrow().hasExtension(ClientHello.EXT_PRE_SHARED_KEY);
        assertEquals(
            resumed ? resumedJa4 : profile.expectedJa4(),
            c.ja4().orElseThrow().ja4(),
            "through " + kind);
        if (expected == HttpProtocol.HTTP_2) {
          assertEquals(profile.expectedAkamai(), c.akamaiFingerprint().orElseThrow().value());
        }
      }
      // Pinned and unpinned are different routes (an IP, and the name the proxy resolves), except
      // for plain socks5, where Guise resolves and the unpinned request reuses the pinned route.
      ProxyStats stats = pool.proxyStats().get(0);
      assertEquals(kind.equals("socks5") ? 1 : 2, stats.tunnels(), stats.toString());
      assertEquals(0, stats.failures());
      if (proxyProcess instanceof SquidProxy squid) {
        // squid logs a tunnel when it ends: close the pool's, then wait (bounded) for the lines.
        pool.close();
        String pinnedLine = "CONNECT 127.0.0.1:" + server.port();
        String unpinnedLine = "CONNECT localhost:" + server.port();
        String log =
            squid.awaitAccessLog(
                l -> l.contains(pinnedLine) && l.contains(unpinnedLine), Duration.ofSeconds(10));
        assertTrue(log.contains(pinnedLine), log);
        assertTrue(log.contains(unpinnedLine), log);
        assertTrue(log.contains(USER), "squid knew the user: " + log);
      }
    }
  }

  static AutoCloseable startProxy(String kind, TestServer server) throws Exception {
    return switch (kind) {
      case "http" -> SquidProxy.start(USER, PASSWORD, null, null);
      case "https" -> {
        // The proxy's own certificate, from the server's test CA (which the pool trusts): the
        // proxy is verified like any server, by its name.
        IssuedCertificate cert = server.certificateAuthority().issue("localhost");
        Path dir = Files.createTempDirectory("guise-proxy-cert");
        IssuedCertificate.PemFiles pem = cert.writePem(dir);
        yield SquidProxy.start(USER, PASSWORD, pem.certificateChain(), pem.privateKey());
      }
      default -> SocksProxy.start(USER, PASSWORD);
    };
  }

  static Proxy proxy(String kind, AutoCloseable process) throws UnknownHostException {
    int port = process instanceof SquidProxy s ? s.port() : ((SocksProxy) process).port();
    String host = kind.equals("https") ? "localhost" : "127.0.0.1";
    return Proxy.parse(kind + "://" + USER + ":" + PASSWORD + "@" + host + ":" + port);
  }
}
