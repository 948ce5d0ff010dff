package dev.guise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.RequestRecord;
import dev.guise.testkit.TestServer;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command run in-process, its output and exit code checked. */
class CommandsTest {
  private static final String CHROME_JA4 = BrowserProfiles.get("chrome").expectedJa4();
  private static final String CHROME_AKAMAI = BrowserProfiles.get("chrome").expectedAkamai();

  @TempDir Path dir;

  static Path writePem(Path dir, String name, X509Certificate cert) throws Exception {
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    Path file = dir.resolve(name);
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
    return file;
  }

  // --- help and usage errors

  @ParameterizedTest
  @ValueSource(strings = {"capture", "demo", "fetch", "inspect", "profiles", "warm"})
  void everyCommandHasHelp(String command) {
    Run r = Run.of(command, "--help");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().startsWith("usage: guise " + command), r.toString());
    assertTrue(r.out().contains("--verbose"), r.toString());
    assertEquals("", r.err());
    assertEquals(r.out(), Run.of("help", command).out(), "'guise help X' is 'guise X --help'");
  }

  @Test
  void topLevelHelpListsTheCommands() {
    Run r = Run.of("--help");
    assertEquals(0, r.code());
    for (String c : List.of("capture", "demo", "fetch", "inspect", "profiles", "warm")) {
      assertTrue(r.out().contains("\n  " + c + " "), r.toString());
    }
    Run none = Run.of();
    assertEquals(2, none.code(), "no command is a usage error");
    assertTrue(none.err().startsWith("usage: guise"), none.toString());
  }

  @Test
  void anUnknownOptionIsOneLineNamingItAndPointingAtHelp() {
    Run r = Run.of("fetch", "https://example.test/", "--bogus", "1");
    assertEquals(2, r.code(), r.toString());
    assertEquals(
        "error: unknown option '--bogus' for 'guise fetch'; see 'guise fetch --help'\n", r.err());
    assertEquals("", r.out());

    Run demo = Run.of("demo", "--ips", "many");
    assertEquals(2, demo.code());
    assertEquals(
        "error: --ips takes a whole number, not 'many'; see 'guise demo --help'\n", demo.err());

    Run command = Run.of("frobnicate");
    assertEquals(2, command.code());
    assertEquals("error: unknown command 'frobnicate'; see 'guise --help'\n", command.err());

    Run missing = Run.of("fetch");
    assertEquals(2, missing.code());
    assertEquals("error: missing URL for 'guise fetch'; see 'guise fetch --help'\n", missing.err());

    Run twice = Run.of("inspect", "--port", "1", "--port", "2");
    assertEquals(2, twice.code());
    assertTrue(twice.err().contains("'--port' given more than once"), twice.toString());

    Run engine = Run.of("fetch", "https://example.test/", "--engine", "nosuch");
    assertEquals(2, engine.code());
    assertTrue(
        engine
            .err()
            .startsWith(
                "error: no TlsEngine named 'nosuch'; available: " + "bouncycastle, conscrypt, jdk"),
        engine.toString());
    assertEquals(1, engine.err().lines().count());
  }

  // --- profiles

  @Test
  void profilesListsEveryEngineAndItsOffers() {
    Run r = Run.of("profiles");
    assertEquals(0, r.code(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).startsWith("ENGINE"), r.toString());
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.matches(
                        "bouncycastle +chrome-156 +chrome +bundled +EXACT +" + CHROME_JA4 + " .*")),
        r.toString());
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.matches("bouncycastle +firefox-153 +firefox +bundled +EXACT .*")),
        r.toString());
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.matches("conscrypt +chrome-156 +chrome +bundled +APPROXIMATE .*")),
        r.toString());
    assertTrue(
        lines.stream().anyMatch(l -> l.matches("jdk +jdk-default +- +- +NONE .*")), r.toString());
  }

  // --- demo

  @Test
  void demoJsonReportsAFullChromeMatchWithFaultsHandled() throws Exception {
    Run r = Run.of("demo", "--ips", "20", "--rounds", "2", "--json");
    assertEquals(0, r.code(), r.toString());
    Map<String, Object> report = JSON.std.mapFrom(r.out());
    assertEquals("bouncycastle", report.get("engine"));
    assertEquals("chrome-156", report.get("profile"));
    assertEquals(40.0, number(report.get("requests")));
    assertEquals(0.0, number(report.get("warmup_failures")));
    assertTrue(number(report.get("warmup_ms")) > 0);
    assertEquals(1.0, number(report.get("bans")), "the IP answering 403 is banned");
    assertEquals(
        0.0,
        number(report.get("requests_failed")),
        "every request got through, retried where needed");
    double reuse = number(report.get("reuse_rate"));
    assertTrue(reuse > 0.5 && reuse <= 1.0, "warm connections carry the requests: " + reuse);
    assertTrue(
        number(report.get("retries")) >= 5,
        "403, 429, 503s, resets and GOAWAYs were retried: " + r);
    @SuppressWarnings("unchecked")
    Map<String, Object> latency = (Map<String, Object>) report.get("latency_ms");
    assertEquals(List.of("p50", "p90", "p99", "max"), List.copyOf(latency.keySet()));
    assertTrue(number(latency.get("p50")) <= number(latency.get("max")));
    @SuppressWarnings("unchecked")
    Map<String, Object> failures = (Map<String, Object>) report.get("failures_by_kind");
    for (String kind :
        List.of(
            "IP_BLOCKED", "RATE_LIMITED", "SERVER_ERROR", "CONNECTION_RESET", "NOT_PROCESSED")) {
      assertTrue(failures.containsKey(kind), kind + " in " + failures);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> fp = (Map<String, Object>) report.get("fingerprint");
    assertEquals("chrome-156", fp.get("profile"));
    assertEquals(CHROME_JA4, fp.get("ja4_expected"));
    assertEquals(CHROME_AKAMAI, fp.get("akamai_expected"));
    assertEquals(CHROME_JA4, fp.get("ja4"));
    assertEquals(CHROME_AKAMAI, fp.get("akamai"));
    assertEquals(Boolean.TRUE, fp.get("match"));
    assertEquals(
        fp.get("connections_checked"), fp.get("connections_matching"), "every connection matched");
  }

  @Test
  void demoTextWithoutFaultsAndWithAnApproximateEngine() throws Exception {
    Run clean = Run.of("demo", "--ips", "5", "--rounds", "1", "--no-faults");
    assertEquals(0, clean.code(), clean.toString());
    assertTrue(clean.out().contains("faults:        none"), clean.toString());
    assertTrue(
        clean.out().contains("requests       5 in 1 rounds: 5 ok, 0 failed"), clean.toString());
    assertTrue(clean.out().contains("bans           0"), clean.toString());
    assertTrue(clean.out().contains("result: FULL MATCH"), clean.toString());
    assertTrue(
        clean.err().contains("warm-up: 5/5 done"),
        "plain progress lines when not a terminal: " + clean);

    // Conscrypt only approximates Chrome: the report must say so, not claim a match.
    Run approx =
        Run.of(
            "demo",
            "--ips",
            "3",
            "--rounds",
            "1",
            "--no-faults",
            "--engine",
            "conscrypt",
            "--json");
    assertEquals(0, approx.code(), approx.toString());
    @SuppressWarnings("unchecked")
    Map<String, Object> fp =
        (Map<String, Object>) JSON.std.mapFrom(approx.out()).get("fingerprint");
    assertEquals(Boolean.FALSE, fp.get("match"), approx.toString());
    assertFalse(CHROME_JA4.equals(fp.get("ja4")));
  }

  /**
   * A JSON number as a double: the report writes whole values as integers (jackson-jr reads them
   * back as Integer or Long) and fractions as decimals (Double).
   */
  private static double number(Object json) {
    return ((Number) json).doubleValue();
  }

  // --- fetch

  private TestServer server(String host) throws Exception {
    return TestServer.builder().loopbackAddresses(2).hostNames(host).build().start();
  }

  @Test
  void fetchConnectsToTheGivenIpWithTheUrlsHostForSniAndVerification() throws Exception {
    try (TestServer server = server("www.fetch.test")) {
      Path ca = writePem(dir, "ca.pem", server.certificateAuthority().certificate());
      String ip = server.addresses().get(1).getHostAddress();
      Run r =
          Run.of(
              "fetch",
              "https://www.fetch.test:" + server.port() + "/headers",
              "--connect-to",
              ip,
              "--ca",
              ca.toString(),
              "--header",
              "X-Demo: yes",
              "-i",
              "--verbose");
      assertEquals(0, r.code(), r.toString());
      assertTrue(r.out().startsWith("HTTP/2 200\n"), "-i: the head first: " + r);
      assertTrue(
          r.err().contains("* engine bouncycastle, profile chrome-156 (EXACT)"),
          "--verbose facts go to stderr, as curl's: " + r);
      assertTrue(
          r.err()
              .contains("* connected to " + ip + " port " + server.port() + " for www.fetch.test"),
          r.toString());
      assertTrue(r.err().contains("* TLSv1.3, "), r.toString());
      assertTrue(r.out().contains("content-type: application/json"), r.toString());
      assertTrue(
          r.out().contains("[\"x-demo\",\"yes\"]"), "the body (the server's echo) follows: " + r);

      List<ConnectionRecord> seen = server.connections(server.addresses().get(1));
      assertEquals(
          1, seen.size(), "one connection, to the --connect-to IP only: " + server.connections());
      assertEquals(0, server.connections(server.addresses().get(0)).size());
      ConnectionRecord c = seen.get(0);
      assertEquals("www.fetch.test", c.clientHello().orElseThrow().serverName().orElseThrow());
      assertEquals(CHROME_JA4, c.ja4().orElseThrow().ja4());
      RequestRecord request = c.requests().get(0);
      assertTrue(
          request.headers().stream()
              .anyMatch(
                  h -> h.is(":authority") && h.value().equals("www.fetch.test:" + server.port())),
          "authority: " + request);
    }
  }

  @Test
  void fetchOverHttp1() throws Exception {
    try (TestServer server = server("www.fetch.test")) {
      Path ca = writePem(dir, "ca.pem", server.certificateAuthority().certificate());
      Run r =
          Run.of(
              "fetch",
              "https://www.fetch.test:" + server.port() + "/status/418",
              "--http1",
              "-i",
              "--connect-to",
              server.addresses().get(0).getHostAddress(),
              "--ca",
              ca.toString());
      assertEquals(0, r.code(), "any response is a success for fetch: " + r);
      assertTrue(r.out().startsWith("HTTP/1.1 418\n"), r.toString());
      assertEquals("http/1.1", server.connections().get(0).alpn().orElseThrow());
    }
  }

  @Test
  void fetchWithTheWrongCaFailsWithOneClassifiedLine() throws Exception {
    try (TestServer server = server("www.fetch.test")) {
      Path other =
          writePem(
              dir,
              "other.pem",
              TestCertificateAuthority.create("Not the server's CA").certificate());
      Run r =
          Run.of(
              "fetch",
              "https://www.fetch.test:" + server.port() + "/",
              "--connect-to",
              server.addresses().get(0).getHostAddress(),
              "--ca",
              other.toString(),
              "--timeout",
              "10");
      assertEquals(60, r.code(), "curl's code for an untrusted certificate: " + r);
      assertEquals("", r.out());
      assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r);
      assertTrue(r.err().startsWith("error: CERTIFICATE: "), r.toString());

      Run verbose =
          Run.of(
              "fetch",
              "https://www.fetch.test:" + server.port() + "/",
              "--connect-to",
              server.addresses().get(0).getHostAddress(),
              "--ca",
              other.toString(),
              "--verbose");
      assertEquals(60, verbose.code());
      assertTrue(verbose.err().contains("\tat "), "--verbose shows the stack trace: " + verbose);
    }
  }

  @Test
  void fetchUsageErrors() throws Exception {
    Run notHttps = Run.of("fetch", "http://example.test/");
    assertEquals(2, notHttps.code());
    assertTrue(notHttps.err().startsWith("error: URL must be https://"), notHttps.toString());
    Run notIp = Run.of("fetch", "https://example.test/", "--connect-to", "example.org");
    assertEquals(2, notIp.code());
    assertTrue(notIp.err().startsWith("error: --connect-to takes an IP address"), notIp.toString());
    Run noCa =
        Run.of("fetch", "https://example.test/", "--ca", dir.resolve("missing.pem").toString());
    assertEquals(2, noCa.code());
    assertTrue(noCa.err().startsWith("error: no such file: "), noCa.toString());
    Run header = Run.of("fetch", "https://example.test/", "--header", "no colon");
    assertEquals(2, header.code());
    assertTrue(header.err().startsWith("error: --header takes 'Name: value'"), header.toString());
  }
}
