package dev.guise.tls.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.Fidelity;
import dev.guise.api.spi.Providers;
import dev.guise.api.spi.TlsEngine;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Found by ServiceLoader on the module path (module-info) and class path (META-INF/services). */
class JdkDiscoveryTest {
  @Test
  void foundByNameOnThisPath() {
    TlsEngine engine = Providers.tlsEngine("jdk");
    assertEquals(JdkEngine.class, engine.getClass());
    String path = System.getProperty("guise.expected.path");
    if ("module".equals(path)) {
      assertEquals("dev.guise.tls.jdk", engine.getClass().getModule().getName());
    } else {
      assertEquals("class", path, "surefire must say which path it runs on");
      assertTrue(!engine.getClass().getModule().isNamed());
    }
    assertEquals(Optional.empty(), engine.unavailableReason());
    assertEquals(Fidelity.NONE, engine.offer("jdk-default").orElseThrow().fidelity());
    assertTrue(engine.offer("chrome").isEmpty(), "the JDK engine must not claim a browser profile");
  }
}
