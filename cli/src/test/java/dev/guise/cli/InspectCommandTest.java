package dev.guise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.guise.fingerprint.BrowserProfiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code guise inspect} on loopback, hit by {@code guise fetch} (the pool with the BouncyCastle
 * chrome profile) and by Debian's curl; each connection's line shows that client's fingerprint.
 */
class InspectCommandTest {
  /** Debian 12's curl 7.88.1 (OpenSSL 3.0, nghttp2): its JA4 against this server. */
  private static final String DEBIAN_CURL_JA4 = "t13d3112h2_e8f1e7e78f70_b26ce05bbdd6";

  private static final Pattern PORT =
      Pattern.compile("fingerprint echo server on 127\\.0\\.0\\.1 port (\\d+)");
  private static final Pattern CA = Pattern.compile("\n  CA   (\\S+)\n");

  @Test
  void printsEachClientsFingerprint() throws Exception {
    String curl = curlVersion();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CompletableFuture<Integer> inspect =
        CompletableFuture.supplyAsync(
            () ->
                Main.run(
                    new String[] {
                      "inspect", "--port", "0", "--max-connections", "2", "--duration", "60"
                    },
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)));
    String banner = waitFor(out, "one line per connection", inspect);
    Matcher port = PORT.matcher(banner);
    Matcher ca = CA.matcher(banner);
    assertTrue(port.find() && ca.find(), banner);
    String url = "https://localhost:" + port.group(1) + "/fingerprint";
    assertTrue(banner.contains("  URL  " + url + "\n"), banner);

    Run fetch = Run.of("fetch", url, "--ca", ca.group(1), "--connect-to", "127.0.0.1");
    assertEquals(0, fetch.code(), fetch.toString());
    assertTrue(
        fetch.out().contains(BrowserProfiles.get("chrome").expectedJa4()), "the echo: " + fetch);
    waitFor(out, "\n#1 ", inspect);

    Process p =
        new ProcessBuilder(
                "curl",
                "-s",
                "--max-time",
                "20",
                "--cacert",
                ca.group(1),
                "--resolve",
                "localhost:" + port.group(1) + ":127.0.0.1",
                url)
            .redirectErrorStream(true)
            .start();
    String curlBody = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), curlBody);
    assertEquals(
        0, inspect.get(60, TimeUnit.SECONDS), "stops after --max-connections: " + out + err);

    List<String> lines =
        out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("#")).toList();
    assertEquals(2, lines.size(), out.toString(StandardCharsets.UTF_8));
    assertTrue(
        lines
            .get(0)
            .contains(
                " h2  JA4 "
                    + BrowserProfiles.get("chrome").expectedJa4()
                    + "  Akamai "
                    + BrowserProfiles.get("chrome").expectedAkamai()),
        lines.get(0));
    if (curl.startsWith("curl 7.88.1 ") && curl.contains("OpenSSL/3.0")) {
      assertTrue(lines.get(1).contains(" h2  JA4 " + DEBIAN_CURL_JA4 + "  Akamai "), lines.get(1));
    }
    assertTrue(
        curlBody.contains(lines.get(1).replaceAll(".*  JA4 (\\S+) .*", "\"ja4\":\"$1\"")),
        "curl's echo has the JA4 inspect printed: " + curlBody);
  }

  /** curl's version line; fails clearly when curl is missing (CI installs it). */
  private static String curlVersion() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
      String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return v;
    } catch (IOException e) {
      fail("this test needs curl on the PATH (apt-get install curl): " + e.getMessage());
      return null;
    }
  }

  private static String waitFor(
      ByteArrayOutputStream out, String text, CompletableFuture<Integer> running) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String s = out.toString(StandardCharsets.UTF_8);
      if (s.contains(text)) {
        return s;
      }
      if (running.isDone()) {
        fail("inspect ended early with " + running.get() + ": " + s);
      }
      Thread.sleep(20);
    }
    fail("inspect did not print '" + text + "' within 60 s: " + out);
    return null;
  }
}
