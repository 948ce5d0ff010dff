package dev.guise.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.guise.api.Header;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.fingerprint.HeaderOverrides;
import dev.guise.fingerprint.RequestKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chrome's rule for where a page script's headers go ({@code author_headers} {@code chromium-map},
 * {@code chromium-map-sorted}: the slot order of the renderer's header map) against the browser
 * itself, on names it has never seen: one headless Chromium runs a page whose script sends {@code
 * fetch()} GETs and POSTs and {@code XMLHttpRequest} GETs, each with a fresh random set of 0 to 12
 * header names (mixed case, set in a random order); every request's header names, in wire order,
 * must be the profile's for that kind with what the request brings filled in.
 *
 * <p>Over HTTP/1.1 on loopback, the origin treated as secure so that Chromium sends its client
 * hints; its head is its HTTP/2 list less {@code host} and {@code connection} (see {@link
 * ChromiumRedirectHopTest}), and {@code priority} and {@code cookie} are not sent here.
 */
class ChromiumAuthorHeaderOrderTest {
  private static final Set<String> NOT_HERE = Set.of("priority", "cookie");
  private static final int REQUESTS = 27;

  @TempDir Path profile;

  @Test
  void chromiumPutsFreshScriptHeadersWhereTheProfileDoes() throws Exception {
    long seed = System.nanoTime();
    List<List<String>> sets = sets(new Random(seed));
    CountDownLatch done = new CountDownLatch(1);
    try (ScriptedHttpServer server = new ScriptedHttpServer(path -> answer(path, sets, done))) {
      String origin = "http://order.test:" + server.port();
      HeadlessChromium.open(
          profile,
          origin + "/",
          List.of("--unsafely-treat-insecure-origin-as-secure=" + origin),
          () -> done.getCount() == 0);
      for (int i = 0; i < REQUESTS; i++) {
        String path = "/r/" + i;
        ScriptedHttpServer.Request sent =
            server.requests().stream()
                .filter(r -> r.path().equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + path + ", seed " + seed));
        List<String> wire = new ArrayList<>(sent.headers().keySet());
        wire.removeAll(List.of("host", "connection"));
        assertEquals(
            expected(i, sets.get(i), origin), wire, kind(i) + " " + sets.get(i) + ", seed " + seed);
      }
    }
  }

  /** The profile's names for request {@code i}: the kind's, the script's, the request's own. */
  private static List<String> expected(int i, List<String> script, String origin) {
    HeaderOverrides.Builder b = HeaderOverrides.builder();
    b.set("sec-fetch-site", "same-origin");
    b.set("referer", origin + "/");
    if (kind(i).equals("post")) {
      b.set("origin", origin);
      b.set("content-length", "2");
    }
    script.forEach(n -> b.set(n, "v"));
    List<String> out = new ArrayList<>();
    RequestKind kind = kind(i).equals("xhr") ? RequestKind.XHR : RequestKind.FETCH;
    for (Header h : BrowserProfiles.get("chrome-156").requestHeaders(kind, false, b.build())) {
      if (!NOT_HERE.contains(h.name())) {
        out.add(h.name());
      }
    }
    return out;
  }

  private static String kind(int i) {
    return List.of("get", "post", "xhr").get(i % 3);
  }

  /**
   * Random header-name sets, sizes 0 to 12 in turn: tokens of 1 to 42 letters and dashes (long
   * enough for every length branch of the hash), some with an {@code x-} prefix, mixed case; a
   * POST's {@code Content-Type} goes in at a random place.
   */
  private static List<List<String>> sets(Random random) {
    List<List<String>> sets = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      List<String> names = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      while (names.size() < i % 13) {
        StringBuilder n = new StringBuilder(random.nextBoolean() ? "x-" : "");
        int length = 1 + random.nextInt(40);
        for (int c = 0; c < length; c++) {
          char ch = (char) ('a' + random.nextInt(26));
          n.append(c > 0 && random.nextInt(8) == 0 ? '-' : ch);
        }
        String name = random.nextInt(3) == 0 ? n.toString().toUpperCase(Locale.ROOT) : n.toString();
        if (seen.add(name.toLowerCase(Locale.ROOT))) {
          names.add(name);
        }
      }
      if (kind(i).equals("post")) {
        names.add(random.nextInt(names.size() + 1), "Content-Type");
      }
      sets.add(names);
    }
    return sets;
  }

  private static String answer(String path, List<List<String>> sets, CountDownLatch done) {
    if (path.equals("/")) {
      return ScriptedHttpServer.response(List.of(), page(sets));
    }
    if (path.equals("/hold")) {
      // The page's image: while it loads the page is not done, so Chromium stays until the script
      // has sent everything (or the bound passes).
      try {
        done.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (path.equals("/done")) {
      done.countDown();
    }
    return ScriptedHttpServer.response(List.of(), "ok");
  }

  private static String page(List<List<String>> sets) {
    StringBuilder js = new StringBuilder("const sets = [");
    for (List<String> s : sets) {
      js.append("[");
      for (String n : s) {
        js.append("'").append(n).append("',");
      }
      js.append("],");
    }
    js.append(
        """
        ];
        (async () => {
          for (let i = 0; i < sets.length; i++) {
            const h = sets[i].map(n => [n, n === 'Content-Type' ? 'application/json' : 'v']);
            try {
              if (i % 3 === 0) {
                await fetch('/r/' + i, {headers: h});
              } else if (i % 3 === 1) {
                await fetch('/r/' + i, {method: 'POST', headers: h, body: '{}'});
              } else {
                await new Promise(done => {
                  const x = new XMLHttpRequest();
                  x.open('GET', '/r/' + i);
                  for (const [n, v] of h) x.setRequestHeader(n, v);
                  x.onloadend = done;
                  x.send();
                });
              }
            } catch (e) {}
          }
          await fetch('/done');
        })();
        """);
    return "<script>" + js + "</script><img src=\"/hold\">";
  }
}
