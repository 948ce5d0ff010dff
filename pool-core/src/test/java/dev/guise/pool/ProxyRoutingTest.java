package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyKind;
import dev.guise.pool.proxy.ProxyRouting;
import dev.guise.pool.stats.PoolStats;
import dev.guise.testing.ReferenceCaptures;
import dev.guise.testing.ScriptedProxy;
import dev.guise.testing.SocksProxy;
import dev.guise.testkit.TestResponse;
import dev.guise.testkit.TestServer;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CONNECT head byte for byte, 407 answered once, and bans on a proxy's exit. */
class ProxyRoutingTest {
  private static final String HOST = "www.proxy.test";

  /** The captured head of {@code browser}, from the reference JSON, with the capture's target. */
  static String capturedHead(String browser) {
    String json = ReferenceCaptures.text("proxy/connect-heads.json");
    Matcher m =
        Pattern.compile(
                "\""
                    + browser
                    + "\"\\s*:\\s*\\{[^}]*\"connect_head\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
            .matcher(json);
    assertTrue(m.find(), browser + " in the capture");
    return m.group(1).replace("\\r", "\r").replace("\\n", "\n").replace("\\\"", "\"");
  }

  @ParameterizedTest
  @CsvSource({"chrome, chromium", "firefox, firefox"})
  void theConnectHeadIsTheBrowsersAndA407IsAnsweredOnce(String profile, String browser)
      throws Exception {
    try (TestServer server =
            TestServer.builder().loopbackAddresses(2).hostNames(HOST).build().start();
        ScriptedProxy proxy = new ScriptedProxy(new ScriptedProxy.RequireBasic("ann", "pa:ss"));
        HotConnectionPool pool =
            HotConnectionPool.create(
                PoolConfig.builder()
                    .engine("bouncycastle")
                    .profile(profile)
                    .trust(server.certificateAuthority().trustPolicy())
                    .proxies(List.of(Proxy.parse("http://ann:pa%3Ass@127.0.0.1:" + proxy.port())))
                    .build());
        GuiseClient client = new GuiseClient(pool)) {
      String url = "https://" + HOST + ":" + server.port() + "/";
      InetAddress first = server.addresses().get(0);
      InetAddress second = server.addresses().get(1);
      assertEquals(200, client.send(HttpRequest.get(url), first).status());
      assertEquals(200, client.send(HttpRequest.get(url), second).status());

      String target = "www.fp-oracle.test:443";
      String head = capturedHead(browser);
      String credentials =
          "Proxy-Authorization: Basic "
              + Base64.getEncoder().encodeToString("ann:pa:ss".getBytes(StandardCharsets.UTF_8))
              + "\r\n\r\n";
      String one = head.replace(target, first.getHostAddress() + ":" + server.port());
      String two = head.replace(target, second.getHostAddress() + ":" + server.port());
      List<String> heads = proxy.headTexts();
      assertEquals(3, heads.size(), heads.toString());
      // The browser's first try, byte for byte; the one answer to 407, with the credentials last;
      // the next tunnel sends them at once, as a browser's auth cache does.
      assertEquals(one, heads.get(0));
      assertEquals(one.substring(0, one.length() - 2) + credentials, heads.get(1));
      assertEquals(two.substring(0, two.length() - 2) + credentials, heads.get(2));
    }
  }

  @Test
  void the403ThroughAProxyBansItsExitForTheHostAndTheHostIsFetchedThroughTheOther()
      throws Exception {
    String other = "www.other.test";
    // The site blocks exit 127.0.0.2 (proxy A's) for HOST only.
    try (TestServer server =
            TestServer.builder()
                .loopbackAddresses(1)
                .hostNames(HOST, other)
                .handler(
                    r ->
                        r.clientAddress().getAddress().getHostAddress().equals("127.0.0.2")
                                && r.authority().startsWith(HOST)
                            ? TestResponse.text(403, "blocked")
                            : TestResponse.ok("ok"))
                .build()
                .start();
        SocksProxy a = SocksProxy.start(null, null, "127.0.0.2");
        SocksProxy b = SocksProxy.start(null, null, "127.0.0.3")) {
      Proxy viaA = Proxy.of(ProxyKind.SOCKS5, "127.0.0.1", a.port());
      Proxy viaB = Proxy.of(ProxyKind.SOCKS5, "127.0.0.1", b.port());
      try (HotConnectionPool pool =
              HotConnectionPool.create(
                  PoolConfig.builder()
                      .engine("jdk")
                      .trust(server.certificateAuthority().trustPolicy())
                      .proxies(
                          ProxyRouting.of(List.of(viaA, viaB))
                              .withChoice((target, usable) -> usable.get(0)))
                      .build());
          GuiseClient client = new GuiseClient(pool)) {
        InetAddress ip = server.addresses().get(0);
        HttpResponse r =
            client.send(HttpRequest.get("https://" + HOST + ":" + server.port() + "/"), ip);
        assertEquals(200, r.status(), "the retry went through B");

        PoolStats stats = pool.stats();
        assertEquals(1, stats.activeBans().size(), stats.activeBans().toString());
        PoolStats.ActiveBan ban = stats.activeBans().get(0);
        assertEquals(HOST + ":" + server.port(), ban.host());
        assertEquals(
            InetAddress.getByName("0.0.0.0"), ban.ip(), "the exit is banned, not the site's IP");
        assertTrue(ban.reason().contains(viaA.toString()), ban.reason());

        // The host keeps going through B; another host still goes through A.
        for (int i = 0; i < 3; i++) {
          assertEquals(
              200,
              client
                  .send(HttpRequest.get("https://" + HOST + ":" + server.port() + "/n" + i), ip)
                  .status());
        }
        try (ConnectionLease lease =
            pool.connectionToIp(URI.create("https://" + HOST + ":" + server.port() + "/"), ip)) {
          assertEquals(viaB, lease.proxy().orElseThrow());
        }
        try (ConnectionLease lease =
            pool.connectionToIp(URI.create("https://" + other + ":" + server.port() + "/"), ip)) {
          assertEquals(viaA, lease.proxy().orElseThrow(), "other hosts still use A");
          assertEquals(
              200,
              lease.send(HttpRequest.get("https://" + other + ":" + server.port() + "/")).status());
        }
        long blocked =
            server.connections().stream()
                .filter(c -> c.clientAddress().getAddress().getHostAddress().equals("127.0.0.2"))
                .count();
        assertEquals(2, blocked, "A reached the site once for each host");
      }
    }
  }
}
