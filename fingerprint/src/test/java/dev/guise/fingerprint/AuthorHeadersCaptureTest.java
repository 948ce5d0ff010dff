package dev.guise.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.api.Header;
import dev.guise.testing.ReferenceCaptures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where a header the browser never sends itself goes, against what the browsers did: the {@code
 * fetch()} and {@code XMLHttpRequest} requests of {@code guise capture}'s page (testing-support
 * {@code reference/guise-capture/<profile>-captured-requests.json}), rebuilt from the bundled
 * profile's rules with what the request brings (the session's sec-fetch-site, referer, origin,
 * cookie; the body's content-length) and the headers the page's script set, in the order and case
 * it set them. One row per captured request.
 *
 * <p>Both are reproduced exactly: names, order, lower-cased names, values. Chromium 156 mixes a
 * script's headers in among its own sec-ch-ua headers, user-agent and content-type in the order of
 * its renderer's header map ({@link ChromiumHeaderMap}), which the rows and {@link
 * #chromiumsRecordedOrdersAreTheMapsOrder} check against what Chromium sent.
 */
class AuthorHeadersCaptureTest {
  /**
   * What the capture page's script set (testkit {@code CaptureSite.AUTHOR_HEADERS}, the POST with
   * {@code Content-Type} third), in its order and case: the caller's input, not a fingerprint.
   */
  private static final List<Header> SCRIPT =
      List.of(
          new Header("X-Zeta-Trace", "z1"),
          new Header("authorization", "Bearer guise-capture"),
          new Header("X-Alpha", "a1"),
          new Header("x-csrf-token", "c1"),
          new Header("X-Requested-With", "XMLHttpRequest"));

  /** What the session brings, in the order a session hands them over (Session.send). */
  private static final List<String> SESSION =
      List.of("sec-fetch-site", "referer", "origin", "cookie");

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "chrome-156, fetch, GET /c/data",
    "chrome-156, fetch, POST /c/post",
    "chrome-156, xhr, GET /c/xhr",
    "chrome-156, fetch, GET /c/data-h",
    "chrome-156, fetch, POST /c/post-h",
    "chrome-156, xhr, GET /c/xhr-h",
    "firefox-153, fetch, GET /c/data",
    "firefox-153, fetch, POST /c/post",
    "firefox-153, xhr, GET /c/xhr",
    "firefox-153, fetch, GET /c/data-h",
    "firefox-153, fetch, POST /c/post-h",
    "firefox-153, xhr, GET /c/xhr-h"
  })
  void theScriptsHeadersGoWhereTheBrowserPutThem(String profile, String kind, String request)
      throws Exception {
    List<Header> captured = captured(profile, request);
    List<Header> built =
        BrowserProfiles.get(profile)
            .requestHeaders(RequestKind.of(kind), false, callerOf(request, captured));
    assertEquals(captured, built, profile + " " + request);
  }

  /**
   * Chromium 156's order for 260 random sets of script header names (testing-support {@code
   * guise-capture/chrome-156-script-header-orders.json}: fetch GET and POST, XMLHttpRequest GET, 0
   * to 12 names each), rebuilt from the bundled rules: the script's headers and Chromium's own that
   * share its header map, in the order Chromium sent them.
   */
  @Test
  @SuppressWarnings("unchecked")
  void chromiumsRecordedOrdersAreTheMapsOrder() throws Exception {
    Map<String, Object> file =
        JSON.std.mapFrom(
            ReferenceCaptures.text("guise-capture/chrome-156-script-header-orders.json"));
    List<Object> requests = (List<Object>) file.get("requests");
    assertEquals(260, requests.size());
    Set<String> own = Set.of("sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform", "user-agent");
    BrowserProfile chrome = BrowserProfiles.get("chrome-156");
    for (Object o : requests) {
      Map<String, Object> r = (Map<String, Object>) o;
      List<String> set = (List<String>) r.get("set");
      HeaderOverrides.Builder caller = HeaderOverrides.builder();
      set.forEach(n -> caller.set(n, "v"));
      RequestKind kind =
          r.get("kind").toString().startsWith("xhr") ? RequestKind.XHR : RequestKind.FETCH;
      Set<String> map = new HashSet<>(own);
      set.forEach(n -> map.add(n.toLowerCase(Locale.ROOT)));
      List<String> sent =
          ((List<String>) r.get("wire"))
              .stream().map(n -> n.toLowerCase(Locale.ROOT)).filter(map::contains).toList();
      List<String> built =
          chrome.requestHeaders(kind, false, caller.build()).stream()
              .map(Header::name)
              .filter(map::contains)
              .toList();
      assertEquals(sent, built, r.get("kind") + " " + set);
    }
  }

  @Test
  void aNewHeaderOnAChromiumFetchGoesInItsMapOrderBeforeAcceptNotBeforePriority() {
    List<String> names =
        BrowserProfiles.get("chrome")
            .requestHeaders(
                RequestKind.FETCH,
                false,
                HeaderOverrides.builder().set("X-Token", "t").set("referer", "https://a/").build())
            .stream()
            .map(Header::name)
            .toList();
    List<String> map =
        ChromiumHeaderMap.order(
            List.of(
                "x-token", "sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform", "user-agent"));
    assertEquals(map, names.subList(0, names.indexOf("accept")), names.toString());
  }

  @Test
  @SuppressWarnings("unchecked")
  void firefoxNeverIndexesAuthorizationAsItsCaptureShows() throws Exception {
    assertTrue(
        BrowserProfiles.get("firefox-153")
            .headerCompression()
            .neverIndexed()
            .contains("authorization"));
    for (Map<String, Object> r : requests("firefox-153")) {
      for (Object o : (List<Object>) r.get("fields")) {
        Map<String, Object> f = field(o);
        if (f.get("name").equals("authorization")) {
          assertTrue(((String) f.get("hpack")).startsWith("never"), f.toString());
        }
      }
    }
  }

  @Test
  void sortedOrderAndJoinedSlotsFollowTheRule() {
    Map<String, Object> json =
        rules(Map.of("after", "accept", "order", "sorted", "joins", List.of("content-type")));
    RequestRules rules = RequestRules.fromJson("test.json", json, List.of());
    List<Header> out =
        rules.headers(
            RequestKind.FETCH,
            false,
            HeaderOverrides.builder()
                .set("X-Zeta", "z")
                .set("content-type", "text/plain")
                .set("X-Alpha", "a")
                .set("referer", "https://a.test/")
                .build(),
            Set.of());
    assertEquals(
        List.of("accept", "content-type", "x-alpha", "x-zeta", "referer", "priority"),
        out.stream().map(Header::name).toList());
  }

  @Test
  void aBadAuthorHeadersMemberIsAClearError() {
    for (Map<String, Object> bad :
        List.of(
            Map.<String, Object>of("after", "nope", "order", "as-set"),
            Map.<String, Object>of("after", "accept", "order", "shuffled"),
            Map.<String, Object>of("order", "as-set"),
            Map.<String, Object>of("after", "accept", "order", "chromium-map"),
            Map.<String, Object>of("after", "accept", "order", "chromium-map", "map", List.of("x")),
            Map.<String, Object>of("after", "accept", "order", "as-set", "joins", List.of("x")))) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> RequestRules.fromJson("test.json", rules(bad), List.of()));
      assertTrue(e.getMessage().contains("author_headers"), e.getMessage());
    }
  }

  private static Map<String, Object> rules(Map<String, Object> authorHeaders) {
    return RulesJson.withKinds(
        "priority",
        Map.of(
            "fetch",
            Map.of(
                "frame_priority",
                Map.of("exclusive", true, "weight", 256),
                "author_headers",
                authorHeaders,
                "headers",
                List.of("accept: */*", "content-type?", "referer?", "priority: u=1"))));
  }

  /** The session's slots from the capture, then the script's headers as the page set them. */
  private static HeaderOverrides callerOf(String request, List<Header> captured) {
    HeaderOverrides.Builder b = HeaderOverrides.builder();
    for (String name : SESSION) {
      captured.stream().filter(h -> h.name().equals(name)).forEach(b::set);
    }
    List<Header> script = new ArrayList<>();
    if (request.endsWith("-h")) {
      script.addAll(SCRIPT);
    }
    if (request.startsWith("POST")) {
      script.add(script.isEmpty() ? 0 : 2, new Header("Content-Type", "application/json"));
    }
    script.forEach(b::set);
    captured.stream().filter(h -> h.name().equals("content-length")).forEach(b::set);
    return b.build();
  }

  /**
   * The captured request's regular fields; the cookie fields (sent one per cookie over HTTP/2) as
   * the one header the rules produce, and Chromium's headless User-Agent as the profile sends it.
   */
  private static List<Header> captured(String profile, String request) throws Exception {
    for (Map<String, Object> r : requests(profile)) {
      if (!(r.get("method") + " " + r.get("path")).equals(request)) {
        continue;
      }
      List<Header> out = new ArrayList<>();
      for (Object o : (List<Object>) r.get("fields")) {
        Map<String, Object> f = field(o);
        String name = (String) f.get("name");
        String value = (String) f.get("value");
        if (name.startsWith(":")) {
          continue;
        }
        int cookie = indexOf(out, "cookie");
        if (name.equals("cookie") && cookie >= 0) {
          out.set(cookie, new Header(name, out.get(cookie).value() + "; " + value));
        } else {
          out.add(new Header(name, value.replace("HeadlessChrome/", "Chrome/")));
        }
      }
      return out;
    }
    throw new AssertionError(request + " is not in the " + profile + " capture");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> requests(String profile) throws Exception {
    List<Object> all =
        JSON.std.listFrom(
            ReferenceCaptures.text("guise-capture/" + profile + "-captured-requests.json"));
    return all.stream().map(o -> (Map<String, Object>) o).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> field(Object o) {
    return (Map<String, Object>) o;
  }

  private static int indexOf(List<Header> headers, String name) {
    for (int i = 0; i < headers.size(); i++) {
      if (headers.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
