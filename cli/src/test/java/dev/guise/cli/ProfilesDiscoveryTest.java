package dev.guise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code guise profiles} finds the three engines with ServiceLoader; run on the module path ({@code
 * provides}) and again on the class path ({@code META-INF/services}).
 */
class ProfilesDiscoveryTest {
  @Test
  void everyEngineIsFoundAndUsable() {
    String path = System.getProperty("guise.expected.path", "module");
    assertEquals(
        path.equals("module"),
        ProfilesDiscoveryTest.class.getModule().isNamed(),
        "running on the " + path + " path");
    Run r = Run.of("profiles");
    assertEquals(0, r.code(), r.toString());
    for (String engine : new String[] {"bouncycastle", "conscrypt", "jdk"}) {
      assertTrue(
          r.out().lines().anyMatch(l -> l.startsWith(engine + " ")), engine + " listed: " + r);
    }
    assertTrue(!r.out().contains("unavailable"), "every engine usable here: " + r);
  }
}
