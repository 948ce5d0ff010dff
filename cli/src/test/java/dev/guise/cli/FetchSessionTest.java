package dev.guise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.Header;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.RequestRecord;
import dev.guise.testkit.SessionSite;
import dev.guise.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code guise fetch} speaks sessions: the URLs of one invocation share a cookie jar and a current
 * document, {@code --follow} follows the redirect as the browser, {@code --dest} sends the kind's
 * headers, {@code -c} saves the jar and {@code -b} starts the next invocation with it. Against the
 * testkit server serving the captured site ({@code /start} redirects and sets two cookies).
 */
class FetchSessionTest {
  private static final String HOST = "www.fp-oracle.test";

  @TempDir Path dir;

  @Test
  void theUrlsOfOneInvocationAreOneBrowserSession() throws Exception {
    try (TestServer server =
        TestServer.builder()
            .loopbackAddresses(1)
            .hostNames(HOST)
            .handler(new SessionSite())
            .build()
            .start()) {
      String ca =
          CommandsTest.writePem(dir, "ca.pem", server.certificateAuthority().certificate())
              .toString();
      String base = "https://" + HOST + ":" + server.port();
      String resolve =
          HOST + ":" + server.port() + ":" + server.addresses().get(0).getHostAddress();
      Path jar = dir.resolve("cookies.txt");

      Run first =
          Run.of(
              "fetch",
              "--ca",
              ca,
              "--resolve",
              resolve,
              "--follow",
              "-c",
              jar.toString(),
              "-w",
              "%{http_code} %{num_redirects} %{url_effective}\\n",
              "-o",
              dir.resolve("landing.html").toString(),
              base + "/start",
              "--next",
              "--dest",
              "style",
              "-o",
              dir.resolve("style.css").toString(),
              base + "/style.css");
      assertEquals(0, first.code(), first.toString());
      assertEquals(
          "200 1 " + base + "/landing\n200 0 " + base + "/style.css\n", first.out(), first.err());

      List<RequestRecord> sent = requests(server);
      assertEquals(3, sent.size(), "/start, the redirect's /landing, /style.css: " + sent);
      assertEquals(List.of(), values(sent.get(0), "cookie"), "a fresh jar");
      assertEquals(List.of("sid=abc123", "pref=dark"), values(sent.get(1), "cookie"));
      RequestRecord style = sent.get(2);
      assertEquals(List.of("style"), values(style, "sec-fetch-dest"));
      assertEquals(List.of(base + "/landing"), values(style, "referer"), "its initiator");
      assertEquals(List.of("sid=abc123", "pref=dark"), values(style, "cookie"));

      String saved = Files.readString(jar);
      assertTrue(saved.contains("#HttpOnly_" + HOST + "\tFALSE\t/\tTRUE\t0\tsid\tabc123"), saved);
      assertTrue(saved.contains("\tpref\tdark"), saved);

      // Without --follow the redirect is the answer, as in curl; -b starts with the saved jar.
      Run second =
          Run.of(
              "fetch",
              "--ca",
              ca,
              "--resolve",
              resolve,
              "-b",
              jar.toString(),
              "-w",
              "%{http_code} %{num_redirects}\\n",
              "-o",
              dir.resolve("start.html").toString(),
              base + "/start");
      assertEquals(0, second.code(), second.toString());
      assertEquals("302 0\n", second.out(), second.err());
      List<RequestRecord> after = requests(server);
      assertEquals(
          List.of("sid=abc123", "pref=dark"), values(after.get(after.size() - 1), "cookie"));

      Run badDest = Run.of("fetch", "--dest", "video", base + "/a.webm");
      assertEquals(2, badDest.code(), badDest.toString());
      assertTrue(badDest.err().contains("--dest takes one of document"), badDest.toString());
    }
  }

  private static List<RequestRecord> requests(TestServer server) {
    List<RequestRecord> all = new ArrayList<>();
    for (ConnectionRecord c : server.connections()) {
      all.addAll(c.requests());
    }
    return all;
  }

  private static List<String> values(RequestRecord r, String name) {
    return r.headers().stream()
        .filter(h -> h.name().equalsIgnoreCase(name))
        .map(Header::value)
        .toList();
  }
}
