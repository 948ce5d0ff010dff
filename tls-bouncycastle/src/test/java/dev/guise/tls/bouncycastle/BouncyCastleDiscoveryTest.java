package dev.guise.tls.bouncycastle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.Fidelity;
import dev.guise.api.spi.Providers;
import dev.guise.api.spi.TlsEngine;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Found by ServiceLoader on the module path (module-info) and class path (META-INF/services). */
class BouncyCastleDiscoveryTest {
  @Test
  void foundByNameOnThisPath() {
    TlsEngine engine = Providers.tlsEngine("bouncycastle");
    assertEquals(BouncyCastleEngine.class, engine.getClass());
    String path = System.getProperty("guise.expected.path");
    if ("module".equals(path)) {
      assertTrue(engine.getClass().getModule().isNamed());
      assertEquals("dev.guise.tls.bouncycastle", engine.getClass().getModule().getName());
    } else {
      assertEquals("class", path, "surefire must say which path it runs on");
      assertTrue(!engine.getClass().getModule().isNamed());
    }
    assertEquals(Optional.empty(), engine.unavailableReason());
    assertEquals(Fidelity.EXACT, engine.offer("chrome").orElseThrow().fidelity());
    assertEquals(
        Optional.of("t13d1517h2_8daaf6152771_cb7bf5808d99"),
        engine.offer("chrome").orElseThrow().ja4());
    assertEquals("firefox-153", engine.offer("firefox").orElseThrow().profile());
  }
}
