package dev.guise.tls.conscrypt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.Fidelity;
import dev.guise.api.spi.Providers;
import dev.guise.api.spi.TlsEngine;
import java.util.Optional;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.Test;

/**
 * The engine is found by name. Surefire runs this class on the module path (found through {@code
 * provides} in module-info) and again on the class path (META-INF/services); each run checks it is
 * on the path it claims, and that Conscrypt's native library loads there.
 */
class ConscryptDiscoveryTest {
  private static final boolean MODULE_PATH =
      "module".equals(System.getProperty("guise.expected.path"));

  @Test
  void findsTheConscryptEngineByName() {
    TlsEngine engine = Providers.tlsEngine("conscrypt");
    assertInstanceOf(ConscryptEngine.class, engine);
    assertEquals(
        MODULE_PATH,
        engine.getClass().getModule().isNamed(),
        "engine module: " + engine.getClass().getModule());
    if (MODULE_PATH) {
      assertEquals("dev.guise.tls.conscrypt", engine.getClass().getModule().getName());
      assertEquals(
          "org.conscrypt",
          Conscrypt.class.getModule().getName(),
          "Conscrypt is the automatic module org.conscrypt");
    }
  }

  @Test
  void conscryptLoadsHere() {
    assertEquals(
        Optional.empty(),
        new ConscryptEngine().unavailableReason(),
        "Conscrypt must load on Linux x86_64");
  }

  @Test
  void offersItsOwnHelloAndAnApproximateChrome() {
    TlsEngine engine = Providers.tlsEngine("conscrypt");
    assertEquals(Fidelity.NONE, engine.offer("conscrypt-default").orElseThrow().fidelity());
    assertEquals(Fidelity.APPROXIMATE, engine.offer("chrome").orElseThrow().fidelity());
    assertEquals("chrome-156", engine.offer("chrome").orElseThrow().profile());
    assertTrue(engine.offer("firefox-153").isEmpty(), "Conscrypt cannot approach Firefox honestly");
    assertTrue(engine.offers().stream().allMatch(o -> o.ja4().isPresent()));
  }
}
