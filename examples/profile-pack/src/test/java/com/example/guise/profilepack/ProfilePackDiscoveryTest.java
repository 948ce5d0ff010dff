package com.example.guise.profilepack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.fingerprint.BrowserProfile;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.fingerprint.RequestKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pack is found with ServiceLoader: on the module path through {@code provides} (the default
 * surefire execution) and on the class path through {@code META-INF/services} (the root pom's
 * class-path-discovery execution runs this class again there).
 */
class ProfilePackDiscoveryTest {
  @Test
  void thePackProfileSitsBesideTheBundledOnes() {
    assertEquals(
        System.getProperty("guise.expected.path"),
        ExamplePack.class.getModule().isNamed() ? "module" : "class",
        "the test runs on the path surefire was asked for");
    BrowserProfile p = BrowserProfiles.get("example-chromium-156");
    assertEquals("example-pack", BrowserProfiles.sourceOf(p));
    assertEquals(BrowserProfiles.BUNDLED, BrowserProfiles.sourceOf(BrowserProfiles.get("chrome")));
    assertTrue(BrowserProfiles.all().contains(p));
    assertTrue(p.supports(RequestKind.FONT), "the captured rules came with it");
    assertEquals(p.expectedJa4(), BrowserProfiles.get("chrome").expectedJa4());
    assertEquals(List.of(), BrowserProfiles.problems());
  }
}
