package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.guise.api.Fidelity;
import dev.guise.fingerprint.BrowserProfile;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.TestServer;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The product's promise end to end: a request sent through the pool with the BouncyCastle engine
 * reaches the server with the browser's JA4 and Akamai fingerprints, as the reference captures
 * recorded them.
 */
class FingerprintThroughThePoolTest {
  private static final String HOST = "www.fp.test";

  @ParameterizedTest
  @ValueSource(strings = {"chrome", "firefox-153"})
  void theServerSeesTheBrowsersFingerprints(String asConfigured) throws Exception {
    BrowserProfile profile = BrowserProfiles.get(asConfigured);
    String profileName = profile.name();
    try (TestServer server =
            TestServer.builder().loopbackAddresses(2).hostNames(HOST).build().start();
        HotConnectionPool pool =
            HotConnectionPool.create(
                PoolConfig.builder()
                    .engine("bouncycastle")
                    .profile(asConfigured)
                    .trust(server.certificateAuthority().trustPolicy())
                    .build());
        GuiseClient client = new GuiseClient(pool)) {
      HttpResponse r =
          client.send(
              HttpRequest.get("https://" + HOST + ":" + server.port() + "/"),
              server.addresses().get(1));
      assertEquals(200, r.status());
      assertEquals(profileName, r.profile(), "the canonical name, also for an alias");
      ConnectionRecord seen = server.connections(server.addresses().get(1)).get(0);
      assertEquals(profile.expectedJa4(), seen.ja4().orElseThrow().ja4());
      assertEquals(profile.expectedAkamai(), seen.akamaiFingerprint().orElseThrow().value());
      try (ConnectionLease lease =
          pool.connectionToIp(
              URI.create("https://" + HOST + ":" + server.port() + "/"),
              server.addresses().get(1))) {
        assertEquals(Fidelity.EXACT, lease.tls().fidelity());
        assertEquals(true, lease.reused(), "the connection the request used, now idle, is reused");
      }
    }
  }
}
