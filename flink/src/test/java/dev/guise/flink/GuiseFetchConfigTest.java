package dev.guise.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.spi.UnknownProviderException;
import dev.guise.pool.config.PoolConfig;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuiseFetchConfigTest {
  @Test
  void buildsThePoolConfigInTheTask() throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create("guise-flink test CA");
    GuiseFetchConfig config =
        GuiseFetchConfig.defaults()
            .withEngine("jdk")
            .withProfile("firefox")
            .withValidator("h2-ping")
            .withRetry("never")
            .withTrustAnchorsPem(List.of(pem(ca.certificate().getEncoded())))
            .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(7), Duration.ofSeconds(30))
            .withMaxConnectionsPerIp(2);

    PoolConfig pool = config.toPoolConfig();

    assertEquals("jdk", pool.engine());
    assertEquals(Map.of("firefox", 1), pool.profiles());
    assertTrue(pool.validator().isPresent());
    assertEquals(Duration.ofSeconds(3), pool.timeouts().connect());
    assertEquals(Duration.ofSeconds(7), pool.timeouts().request());
    assertEquals(2, pool.limits().maxConnectionsPerIp());
    assertEquals(List.of(ca.certificate()), pool.trust().extraAnchors());
  }

  @Test
  void travelsWithTheJobAsJavaSerialisation() throws Exception {
    GuiseFetchConfig config =
        GuiseFetchConfig.defaults()
            .withWarmUp(Map.of("a.test", List.of("127.0.1.1", "127.0.1.2")))
            .withMaxRequestsPerSecondPerHost(5);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new GuiseFetchFunction(config));
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(config, ((GuiseFetchFunction) in.readObject()).config());
    }
  }

  @Test
  void badValuesAreRefusedWithTheirName() {
    GuiseFetchConfig d = GuiseFetchConfig.defaults();
    var e = assertThrows(IllegalArgumentException.class, () -> d.withCapacity(0));
    assertTrue(e.getMessage().contains("capacity"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> d.withMaxRequestsPerSecondPerHost(-1));
    assertTrue(e.getMessage().contains("maxRequestsPerSecondPerHost"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> d.withTimeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    assertTrue(e.getMessage().contains("connectTimeout"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> d.withTrustAnchorsPem(List.of("not pem")).toPoolConfig());
    assertTrue(e.getMessage().contains("trustAnchorsPem"), e.getMessage());
    assertThrows(
        UnknownProviderException.class, () -> d.withValidator("no-such-thing").toPoolConfig());
  }

  private static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }
}
