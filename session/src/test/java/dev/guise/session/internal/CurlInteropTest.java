package dev.guise.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.session.Cookie;
import dev.guise.session.CookieContext;
import dev.guise.session.CookieFiles;
import dev.guise.session.CookieJar;
import dev.guise.session.CookieJars;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our Netscape files against curl's own (the peer the format is defined by): curl's {@code -c}
 * output loads into the jar, and a file the jar saved is what curl's {@code -b} sends from, with
 * the same cookie header as the jar's.
 */
class CurlInteropTest {

  @TempDir Path dir;

  @Test
  void readsTheFileCurlWrites() throws Exception {
    Function<String, String> script =
        path ->
            ScriptedHttpServer.response(
                List.of(
                    "Set-Cookie: plain=1",
                    "Set-Cookie: deep=2; Path=/x",
                    "Set-Cookie: ho=3; HttpOnly; Path=/",
                    "Set-Cookie: persist=4; Max-Age=3600; Path=/",
                    "Set-Cookie: dom=5; Domain=example.test; Path=/"),
                "");
    Path file = dir.resolve("curl-cookies.txt");
    try (ScriptedHttpServer server = new ScriptedHttpServer(script)) {
      curl(
          "--resolve",
          "www.example.test:" + server.port() + ":127.0.0.1",
          "-c",
          file.toString(),
          "http://www.example.test:" + server.port() + "/start/page");
    }
    Instant now = Instant.now();
    List<Cookie> cookies =
        CookieFiles.readNetscape(Files.newBufferedReader(file), Clock.systemUTC());
    Map<String, Cookie> byName = cookies.stream().collect(Collectors.toMap(Cookie::name, c -> c));
    assertEquals(5, byName.size(), byName.toString());
    Cookie plain = byName.get("plain");
    assertEquals("www.example.test", plain.domain());
    assertTrue(plain.hostOnly());
    // curl keeps a trailing '/' on the default path (RFC 6265bis would say /start): the file
    // holds what curl decided, and the jar takes it as it is.
    assertEquals("/start/", plain.path());
    assertTrue(plain.isSessionCookie());
    assertEquals("/x", byName.get("deep").path());
    assertTrue(byName.get("ho").httpOnly());
    long in = Duration.between(now, byName.get("persist").expires().orElseThrow()).toSeconds();
    assertTrue(in > 3500 && in <= 3600, "expires in " + in + " s");
    assertEquals("example.test", byName.get("dom").domain());
    assertTrue(!byName.get("dom").hostOnly());

    // Loaded, they apply as the jar's own would.
    CookieJar jar = CookieJars.browser();
    cookies.forEach(jar::add);
    assertEquals(
        Optional.of("dom=5"),
        jar.cookieHeader(CookieContext.navigation(URI.create("http://other.example.test/"))));
    assertEquals(
        Set.of("ho=3", "persist=4", "dom=5"),
        pairs(
            jar.cookieHeader(CookieContext.navigation(URI.create("http://www.example.test/")))
                .orElseThrow()));
  }

  @Test
  void curlSendsWhatTheJarSaved() throws Exception {
    CookieJar jar = CookieJars.browser();
    CookieContext page = CookieContext.navigation(URI.create("http://www.example.test/x/page"));
    jar.store(
        page,
        List.of(
            "a=1; Path=/",
            "b=2",
            "c=3; Path=/x/y",
            "d=4; Domain=example.test; Path=/x/y/z",
            "e=5; Max-Age=600; Path=/x/y",
            "f=6; HttpOnly; Path=/"));
    Path file = dir.resolve("jar.txt");
    CookieFiles.save(jar, file);
    List<String> sent = new ArrayList<>();
    try (ScriptedHttpServer server =
        new ScriptedHttpServer(path -> ScriptedHttpServer.response(List.of(), ""))) {
      for (String url :
          List.of(
              "http://www.example.test/x/y/z",
              "http://www.example.test/x",
              "http://api.example.test/x/y/z/w",
              "http://www.example.test/")) {
        URI uri = URI.create(url);
        String local = "http://" + uri.getHost() + ":" + server.port() + uri.getPath();
        curl(
            "--resolve",
            uri.getHost() + ":" + server.port() + ":127.0.0.1",
            "-b",
            file.toString(),
            local);
        List<ScriptedHttpServer.Request> requests = server.requests();
        String cookie = requests.get(requests.size() - 1).headers().get("cookie");
        sent.add(cookie);
        // The same cookies; curl orders cookies of equal path length its own way (not by
        // creation as browsers do), so the sets are compared.
        assertEquals(
            pairs(jar.cookieHeader(CookieContext.navigation(uri)).orElse(null)),
            pairs(cookie),
            url);
      }
    }
    assertEquals(
        Optional.of("d=4; c=3; e=5; b=2; a=1; f=6"),
        jar.cookieHeader(CookieContext.navigation(URI.create("http://www.example.test/x/y/z"))));
    // The domain cookie alone on another host; the root's two at the root.
    assertEquals(Set.of("d=4"), pairs(sent.get(2)));
    assertEquals(Set.of("a=1", "f=6"), pairs(sent.get(3)));
  }

  private static Set<String> pairs(String header) {
    return header == null ? Set.of() : Set.of(header.split("; "));
  }

  private static void curl(String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of("curl", "-s", "-S", "--max-time", "10", "-o", "/dev/null"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("curl did not finish in 20 s");
    }
    String output = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.exitValue(), "curl: " + output);
  }
}
