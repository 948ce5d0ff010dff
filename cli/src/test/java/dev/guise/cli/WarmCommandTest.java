package dev.guise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code guise warm URL --ips FILE} over a file of loopback IPs, some of them dead. */
class WarmCommandTest {
  private static final String HOST = "www.warm.test";

  /** Loopback IPs no testkit server of this test binds (the server takes the first three). */
  private static final List<String> DEAD = List.of("127.0.4.229", "127.0.4.230");

  @TempDir Path dir;
  private TestServer server;
  private String ca;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.builder().loopbackAddresses(3).hostNames(HOST).build().start();
    ca =
        CommandsTest.writePem(dir, "ca.pem", server.certificateAuthority().certificate())
            .toString();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String url() {
    return "https://" + HOST + ":" + server.port() + "/";
  }

  private String ip(int i) {
    return server.addresses().get(i).getHostAddress();
  }

  private Path file(String text) throws Exception {
    Path f = dir.resolve("ips-" + System.nanoTime() + ".txt");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void warmsTheLiveIpsAndReportsTheDeadOnesByKind() throws Exception {
    Path ips =
        file(
            "# our edge IPs\n"
                + ip(0)
                + "\n\n"
                + DEAD.get(0)
                + "   # decommissioned?\n"
                + ip(1)
                + "\n"
                + "   \n"
                + DEAD.get(1)
                + "\n"
                + ip(2)
                + "\n");
    Run r = Run.of("warm", url(), "--ips", ips.toString(), "--ca", ca, "--timeout", "5", "--json");
    assertEquals(3, r.code(), "some IPs failed: " + r);
    Map<String, Object> json = JSON.std.mapFrom(r.out());
    assertEquals(HOST, json.get("host"));
    assertEquals(server.port(), ((Number) json.get("port")).intValue());
    assertEquals("bouncycastle", json.get("engine"));
    assertEquals(5, ((Number) json.get("ips")).intValue());
    assertEquals(3, ((Number) json.get("warmed")).intValue(), r.toString());
    assertEquals(2, ((Number) json.get("failed")).intValue());
    assertEquals(Map.of("CONNECTION_REFUSED", 2), json.get("failures_by_kind"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> failed = (List<Map<String, Object>>) json.get("failed_ips");
    assertEquals(DEAD, failed.stream().map(f -> f.get("ip")).toList(), "in the file's order");
    assertEquals("CONNECTION_REFUSED", failed.get(0).get("kind"));
    assertTrue(((Number) json.get("took_ms")).doubleValue() > 0);
    for (int i = 0; i < 3; i++) {
      assertEquals(
          1, server.connectionsAccepted(server.addresses().get(i)), "one connection to " + ip(i));
    }
    assertTrue(r.err().contains("warm-up: 5/5 done, 2 failed"), "demo's progress: " + r);

    Run text = Run.of("warm", url(), "--ips", ips.toString(), "--ca", ca, "--timeout", "5");
    assertEquals(3, text.code(), text.toString());
    assertTrue(
        text.out().startsWith("warmed 3 of 5 IPs of " + HOST + ":" + server.port() + " in "),
        text.toString());
    assertTrue(text.out().contains("\nfailed 2: CONNECTION_REFUSED 2\n"), text.toString());
    assertTrue(text.out().contains("  " + DEAD.get(0) + "  CONNECTION_REFUSED: "), text.toString());
  }

  @Test
  void everyIpWarmedIsExitZero() throws Exception {
    Path ips = file(ip(0) + "\n" + ip(1) + "\n");
    Run r =
        Run.of(
            "warm",
            url(),
            "--ips",
            ips.toString(),
            "--ca",
            ca,
            "--validator",
            "h2-ping",
            "--parallelism",
            "1");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().startsWith("warmed 2 of 2 IPs"), r.toString());
    assertTrue(!r.out().contains("failed"), r.toString());
  }

  @Test
  void aWrongCertificateIsAFailureKindToo() throws Exception {
    Path ips = file(ip(0) + "\n");
    Run r = Run.of("warm", url(), "--ips", ips.toString(), "--json");
    assertEquals(3, r.code(), r.toString());
    assertEquals(Map.of("CERTIFICATE", 1), JSON.std.mapFrom(r.out()).get("failures_by_kind"));
  }

  @Test
  void helpDocumentsEveryOption() {
    String help = Run.of("warm", "--help").out();
    for (String option :
        List.of(
            "--ips FILE",
            "--engine",
            "--profile",
            "--ca",
            "--validator",
            "--http1",
            "--timeout",
            "--parallelism",
            "--json",
            "--verbose")) {
      assertTrue(help.contains("\n  " + option), option + " in\n" + help);
    }
    assertTrue(help.contains("Exit code 0 when every IP warmed, 3 when"), help);
  }

  @Test
  void badFilesNameTheLine() throws Exception {
    Path bad = file("127.0.1.1\n# fine\nnot-an-ip\n");
    Run r = Run.of("warm", url(), "--ips", bad.toString());
    assertEquals(2, r.code(), r.toString());
    assertEquals(
        "error: --ips "
            + bad
            + ":3: 'not-an-ip' is not an IP address (one IP a line); see 'guise warm --help'\n",
        r.err());
    assertEquals(0, server.connectionsAccepted(), "nothing warmed from a bad file");

    Path twice = file("127.0.1.1\n::1\n127.0.1.1 # again\n");
    Run dup = Run.of("warm", url(), "--ips", twice.toString());
    assertEquals(2, dup.code());
    assertTrue(dup.err().contains(":3: 127.0.1.1 is already on line 1"), dup.toString());

    Run empty = Run.of("warm", url(), "--ips", file("# nothing\n\n").toString());
    assertEquals(2, empty.code());
    assertTrue(empty.err().contains(": no IP in the file"), empty.toString());

    Run missing = Run.of("warm", url(), "--ips", dir.resolve("none.txt").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().startsWith("error: --ips: no such file: "), missing.toString());

    Run noIps = Run.of("warm", url());
    assertEquals(2, noIps.code());
    assertTrue(noIps.err().startsWith("error: --ips FILE is required"), noIps.toString());

    Run validator = Run.of("warm", url(), "--ips", bad.toString(), "--validator", "nosuch");
    assertEquals(2, validator.code(), validator.toString());
  }

  @Test
  void aPresetStartsTheConfigurationAndAllowAndDenyChooseTheIps() throws Exception {
    Path ips = file(ip(0) + "\n" + ip(1) + "\n" + ip(2) + "\n");
    Run denied =
        Run.of(
            "warm",
            url(),
            "--ips",
            ips.toString(),
            "--ca",
            ca,
            "--preset",
            "production",
            "--deny",
            ip(1),
            "--json");
    assertEquals(3, denied.code(), denied.toString());
    Map<String, Object> json = JSON.std.mapFrom(denied.out());
    assertEquals(2, ((Number) json.get("warmed")).intValue(), denied.toString());
    assertEquals(Map.of("IP_BLOCKED", 1), json.get("failures_by_kind"));

    Run allowed =
        Run.of("warm", url(), "--ips", ips.toString(), "--ca", ca, "--allow", ip(2), "--json");
    Map<String, Object> only = JSON.std.mapFrom(allowed.out());
    assertEquals(1, ((Number) only.get("warmed")).intValue(), allowed.toString());
    assertEquals(Map.of("IP_BLOCKED", 2), only.get("failures_by_kind"));

    Run unknown = Run.of("warm", url(), "--ips", ips.toString(), "--preset", "turbo");
    assertEquals(2, unknown.code(), unknown.toString());
    assertTrue(
        unknown.err().contains("development, test, production, high-load"), unknown.toString());
    Run notIp = Run.of("warm", url(), "--ips", ips.toString(), "--deny", "example.com");
    assertEquals(2, notIp.code(), notIp.toString());
    assertTrue(notIp.err().contains("--deny: not an IP address"), notIp.toString());
  }
}
