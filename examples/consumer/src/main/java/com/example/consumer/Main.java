package com.example.consumer;

import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.TestServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * Starts the testkit's HTTPS server on a loopback address, sends one request to it through a Guise
 * pool with the BouncyCastle engine and the Chrome profile, and checks that the server saw Chrome's
 * JA4. Prints one line and exits 0 when all is well, 1 otherwise.
 */
public final class Main {
  private static final String HOST = "www.consumer.test";

  private Main() {}

  public static void main(String[] args) throws Exception {
    InetAddress ip = InetAddress.getByName("127.0.0.1");
    boolean ok;
    try (TestServer server =
        TestServer.builder().addresses(List.of(ip)).hostNames(HOST).build().start()) {
      PoolConfig config =
          PoolConfig.builder()
              .engine("bouncycastle")
              .profile("chrome")
              .trust(server.certificateAuthority().trustPolicy())
              .timeouts(t -> t.withConnect(Duration.ofSeconds(20)))
              .build();
      HttpResponse response;
      try (HotConnectionPool pool = HotConnectionPool.create(config);
          GuiseClient client = new GuiseClient(pool)) {
        pool.addIps(HOST, server.port(), List.of(ip));
        response = client.send(HttpRequest.get("https://" + HOST + ":" + server.port() + "/"), ip);
      }
      ConnectionRecord connection = server.connections().get(0);
      String seen = connection.ja4().orElseThrow().ja4();
      String chrome = BrowserProfiles.get(response.profile()).expectedJa4();
      String path = Main.class.getModule().isNamed() ? "module path" : "class path";
      System.out.println(
          "consumer: "
              + path
              + ", status "
              + response.status()
              + " over "
              + response.protocol()
              + ", profile "
              + response.profile()
              + ", JA4 seen "
              + seen
              + (seen.equals(chrome) ? " (Chrome's)" : " (Chrome's is " + chrome + ")"));
      ok = response.status() == 200 && seen.equals(chrome);
    }
    System.exit(ok ? 0 : 1);
  }
}
