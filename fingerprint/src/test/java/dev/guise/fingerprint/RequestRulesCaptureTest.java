package dev.guise.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.api.Header;
import dev.guise.fingerprint.AkamaiFingerprint.Priority;
import dev.guise.testing.ReferenceCaptures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every request of the session captures, rebuilt from the profile's rules for its kind with only
 * what the request itself brings (sec-fetch-site, sec-fetch-user, referer, origin, cookies,
 * content-type, content-length, taken from the capture) equals the browser's header list, name by
 * name, value by value, in order. The one value that differs is named: Chromium's user-agent, whose
 * {@code HeadlessChrome/} token the profile sends as {@code Chrome/}.
 */
class RequestRulesCaptureTest {
  /** What a request brings; everything else must come from the profile. */
  private static final Set<String> FROM_REQUEST =
      Set.of(
          "sec-fetch-site",
          "sec-fetch-user",
          "referer",
          "origin",
          "cookie",
          "content-type",
          "content-length");

  @ParameterizedTest
  @CsvSource({"chromium1, chrome-156", "firefox1, firefox-153"})
  @SuppressWarnings("unchecked")
  void everyCapturedRequestFollowsTheProfilesRules(String run, String profileName)
      throws Exception {
    BrowserProfile profile = BrowserProfiles.get(profileName);
    List<Object> requests =
        JSON.std.listFrom(ReferenceCaptures.text("sessions/" + run + "/requests.json"));
    assertEquals(9, requests.size());
    boolean previousWasRedirect = false;
    for (Object o : requests) {
      Map<String, Object> request = (Map<String, Object>) o;
      List<Header> captured = new ArrayList<>();
      HeaderOverrides.Builder fromRequest = HeaderOverrides.builder();
      for (Object pair : (List<Object>) request.get("headers")) {
        List<String> field = (List<String>) pair;
        if (field.get(0).startsWith(":")) {
          continue;
        }
        captured.add(new Header(field.get(0), field.get(1)));
        if (FROM_REQUEST.contains(field.get(0))) {
          fromRequest.set(field.get(0), field.get(1));
        }
      }
      RequestKind kind = kindOf(captured);
      String label = run + " " + request.get("method") + " " + request.get("path");
      List<Header> built = profile.requestHeaders(kind, previousWasRedirect, fromRequest.build());
      List<Header> expected = new ArrayList<>();
      for (Header h : captured) {
        expected.add(
            h.is("user-agent")
                ? new Header(h.name(), h.value().replace("HeadlessChrome/", "Chrome/"))
                : h);
      }
      assertEquals(expected, built, label);

      Map<String, Object> fp = (Map<String, Object>) request.get("frame_priority");
      Priority rule = profile.headersPriority(kind, previousWasRedirect);
      assertEquals(fp.get("exclusive"), rule.exclusive(), label + " exclusive");
      assertEquals(((Number) fp.get("weight")).intValue(), rule.weight(), label + " weight");
      previousWasRedirect = ((String) request.get("response_status")).startsWith("3");
    }
  }

  private static RequestKind kindOf(List<Header> headers) {
    String dest =
        headers.stream().filter(h -> h.is("sec-fetch-dest")).findFirst().orElseThrow().value();
    return dest.equals("empty") ? RequestKind.FETCH : RequestKind.of(dest);
  }

  /**
   * A kind a page script cannot add headers to (a script load): a new header goes before {@code
   * priority}. Fetch and XHR follow what {@code guise capture} showed ({@link
   * AuthorHeadersCaptureTest}).
   */
  @Test
  void aCallerHeaderReplacesInPlaceFillsItsSlotOrGoesBeforePriority() {
    BrowserProfile chrome = BrowserProfiles.get("chrome");
    List<Header> h =
        chrome.requestHeaders(
            RequestKind.SCRIPT,
            false,
            HeaderOverrides.builder()
                .set("X-Token", "t")
                .set("Accept", "application/json")
                .set("referer", "https://a.test/")
                .build());
    List<String> names = h.stream().map(Header::name).toList();
    assertEquals("application/json", h.get(names.indexOf("accept")).value());
    assertEquals(4, names.indexOf("accept"), "accept stays where Chrome sends it");
    assertEquals(names.indexOf("sec-fetch-dest") + 1, names.indexOf("referer"));
    assertEquals(names.size() - 2, names.indexOf("x-token"), "before priority");

    BrowserProfile firefox = BrowserProfiles.get("firefox");
    List<String> ff =
        firefox
            .requestHeaders(
                RequestKind.IMAGE, false, HeaderOverrides.builder().set("x-token", "t").build())
            .stream()
            .map(Header::name)
            .toList();
    assertEquals(List.of("x-token", "priority", "te"), ff.subList(ff.size() - 3, ff.size()));
  }

  @Test
  void theHpackHabitsAreTheCapturedOnes() {
    HeaderCompression chrome = BrowserProfiles.get("chrome").headerCompression();
    assertEquals(Set.of(":path"), chrome.withoutIndexing());
    assertTrue(chrome.neverIndexed().isEmpty());
    HeaderCompression firefox = BrowserProfiles.get("firefox").headerCompression();
    // cookie from the session captures; authorization from guise capture's script headers.
    assertEquals(Set.of("authorization", "cookie"), firefox.neverIndexed());
    assertEquals(HeaderCompression.Huffman.WHEN_NOT_LONGER, firefox.huffman());
  }

  @Test
  void anUnknownKindNameIsAClearError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RequestKind.of("websocket"));
    assertTrue(e.getMessage().contains("known: document, style"), e.getMessage());
  }

  @Test
  void fontAndXhrRulesCameWithTheGuiseCaptureCaptures() {
    for (String name : List.of("chrome", "firefox")) {
      BrowserProfile p = BrowserProfiles.get(name);
      assertTrue(p.supports(RequestKind.FONT) && p.supports(RequestKind.XHR), name);
      List<String> font =
          p.requestHeaders(RequestKind.FONT, false, HeaderOverrides.none()).stream()
              .map(h -> h.name() + ": " + h.value())
              .toList();
      assertTrue(font.contains("sec-fetch-dest: font"), name + " " + font);
      assertTrue(font.contains("sec-fetch-mode: cors"), name + " " + font);
    }
  }

  /**
   * {@code "origin": "always"} is what the captures show: the kind's same-origin GET carried {@code
   * origin} in {@code guise capture}'s recording (Chromium's font) or did not (Firefox's font, both
   * browsers' XHR).
   */
  @ParameterizedTest
  @CsvSource({"chrome-156, font", "chrome-156, xhr", "firefox-153, font", "firefox-153, xhr"})
  @SuppressWarnings("unchecked")
  void originAlwaysIsWhatTheCaptureSent(String profileName, String kindKey) throws Exception {
    Map<String, Object> file =
        JSON.std.mapFrom(ReferenceCaptures.text("guise-capture/" + profileName + "-captured.json"));
    Map<String, Object> kinds =
        (Map<String, Object>) ((Map<String, Object>) file.get("requests")).get("kinds");
    List<List<String>> wire =
        (List<List<String>>) ((Map<String, Object>) kinds.get(kindKey)).get("wire_order");
    boolean sent = wire.stream().allMatch(names -> names.contains("origin"));
    RequestKind kind = RequestKind.of(kindKey);
    assertEquals(sent, BrowserProfiles.get(profileName).sendsOriginAlways(kind));
    assertEquals(profileName.equals("chrome-156") && kind == RequestKind.FONT, sent);
  }

  @Test
  void anOriginRuleOtherThanAlwaysIsRefused() {
    Map<String, Object> json =
        RulesJson.withKinds(
            "",
            Map.of(
                "font",
                Map.of(
                    "origin", "sometimes",
                    "frame_priority", Map.of("exclusive", true, "weight", 256),
                    "headers", List.of("accept: */*"))));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RequestRules.fromJson("test.json", json, List.of()));
    assertTrue(e.getMessage().contains("sometimes"), e.getMessage());
  }
}
