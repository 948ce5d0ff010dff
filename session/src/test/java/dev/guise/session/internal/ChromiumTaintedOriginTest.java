package dev.guise.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code origin} and {@code referer} of every hop of a redirected POST, as headless Chromium
 * sends them, against {@link FetchRules}: Fetch's tainted origin flag for {@code fetch()}, and the
 * network stack's rule for a form POST navigation (any hop to another origin says {@code null}).
 * Six flows between two origins on one loopback server, each POST redirected by 307 (which keeps
 * the method and the body): fetch a→b, b→a, a→b→a; form a→b, b→a, a→a.
 */
class ChromiumTaintedOriginTest {
  @TempDir Path profile;

  @Test
  void everyHopsOriginAndRefererAreChromiums() throws Exception {
    try (ScriptedHttpServer server = new ScriptedHttpServer(ChromiumTaintedOriginTest::answer)) {
      String a = "http://a.test:" + server.port();
      String b = "http://b.test:" + server.port();
      URI page = URI.create(a + "/page?" + query(a, b));
      HeadlessChromium.open(
          profile,
          page.toString(),
          List.of(
              "--unsafely-treat-insecure-origin-as-secure=" + a + "," + b,
              "--virtual-time-budget=10000"),
          () -> ends(server).size() == 6);
      assertEquals(List.of(1, 2, 3, 4, 5, 6), List.copyOf(ends(server)), "every flow ended");

      Map<Integer, List<ScriptedHttpServer.Request>> flows = new TreeMap<>();
      for (ScriptedHttpServer.Request r : server.requests()) {
        flow(r.path()).ifPresent(f -> flows.computeIfAbsent(f, k -> new ArrayList<>()).add(r));
      }
      Map<Integer, String> lastOrigins = new LinkedHashMap<>();
      for (Map.Entry<Integer, List<ScriptedHttpServer.Request>> e : flows.entrySet()) {
        boolean cors = e.getKey() <= 3;
        List<ScriptedHttpServer.Request> hops = e.getValue();
        Optional<URI> initiator = Optional.of(page);
        // The same walk as Session's: each hop's referer from the one before, taint once set.
        Optional<URI> referrer = initiator;
        boolean tainted = false;
        for (int i = 0; i < hops.size(); i++) {
          ScriptedHttpServer.Request hop = hops.get(i);
          String where = "flow " + e.getKey() + ", hop " + i + " " + hop.path();
          assertEquals("POST", hop.method(), where);
          URI url = url(hop);
          Optional<String> origin = FetchRules.originHeader(initiator, url, cors, "POST");
          Optional<String> expected = tainted ? origin.map(o -> FetchRules.TAINTED_ORIGIN) : origin;
          assertEquals(expected, Optional.ofNullable(hop.headers().get("origin")), where);
          Optional<String> referer = FetchRules.referer(referrer, url);
          assertEquals(referer, Optional.ofNullable(hop.headers().get("referer")), where);
          if (i + 1 < hops.size()) {
            tainted |=
                FetchRules.taintsOrigin(
                    initiator, url, url(hops.get(i + 1)), cors, origin.isPresent());
            referrer = referer.map(URI::create);
          }
        }
        lastOrigins.put(e.getKey(), hops.get(hops.size() - 1).headers().get("origin"));
      }
      // What makes the comparison worth having: four of the six flows end tainted.
      assertEquals(
          Map.of(1, a, 2, "null", 3, "null", 4, "null", 5, "null", 6, a),
          lastOrigins,
          "each flow's last origin");
    }
  }

  /** The page's query: each flow's first URL, by flow number. */
  private static String query(String a, String b) {
    String[] starts = {
      via(a, 1, b + "/echo?flow=1"),
      via(b, 2, a + "/echo?flow=2"),
      via(a, 3, via(b, 3, a + "/echo?flow=3")),
      via(a, 4, b + "/echo?flow=4"),
      via(b, 5, a + "/echo?flow=5"),
      via(a, 6, a + "/echo?flow=6")
    };
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < starts.length; i++) {
      q.append(i == 0 ? "" : "&").append("s").append(i + 1).append('=').append(encode(starts[i]));
    }
    return q.toString();
  }

  /** A URL on {@code origin} that answers 307 to {@code to}. */
  private static String via(String origin, int flow, String to) {
    return origin + "/r?flow=" + flow + "&to=" + encode(to);
  }

  private static String answer(String path) {
    String cors = "Access-Control-Allow-Origin: *";
    if (path.startsWith("/page")) {
      return ScriptedHttpServer.response(List.of("Cache-Control: no-store"), PAGE);
    }
    if (path.startsWith("/r?")) {
      String to = parameter(path, "to");
      return "HTTP/1.1 307 Temporary Redirect\r\nLocation: "
          + to
          + "\r\n"
          + cors
          + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    }
    return ScriptedHttpServer.response(List.of(cors), "ok");
  }

  /**
   * Three fetch() POSTs, then three form POSTs into frames of their own, each to the URL the query
   * names ({@code s1} ... {@code s6}).
   */
  private static final String PAGE =
      """
      <!doctype html><link rel=icon href="data:,">
      <iframe name=f4></iframe><iframe name=f5></iframe><iframe name=f6></iframe>
      <script>
      const q = new URLSearchParams(location.search);
      for (const n of [1, 2, 3]) {
        fetch(q.get('s' + n), {method: 'POST', body: '{"a":1}',
            headers: {'content-type': 'text/plain'}}).catch(() => {});
      }
      for (const n of [4, 5, 6]) {
        const f = document.createElement('form');
        f.method = 'post';
        f.action = q.get('s' + n);
        f.target = 'f' + n;
        const i = document.createElement('input');
        i.name = 'form';
        i.value = '1';
        f.appendChild(i);
        document.body.appendChild(f);
        f.submit();
      }
      </script>
      """;

  private static TreeSet<Integer> ends(ScriptedHttpServer server) {
    TreeSet<Integer> ended = new TreeSet<>();
    for (ScriptedHttpServer.Request r : server.requests()) {
      if (r.path().startsWith("/echo")) {
        flow(r.path()).ifPresent(ended::add);
      }
    }
    return ended;
  }

  /** The flow a request belongs to: its own query's {@code flow}, not a nested URL's. */
  private static Optional<Integer> flow(String path) {
    String flow = parameter(path, "flow");
    return flow == null ? Optional.empty() : Optional.of(Integer.parseInt(flow));
  }

  private static URI url(ScriptedHttpServer.Request r) {
    return URI.create("http://" + r.headers().get("host") + r.path());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** One parameter of a path's query, decoded; null when absent. */
  private static String parameter(String path, String name) {
    int q = path.indexOf('?');
    if (q < 0) {
      return null;
    }
    for (String pair : path.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
