package dev.guise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code guise --version}, in this JVM (the distribution's launch is {@link DistributionIT}). */
class VersionOptionTest {
  @Test
  void printsTheBuildsVersionAndEveryEngineFound() {
    Run r = Run.of("--version");
    assertEquals(0, r.code(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertEquals("guise " + System.getProperty("guise.version"), lines.get(0), r.toString());
    assertTrue(lines.get(1).startsWith("java " + Runtime.version()), r.toString());
    assertEquals("engines found:", lines.get(2), r.toString());
    for (String engine : List.of("bouncycastle", "conscrypt", "jdk")) {
      assertTrue(
          lines.stream().anyMatch(l -> l.startsWith("  " + engine + " ")),
          engine + " listed: " + r);
    }
    assertEquals("", r.err());
  }

  @Test
  void takesNoArguments() {
    Run r = Run.of("--version", "demo");
    assertEquals(2, r.code(), r.toString());
    assertEquals("error: 'guise --version' takes no arguments\n", r.err());
  }
}
