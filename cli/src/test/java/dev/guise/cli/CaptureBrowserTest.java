package dev.guise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.guise.api.Header;
import dev.guise.fingerprint.BrowserProfile;
import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.HeaderOverrides;
import dev.guise.fingerprint.Ja4;
import dev.guise.fingerprint.ProfileFile;
import dev.guise.fingerprint.RequestKind;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.RequestRecord;
import dev.guise.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code guise capture} driven by the real headless Chromium and Firefox ESR of this machine: the
 * profile file it writes, sent back through the BouncyCastle engine ({@code guise fetch --profile
 * FILE}, in a fresh JVM, so the engine reads the file's profile into its catalogue), shows the
 * browser's own ClientHello (no difference but what the browser randomises) and HTTP/2 preface on
 * the wire. A browser that is not installed skips its test, saying so. Each browser run is bounded
 * (the page's flow takes about 3 s) and its whole process tree is killed at the end. The browsers
 * reach nothing but loopback: host resolver rules or a proxy of 127.0.0.1:9 for everything else.
 */
class CaptureBrowserTest {
  private static final Pattern URL = Pattern.compile("(https://\\S+)");
  private static final Pattern CA = Pattern.compile("CA\\s+(\\S+\\.pem)");
  private static final Duration BROWSER_LIMIT = Duration.ofSeconds(240);

  @TempDir Path tmp;

  @Test
  void chromiumCaptureIsSentBackExactly() throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    assumeTrue(Files.isExecutable(chromium), "Chromium is not installed (/usr/bin/chromium)");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/certutil")), "certutil is not installed");
    ProfileFile file =
        capture(
            (ca, url) -> {
              Path home = tmp.resolve("home");
              Path nss = home.resolve(".pki/nssdb");
              Files.createDirectories(nss);
              trust(nss, ca);
              ProcessBuilder pb =
                  new ProcessBuilder(
                      chromium.toString(),
                      "--headless=new",
                      "--no-sandbox",
                      "--user-data-dir=" + tmp.resolve("chromium"),
                      "--no-first-run",
                      "--disable-background-networking",
                      "--disable-component-update",
                      "--disable-sync",
                      "--disable-default-apps",
                      "--host-resolver-rules=MAP guise-capture.localhost 127.0.0.1, MAP *"
                          + " ~NOTFOUND",
                      "--proxy-server=127.0.0.1:9",
                      "--proxy-bypass-list=guise-capture.localhost",
                      url);
              pb.environment().put("HOME", home.toString());
              return pb;
            });
    assertTrue(file.profile().name().startsWith("chrome-156"), file.profile().name());
    assertTrue(file.profile().tlsRandomisation().permutesExtensions());
    assertTrue(file.resumedHello().isPresent(), "Chromium resumed with its ticket");
    assertTrue(
        file.resumedHello().get().hasExtension(ClientHello.EXT_PRE_SHARED_KEY),
        "the resumed hello offers the ticket");
    assertTrue(
        file.profile().sendsOriginAlways(RequestKind.FONT),
        "Chromium's same-origin font carried origin");
    // Chromium mixes a script's headers into the group before accept; the rule ends it there.
    List<String> fetch = scriptHeaders(file, RequestKind.FETCH);
    assertEquals(fetch.indexOf("accept") - 2, fetch.indexOf("x-b"), fetch.toString());
    sendBack(file);
  }

  @Test
  void firefoxCaptureIsSentBackExactly() throws Exception {
    Path firefox = Path.of("/usr/bin/firefox-esr");
    assumeTrue(Files.isExecutable(firefox), "Firefox ESR is not installed (/usr/bin/firefox-esr)");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/certutil")), "certutil is not installed");
    ProfileFile file =
        capture(
            (ca, url) -> {
              Path profile = tmp.resolve("firefox");
              Files.createDirectories(profile);
              trust(profile, ca);
              Files.writeString(profile.resolve("user.js"), FIREFOX_PREFS);
              Path home = tmp.resolve("home");
              Files.createDirectories(home);
              ProcessBuilder pb =
                  new ProcessBuilder(
                      firefox.toString(),
                      "--headless",
                      "--no-remote",
                      "--profile",
                      profile.toString(),
                      url);
              pb.environment().put("HOME", home.toString());
              return pb;
            });
    assertTrue(file.profile().name().startsWith("firefox-153"), file.profile().name());
    assertTrue(file.profile().pinnedLastHeaders().contains("te"));
    assertTrue(file.resumedHello().isPresent(), "Firefox resumed with its ticket");
    assertFalse(
        file.profile().sendsOriginAlways(RequestKind.FONT),
        "Firefox's same-origin font carried no origin");
    // Firefox sends a script's headers in the order set: a fetch's after referer, an XHR's before.
    List<String> fetch = scriptHeaders(file, RequestKind.FETCH);
    assertEquals(fetch.indexOf("referer") + 1, fetch.indexOf("x-b"), fetch.toString());
    List<String> xhr = scriptHeaders(file, RequestKind.XHR);
    assertEquals(xhr.indexOf("referer") - 2, xhr.indexOf("x-b"), xhr.toString());
    sendBack(file);
  }

  /** The header names of a request of {@code kind} with a referer and two headers of a script. */
  private static List<String> scriptHeaders(ProfileFile file, RequestKind kind) {
    HeaderOverrides script =
        HeaderOverrides.builder()
            .set("referer", "https://guise-capture.localhost/")
            .set("X-B", "1")
            .set("x-a", "2")
            .build();
    List<String> names =
        file.profile().requestHeaders(kind, false, script).stream().map(Header::name).toList();
    assertEquals(names.indexOf("x-b") + 1, names.indexOf("x-a"), "in the order set: " + names);
    return names;
  }

  /** Starts a browser at the capture URL trusting the CA. */
  private interface Browser {
    ProcessBuilder start(Path ca, String url) throws Exception;
  }

  /** Runs {@code guise capture} with {@code browser} opening its page; returns the file read. */
  private ProfileFile capture(Browser browser) throws Exception {
    Path out = tmp.resolve("profile.json");
    Path requests = tmp.resolve("requests.json");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    AtomicInteger code = new AtomicInteger(-1);
    PrintStream o = new PrintStream(stdout, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(stderr, true, StandardCharsets.UTF_8);
    Thread cli =
        Thread.ofPlatform()
            .name("guise-capture")
            .start(
                () ->
                    code.set(
                        Main.run(
                            new String[] {
                              "capture",
                              "--out",
                              out.toString(),
                              "--requests",
                              requests.toString(),
                              "--timeout",
                              "200"
                            },
                            o,
                            e)));
    String url = null;
    Path ca = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (url == null && System.nanoTime() < deadline && cli.isAlive()) {
      String text;
      synchronized (stdout) {
        text = stdout.toString(StandardCharsets.UTF_8);
      }
      Matcher u = URL.matcher(text);
      Matcher c = CA.matcher(text);
      if (u.find() && c.find()) {
        url = u.group(1);
        ca = Path.of(c.group(1));
      } else {
        Thread.sleep(50);
      }
    }
    assertTrue(url != null, "no URL printed: " + stdout + stderr);
    ProcessBuilder pb = browser.start(ca, url);
    pb.redirectErrorStream(true).redirectOutput(tmp.resolve("browser.log").toFile());
    Process process = pb.start();
    try {
      cli.join(BROWSER_LIMIT);
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    assertEquals(0, code.get(), "guise capture failed:\n" + stdout + stderr + "\n" + browserLog());
    // Kept for a person to read (and to refresh testing-support's captured profiles from).
    Path kept = Path.of("target", "captures");
    Files.createDirectories(kept);
    ProfileFile file = ProfileFile.read(out);
    Files.copy(
        out, kept.resolve(file.profile().name() + ".json"), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(kept.resolve(file.profile().name() + ".txt"), stdout.toString());
    Files.copy(
        requests,
        kept.resolve(file.profile().name() + "-requests.json"),
        StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  private String browserLog() {
    try {
      String log = Files.readString(tmp.resolve("browser.log"));
      return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    } catch (IOException ex) {
      return "(no browser log)";
    }
  }

  private static void trust(Path nssDirectory, Path ca) throws Exception {
    run("certutil", "-d", "sql:" + nssDirectory, "-N", "--empty-password");
    run(
        "certutil",
        "-d",
        "sql:" + nssDirectory,
        "-A",
        "-t",
        "C,,",
        "-n",
        "guise",
        "-i",
        ca.toString());
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
    assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + output);
  }

  /**
   * {@code guise fetch --profile FILE --engine bouncycastle} in a fresh JVM against a recording
   * server; what arrives must be the browser's hello and preface.
   */
  private void sendBack(ProfileFile file) throws Exception {
    Path profilePath = tmp.resolve("profile.json");
    BrowserProfile browser = file.profile();
    try (TestServer server =
        TestServer.builder()
            .addresses(List.of(InetAddress.getByName("127.0.0.1")))
            .hostNames("localhost")
            .build()
            .start()) {
      Path ca = tmp.resolve("server-ca.pem");
      Files.writeString(ca, pem(server));
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      String modulePath = System.getProperty("jdk.module.path");
      if (modulePath != null) {
        command.addAll(
            List.of(
                "--add-opens",
                "org.bouncycastle.tls/org.bouncycastle.tls=dev.guise.tls.bouncycastle",
                "--module-path",
                modulePath,
                "-m",
                "dev.guise.cli/dev.guise.cli.Main"));
      } else {
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.guise.cli.Main"));
      }
      String url = "https://localhost:" + server.port() + "/headers";
      command.addAll(
          List.of(
              "fetch",
              "--engine",
              "bouncycastle",
              "--profile",
              profilePath.toString(),
              "--ca",
              ca.toString(),
              url));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = p.getInputStream().readAllBytes();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "guise fetch did not end");
      String text = new String(output, StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), "guise fetch failed: " + text);
      ConnectionRecord seen = server.connections().get(0);
      ClientHello hello = seen.clientHello().orElseThrow();
      assertEquals(List.of(), browser.differencesFrom(hello), "hello differs from the browser's");
      assertEquals(browser.expectedJa4(), Ja4.of(hello).ja4());
      assertEquals(browser.expectedJa3n(), seen.ja3().orElseThrow().normalizedHash());
      assertEquals(
          browser.expectedAkamai(), seen.akamaiFingerprint().orElseThrow().value(), "Akamai");
      RequestRecord request = seen.requests().get(0);
      List<String> pseudo =
          request.headers().stream().map(Header::name).filter(n -> n.startsWith(":")).toList();
      assertEquals(browser.http2().pseudoHeaderOrder(), pseudo);
      List<String> names =
          request.headers().stream().map(Header::name).filter(n -> !n.startsWith(":")).toList();
      // A typed navigation: the browser's own header list on its capture's page request.
      List<String> expected = browser.defaultHeaders().stream().map(Header::name).toList();
      assertEquals(expected, names, "request header order");
      assertTrue(browser.supports(RequestKind.FONT) && browser.supports(RequestKind.XHR));
    }
  }

  private static String pem(TestServer server) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(server.certificateAuthority().certificate().getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  private static final String FIREFOX_PREFS =
      String.join(
              "\n",
              List.of(
                  // Everything but the capture host goes to a dead proxy: nothing leaves loopback.
                  "user_pref(\"network.proxy.type\", 1);",
                  "user_pref(\"network.proxy.http\", \"127.0.0.1\");",
                  "user_pref(\"network.proxy.http_port\", 9);",
                  "user_pref(\"network.proxy.ssl\", \"127.0.0.1\");",
                  "user_pref(\"network.proxy.ssl_port\", 9);",
                  "user_pref(\"network.proxy.no_proxies_on\", \"guise-capture.localhost\");",
                  "user_pref(\"network.proxy.allow_hijacking_localhost\", false);",
                  "user_pref(\"network.trr.mode\", 5);",
                  "user_pref(\"toolkit.telemetry.enabled\", false);",
                  "user_pref(\"toolkit.telemetry.unified\", false);",
                  "user_pref(\"datareporting.healthreport.uploadEnabled\", false);",
                  "user_pref(\"datareporting.policy.dataSubmissionEnabled\", false);",
                  "user_pref(\"app.update.enabled\", false);",
                  "user_pref(\"app.update.auto\", false);",
                  "user_pref(\"app.normandy.enabled\", false);",
                  "user_pref(\"network.captive-portal-service.enabled\", false);",
                  "user_pref(\"network.connectivity-service.enabled\", false);",
                  "user_pref(\"browser.safebrowsing.malware.enabled\", false);",
                  "user_pref(\"browser.safebrowsing.phishing.enabled\", false);",
                  "user_pref(\"browser.safebrowsing.downloads.enabled\", false);",
                  "user_pref(\"extensions.update.enabled\", false);",
                  "user_pref(\"extensions.getAddons.cache.enabled\", false);",
                  "user_pref(\"browser.shell.checkDefaultBrowser\", false);",
                  "user_pref(\"browser.startup.homepage_override.mstone\", \"ignore\");",
                  "user_pref(\"browser.region.update.enabled\", false);",
                  "user_pref(\"security.OCSP.enabled\", 0);",
                  "user_pref(\"services.settings.server\", \"http://127.0.0.1:9/\");",
                  "user_pref(\"browser.newtabpage.enabled\", false);"))
          + "\n";
}
