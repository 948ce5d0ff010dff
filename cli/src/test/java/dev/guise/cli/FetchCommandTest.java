package dev.guise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.Header;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.RequestHandler;
import dev.guise.testkit.RequestRecord;
import dev.guise.testkit.TestResponse;
import dev.guise.testkit.TestServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code guise fetch} as a curl user drives it, against the testkit server on loopback. */
class FetchCommandTest {
  private static final String HOST = "www.fetch.test";
  private static final String CHROME_JA4 = BrowserProfiles.get("chrome").expectedJa4();

  /** Answers /echo with the method, the content type and the body it received. */
  private static final RequestHandler ECHO =
      request -> {
        if (request.path().equals("/echo")) {
          String contentType =
              request.headers().stream()
                  .filter(h -> h.is("content-type"))
                  .map(Header::value)
                  .findFirst()
                  .orElse("-");
          return TestResponse.text(
              200,
              request.method()
                  + " "
                  + contentType
                  + " "
                  + new String(request.body(), StandardCharsets.UTF_8));
        }
        return RequestHandler.defaults().handle(request);
      };

  @TempDir Path dir;
  private TestServer server;
  private String ca;

  @BeforeEach
  void start() throws Exception {
    server =
        TestServer.builder().loopbackAddresses(2).hostNames(HOST).handler(ECHO).build().start();
    ca =
        CommandsTest.writePem(dir, "ca.pem", server.certificateAuthority().certificate())
            .toString();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String url(String path) {
    return "https://" + HOST + ":" + server.port() + path;
  }

  private String ip(int i) {
    return server.addresses().get(i).getHostAddress();
  }

  /** The words of a fetch to the server's first IP, trusting its CA, then {@code more}. */
  private Run fetch(String... more) {
    List<String> words = new ArrayList<>(List.of("fetch", "--ca", ca, "--connect-to", ip(0)));
    words.addAll(List.of(more));
    return Run.of(words.toArray(String[]::new));
  }

  private static Optional<String> header(RequestRecord r, String name) {
    return r.headers().stream().filter(h -> h.is(name)).map(Header::value).findFirst();
  }

  @Test
  void bodyToStdoutAsCurlHeadOnlyWithInclude() {
    Run plain = fetch(url("/status/404"));
    assertEquals(0, plain.code(), "a 404 is an answer: " + plain);
    assertEquals("status 404\n", plain.out(), "the body only, as curl");
    assertEquals("", plain.err());

    Run head = fetch("-i", url("/status/404"));
    assertEquals(0, head.code(), head.toString());
    assertTrue(head.out().startsWith("HTTP/2 404\n"), head.toString());
    assertTrue(head.out().contains("\ncontent-type: text/plain"), head.toString());
    assertTrue(head.out().endsWith("\n\nstatus 404\n"), "head, blank line, body: " + head);

    Run failing = fetch("--fail", url("/status/404"));
    assertEquals(22, failing.code(), failing.toString());
    assertEquals("", failing.out(), "--fail writes no body");
    assertTrue(
        failing.err().startsWith("error: the server answered 404 (--fail)"), failing.toString());

    Run silent = fetch("-sf", url("/status/503"));
    assertEquals(22, silent.code(), silent.toString());
    assertEquals("", silent.err(), "-s: no error line");
    Run shown = fetch("-sSf", url("/status/503"));
    assertTrue(shown.err().startsWith("error: the server answered 503"), shown.toString());
  }

  @Test
  void outputFileAndWriteOutVariables() throws Exception {
    Path file = dir.resolve("body.bin");
    Run r =
        fetch(
            "-o",
            file.toString(),
            "-w",
            "%{http_code} %{http_version} %{remote_ip} %{remote_port} %{size_download}"
                + " %{ja4} %{profile} %{engine} %{exitcode} [%{errormsg}] %{time_total}\\n",
            url("/bytes/1000"));
    assertEquals(0, r.code(), r.toString());
    assertEquals(1000, Files.size(file));
    assertEquals('a', Files.readAllBytes(file)[0]);
    String[] w = r.out().strip().split(" ");
    assertEquals(
        List.of(
            "200",
            "2",
            ip(0),
            String.valueOf(server.port()),
            "1000",
            CHROME_JA4,
            "chrome-156",
            "bouncycastle",
            "0",
            "[]"),
        List.of(w).subList(0, 10),
        r.out());
    double seconds = Double.parseDouble(w[10]);
    assertTrue(seconds > 0 && seconds < 30, r.out());
    assertTrue(w[10].matches("\\d+\\.\\d{6}"), "curl's six decimals: " + w[10]);
    ConnectionRecord c = server.connections(server.addresses().get(0)).get(0);
    assertEquals(
        c.ja4().orElseThrow().ja4(), CHROME_JA4, "%{ja4} is what the server saw the client send");

    Path head = dir.resolve("with-head.txt");
    Run included = fetch("-i", "-o", head.toString(), url("/status/201"));
    assertEquals(0, included.code());
    assertEquals("", included.out());
    assertTrue(Files.readString(head).startsWith("HTTP/2 201\n"), "-i with -o: the head too");

    Run unwritable = fetch("-o", dir.resolve("no/such/dir/x").toString(), url("/"));
    assertEquals(23, unwritable.code(), unwritable.toString());
    assertTrue(unwritable.err().startsWith("error: cannot write "), unwritable.toString());
  }

  @Test
  void dataMethodAndHeaders() throws Exception {
    Run form = fetch("-d", "a=1", "-d", "b=2", url("/echo"));
    assertEquals(0, form.code(), form.toString());
    assertEquals("POST application/x-www-form-urlencoded a=1&b=2", form.out());

    Path json = dir.resolve("body.json");
    Files.writeString(json, "{\"a\":\n1}\n");
    Run binary =
        fetch(
            "-X",
            "PUT",
            "--data-binary",
            "@" + json,
            "-H",
            "content-type: application/json",
            url("/echo"));
    assertEquals(0, binary.code(), binary.toString());
    assertEquals("PUT application/json {\"a\":\n1}\n", binary.out(), "byte for byte");

    Run stripped = fetch("--data", "@" + json, url("/echo"));
    assertEquals("POST application/x-www-form-urlencoded {\"a\":1}", stripped.out());

    Run delete = fetch("-X", "DELETE", url("/echo"));
    assertEquals("DELETE - ", delete.out());

    Run missing = fetch("--data-binary", "@" + dir.resolve("none"), url("/echo"));
    assertEquals(2, missing.code(), missing.toString());
    assertTrue(
        missing.err().startsWith("error: --data-binary: no such file: "), missing.toString());
  }

  @Test
  void nextGroupsGoInOrderOverOnePool() {
    Run r =
        fetch(
            "-w",
            "[%{http_code}]",
            "-H",
            "x-first: 1",
            url("/echo"),
            "--next",
            "-X",
            "POST",
            "--data",
            "{}",
            "--header",
            "content-type: application/json",
            url("/echo"),
            "--next",
            url("/status/204"));
    assertEquals(0, r.code(), r.toString());
    assertEquals("GET - [200]POST application/json {}[200]status 204\n[204]", r.out());
    List<ConnectionRecord> connections = server.connections();
    assertEquals(1, connections.size(), "one pool, one warm connection for all three: " + r);
    List<RequestRecord> requests = connections.get(0).requests();
    assertEquals(3, requests.size());
    assertEquals(
        List.of("GET", "POST", "GET"),
        requests.stream().map(q -> header(q, ":method").orElseThrow()).toList());
    assertEquals(
        List.of("/echo", "/echo", "/status/204"),
        requests.stream().map(q -> header(q, ":path").orElseThrow()).toList());
    assertEquals(Optional.of("1"), header(requests.get(0), "x-first"));
    assertEquals(
        Optional.empty(), header(requests.get(1), "x-first"), "-H held for its group only");
    assertEquals(Optional.empty(), header(requests.get(2), "content-type"));
  }

  @Test
  void resolvePinsAHostsRequestsToTheGivenIps() {
    Run r =
        Run.of(
            "fetch",
            "--ca",
            ca,
            "--resolve",
            HOST + ":" + server.port() + ":" + ip(1),
            url("/"),
            url("/"),
            "-w",
            "%{remote_ip}\\n");
    assertEquals(0, r.code(), r.toString());
    assertEquals("ok\n" + ip(1) + "\nok\n" + ip(1) + "\n", r.out());
    assertEquals(0, server.connections(server.addresses().get(0)).size());
    assertEquals(2, server.requestsReceived(server.addresses().get(1)));
    ConnectionRecord c = server.connections(server.addresses().get(1)).get(0);
    assertEquals(HOST, c.clientHello().orElseThrow().serverName().orElseThrow());
  }

  @Test
  void exitCodesForARefusedConnectionATimeoutAndAnUnknownHost() throws Exception {
    // A free port nobody listens on: bound, then closed.
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Run refused =
        Run.of(
            "fetch",
            "--resolve",
            HOST + ":" + closedPort + ":127.0.0.1",
            "--timeout",
            "5",
            "-w",
            "%{http_code} %{exitcode}\\n",
            "https://" + HOST + ":" + closedPort + "/");
    assertEquals(7, refused.code(), refused.toString());
    assertEquals("000 7\n", refused.out());
    assertTrue(refused.err().startsWith("error: CONNECTION_REFUSED: "), refused.toString());

    // Accepts TCP (the backlog does) but never answers the ClientHello.
    try (ServerSocket mute = new ServerSocket()) {
      mute.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
      long started = System.nanoTime();
      Run timeout =
          Run.of(
              "fetch",
              "--resolve",
              HOST + ":" + mute.getLocalPort() + ":127.0.0.1",
              "--timeout",
              "1",
              "https://" + HOST + ":" + mute.getLocalPort() + "/");
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      assertEquals(28, timeout.code(), timeout.toString());
      assertTrue(tookMs < 10_000, "the deadline held: " + tookMs + " ms");
    }

    Run unknown = Run.of("fetch", "--timeout", "5", "https://no-such-host.invalid/");
    assertEquals(6, unknown.code(), unknown.toString());
    assertTrue(unknown.err().startsWith("error: UNKNOWN_HOST: "), unknown.toString());
  }

  @Test
  void severalUrlsTheLastOneDecidesUnlessFailEarly() {
    String dead = "https://" + HOST + ":" + server.port() + "/";
    // The second URL's host has no IP the test lets it reach: it resolves to a dead loopback IP.
    String other = "https://other.fetch.test:" + server.port() + "/";
    List<String> resolve =
        List.of("--resolve", "other.fetch.test:" + server.port() + ":127.0.4.231");
    List<String> words = new ArrayList<>(List.of("fetch", "--ca", ca, "--timeout", "5"));
    words.addAll(resolve);
    words.addAll(List.of("--resolve", HOST + ":" + server.port() + ":" + ip(0)));
    List<String> failThenOk = new ArrayList<>(words);
    failThenOk.addAll(List.of(other, dead));
    Run r = Run.of(failThenOk.toArray(String[]::new));
    assertEquals(0, r.code(), "the last transfer decides, as curl: " + r);
    assertEquals("ok\n", r.out());
    assertTrue(r.err().contains("(" + other + ")"), "the failed URL is named: " + r);

    List<String> early = new ArrayList<>(words);
    early.addAll(List.of("--fail-early", other, dead));
    Run stopped = Run.of(early.toArray(String[]::new));
    assertFalse(stopped.code() == 0, stopped.toString());
    assertEquals("", stopped.out(), "--fail-early: the second URL is not fetched");
    assertEquals(0, server.requestsReceived(server.addresses().get(1)));
  }

  @Test
  void helpDocumentsEveryOptionVariableAndExitCode() {
    String help = Run.of("fetch", "--help").out();
    for (String option :
        List.of(
            "--engine",
            "--profile",
            "--ca",
            "--cacert",
            "--resolve",
            "--connect-to",
            "--timeout",
            "--max-time",
            "-m,",
            "--http1",
            "--http1.1",
            "-i, --include",
            "-s, --silent",
            "-S, --show-error",
            "-w, --write-out",
            "-f, --fail",
            "--fail-early",
            "--compressed",
            "--follow",
            "-L,",
            "--location",
            "-b, --cookie",
            "-c, --cookie-jar",
            "--verbose",
            "-X, --request",
            "--method",
            "-d, --data",
            "--data-binary",
            "-H, --header",
            "-o, --output",
            "--dest",
            "--next")) {
      assertTrue(help.contains(option), option + " in\n" + help);
    }
    for (String variable :
        List.of(
            "http_code",
            "response_code",
            "http_version",
            "time_total",
            "remote_ip",
            "remote_port",
            "url_effective",
            "num_redirects",
            "size_download",
            "content_type",
            "exitcode",
            "errormsg",
            "ja4",
            "profile",
            "engine")) {
      assertTrue(help.contains("\n  " + variable + " "), variable + " in\n" + help);
    }
    for (String code :
        List.of("0", "2", "3", "6", "7", "8", "22", "23", "28", "35", "56", "60", "63")) {
      assertTrue(
          help.matches("(?s).*\n  " + code + " +[A-Za-z-].*"), "exit code " + code + "\n" + help);
    }
    assertTrue(help.contains("accept-encoding"), "--compressed says what Guise does");
  }
}
