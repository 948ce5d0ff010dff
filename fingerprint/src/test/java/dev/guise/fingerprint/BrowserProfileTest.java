package dev.guise.fingerprint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.Header;
import dev.guise.fingerprint.Captures.Capture;
import dev.guise.testing.ReferenceCaptures;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BrowserProfileTest {
  private static final BrowserProfile CHROME = BrowserProfiles.get("chrome-156");
  private static final BrowserProfile FIREFOX = BrowserProfiles.get("firefox-153");

  private static Capture capture(String name) {
    return Captures.all().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void lookupByNameAndAlias() {
    assertSame(CHROME, BrowserProfiles.get("chrome"));
    assertSame(CHROME, BrowserProfiles.get("Chrome-156"));
    assertSame(FIREFOX, BrowserProfiles.get("firefox"));
    assertEquals(List.of(CHROME, FIREFOX), BrowserProfiles.all());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BrowserProfiles.get("safari"));
    assertTrue(
        e.getMessage().contains("chrome-156") && e.getMessage().contains("firefox-153"),
        e.getMessage());
  }

  @Test
  void bundledCapturesAreTheSharedOnes() throws Exception {
    for (String name : List.of("chromium1-conn03", "firefox1-conn06")) {
      for (String ext : List.of(".bin", ".json")) {
        try (InputStream in =
            BrowserProfile.class.getResourceAsStream(
                "/dev/guise/fingerprint/profiles/" + name + ext)) {
          assertArrayEquals(
              ReferenceCaptures.bytes("browsers/" + name + ext), in.readAllBytes(), name + ext);
        }
      }
    }
    assertArrayEquals(capture("chromium1-conn03").bin(), CHROME.referenceHello().toRecordBytes());
    assertArrayEquals(capture("firefox1-conn06").bin(), FIREFOX.referenceHello().toRecordBytes());
  }

  @Test
  void expectedFingerprintsAreTheReadmeFigures() {
    // The README's table, which was cross-checked with tshark and the FoxIO implementation.
    assertEquals("t13d1517h2_8daaf6152771_cb7bf5808d99", CHROME.expectedJa4());
    assertEquals(Optional.empty(), CHROME.expectedJa3());
    assertEquals("bd4930bd9b000ee684830e44bab76fdf", CHROME.expectedJa3n());
    assertEquals("1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p", CHROME.expectedAkamai());
    assertEquals("t13d1617h2_86a278354501_3cbfd9057e0d", FIREFOX.expectedJa4());
    assertEquals(Optional.of("6447ab086255d194909d4013b1a89e87"), FIREFOX.expectedJa3());
    assertEquals("1:65536;2:0;4:131072;5:16384|12517377|0|m,p,a,s", FIREFOX.expectedAkamai());
    assertEquals(List.of("h2", "http/1.1"), CHROME.alpn());
    assertEquals(List.of("h2", "http/1.1"), FIREFOX.alpn());
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyCaptureOfTheBrowserHasTheProfilesFingerprints() throws Exception {
    for (Capture c : Captures.all()) {
      BrowserProfile p =
          switch (c.client()) {
            case "chromium" -> CHROME;
            case "firefox" -> FIREFOX;
            default -> null;
          };
      if (p == null) {
        continue;
      }
      Map<String, Object> fp = c.map("fingerprints");
      assertEquals(fp.get("ja4"), p.expectedJa4(), c.name());
      assertEquals(fp.get("ja3n_hash"), p.expectedJa3n(), c.name());
      p.expectedJa3().ifPresent(ja3 -> assertEquals(fp.get("ja3_hash"), ja3, c.name()));
      Map<String, Object> h2 = c.map("http2");
      if (h2 != null && h2.get("akamai_fingerprint") != null) {
        assertEquals(h2.get("akamai_fingerprint"), p.expectedAkamai(), c.name());
      }
    }
  }

  @Test
  void http2BehaviourIsTheCaptures() {
    Http2Behaviour chrome = CHROME.http2();
    assertEquals(1, chrome.firstStreamId());
    assertEquals(15663105, chrome.connectionWindowUpdate().getAsLong());
    assertTrue(chrome.streamWindowUpdate().isEmpty());
    assertFalse(chrome.sendsPriorityFrames());
    assertEquals(
        Optional.of(new AkamaiFingerprint.Priority(true, 0, 256)), chrome.headersPriority());
    assertEquals(List.of(":method", ":authority", ":scheme", ":path"), chrome.pseudoHeaderOrder());
    assertEquals(
        List.of(
            new AkamaiFingerprint.Http2Setting(1, 65536),
            new AkamaiFingerprint.Http2Setting(2, 0),
            new AkamaiFingerprint.Http2Setting(4, 6291456),
            new AkamaiFingerprint.Http2Setting(6, 262144)),
        chrome.settings());

    Http2Behaviour firefox = FIREFOX.http2();
    assertEquals(3, firefox.firstStreamId());
    assertEquals(12517377, firefox.connectionWindowUpdate().getAsLong());
    assertEquals(12451840, firefox.streamWindowUpdate().getAsLong());
    assertFalse(firefox.sendsPriorityFrames());
    assertEquals(
        Optional.of(new AkamaiFingerprint.Priority(false, 0, 42)), firefox.headersPriority());
    assertEquals(List.of(":method", ":path", ":authority", ":scheme"), firefox.pseudoHeaderOrder());
  }

  @Test
  @SuppressWarnings("unchecked")
  void http2BehaviourIsTheSameInEveryCaptureWithHttp2() {
    for (Capture c : Captures.all()) {
      if (c.map("http2") == null
          || c.map("http2").get("akamai_fingerprint") == null
          || c.client().equals("curl")) {
        continue;
      }
      Map<String, Object> d = c.map("http2", "detail");
      if (d == null) {
        continue;
      }
      Http2Behaviour b = (c.client().equals("chromium") ? CHROME : FIREFOX).http2();
      assertEquals(
          ((Number) d.get("first_headers_stream_id")).intValue(), b.firstStreamId(), c.name());
      assertEquals(
          ((Number) d.get("connection_window_update_before_first_headers")).longValue(),
          b.connectionWindowUpdate().getAsLong(),
          c.name());
      assertEquals(d.get("first_headers_pseudo_order"), b.pseudoHeaderOrder(), c.name());
      Map<String, Object> prio = (Map<String, Object>) d.get("first_headers_priority");
      AkamaiFingerprint.Priority expected = b.headersPriority().orElseThrow();
      assertEquals(prio.get("exclusive"), expected.exclusive(), c.name());
      assertEquals(((Number) prio.get("weight")).intValue(), expected.weight(), c.name());
      assertEquals(((Number) prio.get("depends_on")).intValue(), expected.dependsOn(), c.name());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void defaultHeadersAreTheCapturedNavigationWithTheDesktopUserAgent() {
    List<List<String>> captured =
        (List<List<String>>)
            (List<?>) capture("chromium1-conn03").map("http2", "detail").get("first_headers");
    List<Header> expected = new ArrayList<>();
    for (List<String> pair : captured) {
      if (!pair.get(0).startsWith(":")) {
        expected.add(
            new Header(
                pair.get(0),
                pair.get(0).equals("user-agent")
                    ? "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                        + "Chrome/156.0.0.0 Safari/537.36"
                    : pair.get(1)));
      }
    }
    assertEquals(expected, CHROME.defaultHeaders());
    String secChUa =
        CHROME.defaultHeaders().stream()
            .filter(h -> h.is("sec-ch-ua"))
            .findFirst()
            .orElseThrow()
            .value();
    assertTrue(secChUa.contains("v=\"156\"") && !secChUa.contains("Headless"), secChUa);

    List<List<String>> ff =
        (List<List<String>>)
            (List<?>) capture("firefox1-conn06").map("http2", "detail").get("first_headers");
    List<Header> ffExpected = new ArrayList<>();
    for (List<String> pair : ff) {
      if (!pair.get(0).startsWith(":")) {
        ffExpected.add(new Header(pair.get(0), pair.get(1)));
      }
    }
    assertEquals(ffExpected, FIREFOX.defaultHeaders());
    assertEquals(
        new Header(
            "user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0"),
        FIREFOX.defaultHeaders().get(0));
    assertEquals(
        new Header("te", "trailers"),
        FIREFOX.defaultHeaders().get(FIREFOX.defaultHeaders().size() - 1));
  }

  // ---- randomisation, checked against the captures

  @Test
  void chromiumCapturesShareTheExtensionSetButNotTheOrder() throws Exception {
    List<ClientHello> hellos = new ArrayList<>();
    for (Capture c : Captures.of("chromium")) {
      hellos.add(ClientHello.parse(c.bin()));
    }
    assertEquals(6, hellos.size());
    Set<List<Integer>> orders = new HashSet<>();
    Set<Integer> payloadLengths = new HashSet<>();
    for (ClientHello h : hellos) {
      List<Integer> types = h.extensionTypes();
      assertTrue(
          ClientHello.isGrease(types.get(0)) && ClientHello.isGrease(types.get(types.size() - 1)));
      assertNotEquals(types.get(0), types.get(types.size() - 1));
      assertEquals(
          sortedWithoutGrease(CHROME.referenceHello().extensionTypes()),
          sortedWithoutGrease(types));
      orders.add(types);
      payloadLengths.add(h.echPayloadLength().getAsInt());
      assertEquals(
          List.of(), CHROME.differencesFrom(h), "chromium capture should match the profile");
      assertFalse(FIREFOX.differencesFrom(h).isEmpty());
    }
    assertEquals(
        hellos.size(), orders.size(), "every Chromium connection has its own extension order");
    assertTrue(CHROME.tlsRandomisation().permutesExtensions());
    assertTrue(CHROME.tlsRandomisation().echPayloadLengths().containsAll(payloadLengths));
    assertTrue(payloadLengths.size() > 1, "ECH GREASE payload length varies: " + payloadLengths);
  }

  @Test
  void firefoxCapturesDifferOnlyInRandomValues() throws Exception {
    List<ClientHello> hellos = new ArrayList<>();
    for (Capture c : Captures.of("firefox")) {
      hellos.add(ClientHello.parse(c.bin()));
    }
    assertEquals(2, hellos.size());
    for (ClientHello h : hellos) {
      assertEquals(FIREFOX.referenceHello().extensionTypes(), h.extensionTypes());
      assertTrue(h.extensionTypes().stream().noneMatch(ClientHello::isGrease));
      assertEquals(List.of(), FIREFOX.differencesFrom(h));
      assertFalse(CHROME.differencesFrom(h).isEmpty());
    }
    assertFalse(FIREFOX.tlsRandomisation().permutesExtensions());
    assertFalse(FIREFOX.tlsRandomisation().grease());
    assertNotEquals(
        hellos.get(0).ech().orElseThrow().configId(), hellos.get(1).ech().orElseThrow().configId());
  }

  @Test
  void differencesCatchWhatTheBrowserNeverDoes() throws Exception {
    ClientHello ref = FIREFOX.referenceHello();
    List<TlsExtension> swapped = new ArrayList<>(ref.extensions());
    TlsExtension first = swapped.get(1);
    swapped.set(1, swapped.get(2));
    swapped.set(2, first);
    assertFalse(FIREFOX.differencesFrom(ref.withExtensions(swapped)).isEmpty());

    ClientHello chrome = CHROME.referenceHello();
    List<TlsExtension> otherGreaseData = new ArrayList<>(chrome.extensions());
    otherGreaseData.set(otherGreaseData.size() - 1, new TlsExtension(0x3a3a, new byte[] {1, 2}));
    assertFalse(CHROME.differencesFrom(chrome.withExtensions(otherGreaseData)).isEmpty());
    List<TlsExtension> freshGrease = new ArrayList<>(chrome.extensions());
    freshGrease.set(freshGrease.size() - 1, new TlsExtension(0x3a3a, new byte[] {0}));
    assertEquals(List.of(), CHROME.differencesFrom(chrome.withExtensions(freshGrease)));
    List<TlsExtension> greaseMoved = new ArrayList<>(chrome.extensions());
    TlsExtension g = greaseMoved.remove(0);
    greaseMoved.add(3, g);
    assertFalse(CHROME.differencesFrom(chrome.withExtensions(greaseMoved)).isEmpty());
  }

  private static List<Integer> sortedWithoutGrease(List<Integer> types) {
    return types.stream().filter(t -> !ClientHello.isGrease(t)).sorted().toList();
  }

  // ---- header merge rules

  private static List<String> names(List<Header> headers) {
    return headers.stream().map(Header::name).toList();
  }

  @Test
  void callerValueReplacesTheDefaultInPlace() {
    List<Header> merged =
        CHROME.mergeHeaders(List.of(new Header("Accept-Language", "de-DE,de;q=0.9")));
    assertEquals(names(CHROME.defaultHeaders()), names(merged));
    assertEquals(
        new Header("accept-language", "de-DE,de;q=0.9"),
        merged.get(names(merged).indexOf("accept-language")));
    assertEquals(CHROME.defaultHeaders(), CHROME.mergeHeaders(List.of()));
  }

  @Test
  void knownHeadersGoWhereTheBrowserPutsThem() {
    List<Header> merged =
        CHROME.mergeHeaders(
            List.of(
                new Header("Cookie", "a=b"),
                new Header("Referer", "https://x.test/"),
                new Header("X-Custom", "1"),
                new Header("content-type", "application/x-www-form-urlencoded")));
    assertEquals(
        List.of(
            "sec-ch-ua",
            "sec-ch-ua-mobile",
            "sec-ch-ua-platform",
            "content-type",
            "upgrade-insecure-requests",
            "user-agent",
            "accept",
            "sec-fetch-site",
            "sec-fetch-mode",
            "sec-fetch-user",
            "sec-fetch-dest",
            "referer",
            "accept-encoding",
            "accept-language",
            "cookie",
            "priority",
            "x-custom"),
        names(merged));

    List<Header> ff =
        FIREFOX.mergeHeaders(
            List.of(
                new Header("x-custom", "1"),
                new Header("cookie", "a=b"),
                new Header("referer", "https://x.test/")));
    assertEquals(
        List.of(
            "user-agent",
            "accept",
            "accept-language",
            "accept-encoding",
            "referer",
            "cookie",
            "upgrade-insecure-requests",
            "sec-fetch-dest",
            "sec-fetch-mode",
            "sec-fetch-site",
            "sec-fetch-user",
            "priority",
            "x-custom",
            "te"),
        names(ff));
  }

  @Test
  void removalAndRepeatedValues() {
    HeaderOverrides overrides;
    assertThrows(
        IllegalArgumentException.class,
        () -> HeaderOverrides.builder().set("te", "x").remove("TE").build());
    overrides =
        HeaderOverrides.builder()
            .remove("Priority")
            .set("cookie", "a=1")
            .set("cookie", "b=2")
            .build();
    List<Header> ff = FIREFOX.mergeHeaders(overrides);
    assertFalse(names(ff).contains("priority"));
    int cookie = names(ff).indexOf("cookie");
    assertEquals(new Header("cookie", "b=2"), ff.get(cookie + 1));
    assertEquals("te", ff.get(ff.size() - 1).name());
    assertThrows(IllegalArgumentException.class, () -> HeaderOverrides.builder().set(":path", "/"));
    List<Header> noTe = FIREFOX.mergeHeaders(HeaderOverrides.builder().remove("te").build());
    assertFalse(names(noTe).contains("te"));
  }
}
