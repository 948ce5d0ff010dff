package dev.guise.cli.internal;

import dev.guise.testkit.CaptureAnalysis;
import dev.guise.testkit.CaptureRequests;
import dev.guise.testkit.CaptureSite;
import dev.guise.testkit.Fault;
import dev.guise.testkit.FaultScope;
import dev.guise.testkit.RequestHandler;
import dev.guise.testkit.TestServer;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code guise capture}: serves the {@link CaptureSite} page on loopback under a {@code
 * *.localhost} name with a fresh test CA, waits until a browser has run its flow, and writes the
 * profile file {@link CaptureAnalysis} makes of what the browser sent.
 */
final class CaptureCommand implements Command {
  /** The host name the page is served under: browsers resolve {@code *.localhost} to loopback. */
  static final String HOST = "guise-capture.localhost";

  /** How many other origins the page loads an image from (each one a fresh full handshake). */
  private static final int OTHER_H2_ORIGINS = 2;

  /** What the browser may still send after the flow's last page (a late close, a spare hello). */
  private static final Duration SETTLE = Duration.ofMillis(700);

  @Override
  public String name() {
    return "capture";
  }

  @Override
  public String summary() {
    return "capture a browser's TLS, HTTP/2 and header habits into a profile file";
  }

  @Override
  public String help() {
    return """
    usage: guise capture --out FILE [--requests FILE] [--port N] [--name NAME]
                         [--timeout SECONDS]

    Serves a page on loopback under https://guise-capture.localhost:PORT/ with a fresh test CA
    and prints the URL to open (the first https:// URL of the output) and the CA certificate's
    path. Open the URL in the browser to capture, trusting the CA (add it to the browser, or
    start the browser with a flag that accepts it). The page makes the browser open several
    connections, load a stylesheet, a font, a script, images, fetch() GET and POST, an
    XMLHttpRequest, the same three again with headers its script sets (authorization, x-...:
    where the browser puts such headers), reconnect with a session ticket, and post a form
    that is redirected. Then
    it writes the profile file (format: docs/profiles.md), prints what it learned and what the
    profile cannot reproduce, and exits. Use the file with 'guise fetch --profile FILE'.

    Nothing is contacted but the browser on loopback. Besides PORT, the page uses a few other
    free loopback ports (the other origins).

    options:
      --out FILE           where to write the profile file (required; replaced if it exists)
      --requests FILE      also write the page's HTTP/2 requests field by field (values and
                           HPACK representations, cookies included), to compare
                           Guise's requests with the browser's in tests
      --port N             the page's port (default 0: a free one)
      --name NAME          the profile's name (default: from the browser's User-Agent, e.g.
                           chrome-156-captured)
      --timeout SECONDS    give up when the browser has not finished by then (default 300)
      --verbose            stack traces for errors
    """;
  }

  @Override
  public ArgsSpec spec() {
    return ArgsSpec.of(name())
        .value("out")
        .value("requests")
        .value("port")
        .value("name")
        .value("timeout");
  }

  @Override
  public int run(ParsedArgs args, Io io) throws Exception {
    Path out =
        Path.of(args.value("out").orElseThrow(() -> args.usageError("--out FILE is required")));
    Optional<Path> requests = args.value("requests").map(Path::of);
    if (requests.isPresent()
        && requests.get().getParent() != null
        && !Files.isDirectory(requests.get().getParent())) {
      throw args.usageError("the directory of --requests does not exist: " + requests.get());
    }
    int port = args.intValue("port", 0, 0, 65_535);
    Duration timeout = args.seconds("timeout").orElse(Duration.ofSeconds(300));
    if (out.getParent() != null && !Files.isDirectory(out.getParent())) {
      throw args.usageError("the directory of --out does not exist: " + out.getParent());
    }
    TestCertificateAuthority ca = TestCertificateAuthority.create("Guise capture CA");
    List<InetAddress> addresses = List.of(InetAddress.getByName("127.0.0.1"));
    List<TestServer> servers = new ArrayList<>();
    try {
      List<TestServer> others = new ArrayList<>();
      for (int i = 0; i < OTHER_H2_ORIGINS; i++) {
        others.add(origin(ca, addresses, CaptureSite.otherOrigin(), "h2", "http/1.1"));
      }
      // One origin speaks HTTP/1.1 only: the browser's HTTP/1.1 head of an image.
      others.add(origin(ca, addresses, CaptureSite.otherOrigin(), "http/1.1"));
      servers.addAll(others);
      TestServer resume = origin(ca, addresses, CaptureSite.otherOrigin(), "h2", "http/1.1");
      // Idle connections close well within the page's pause: the second image needs a new
      // connection, which the browser opens with the ticket of the first.
      resume.faults().add(FaultScope.everywhere(), Fault.idleClose(Duration.ofMillis(400)));
      servers.add(resume);
      List<Integer> otherPorts = others.stream().map(TestServer::port).toList();
      CaptureSite site = new CaptureSite(otherPorts, resume.port(), HOST);
      TestServer page;
      try {
        page =
            TestServer.builder()
                .addresses(addresses)
                .port(port)
                .hostNames(HOST)
                .certificateAuthority(ca)
                .alpn("h2", "http/1.1")
                .handler(site)
                .build()
                .start();
      } catch (BindException e) {
        throw new CliException(
            CliException.FAILED,
            "cannot listen on 127.0.0.1:" + port + ": " + e.getMessage() + " (try --port 0)",
            e);
      }
      servers.add(page);
      Path caFile = writeCa(ca);
      String url = "https://" + HOST + ":" + page.port() + "/";
      io.out().println("guise capture: open " + url + " in the browser to capture");
      io.out()
          .println("  CA   " + caFile + "  (trust it in that browser, or start it accepting it)");
      io.out().println("  waiting up to " + timeout.toSeconds() + " s for the page to finish...");
      io.out().flush();
      if (!site.awaitDone(timeout)) {
        throw new CliException(
            CliException.FAILED,
            "the browser did not finish the capture page within "
                + timeout.toSeconds()
                + " s ("
                + page.connections().size()
                + " connections to the page); was "
                + url
                + " opened, with the CA trusted?");
      }
      Thread.sleep(SETTLE.toMillis());
      String profileName = args.value("name").orElse("");
      CaptureAnalysis analysis =
          CaptureAnalysis.of(
              profileName.isEmpty() ? "captured" : profileName,
              page.connections(),
              others.stream().flatMap(s -> s.connections().stream()).toList(),
              resume.connections());
      if (profileName.isEmpty()) {
        // The name comes from the identity the first analysis read; analysing again is cheap.
        profileName = defaultName(analysis);
        analysis =
            CaptureAnalysis.of(
                profileName,
                page.connections(),
                others.stream().flatMap(s -> s.connections().stream()).toList(),
                resume.connections());
      }
      write(out, analysis.json());
      io.out().println("wrote profile " + profileName + " to " + out);
      if (requests.isPresent()) {
        write(requests.get(), CaptureRequests.json(page.connections()));
        io.out().println("wrote the page's requests to " + requests.get());
      }
      io.out().println("learned:");
      for (String line : analysis.learned()) {
        io.out().println("  " + line);
      }
      io.out().println("not reproduced:");
      if (analysis.notReproduced().isEmpty()) {
        io.out().println("  (nothing)");
      }
      for (String line : analysis.notReproduced()) {
        io.out().println("  " + line);
      }
      return 0;
    } finally {
      for (TestServer s : servers) {
        s.close();
      }
    }
  }

  private static TestServer origin(
      TestCertificateAuthority ca,
      List<InetAddress> addresses,
      RequestHandler handler,
      String... alpn)
      throws IOException {
    return TestServer.builder()
        .addresses(addresses)
        .port(0)
        .hostNames(HOST)
        .certificateAuthority(ca)
        .alpn(alpn)
        .handler(handler)
        .build()
        .start();
  }

  /** {@code <product>-<major>-captured} from the User-Agent the analysis read. */
  private static String defaultName(CaptureAnalysis analysis) {
    for (String line : analysis.learned()) {
      for (String product : List.of("Firefox", "Chrome", "Edg", "Safari")) {
        int at = line.startsWith("browser: ") ? line.indexOf(product + "/") : -1;
        if (at >= 0) {
          String version = line.substring(at + product.length() + 1).split("[^0-9]", 2)[0];
          return product.toLowerCase(Locale.ROOT) + "-" + version + "-captured";
        }
      }
    }
    return "captured";
  }

  /** Writes through a temporary file, so a reader never sees half a profile. */
  private static void write(Path out, String text) throws IOException {
    Path dir = out.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".guise-capture-", ".json");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The CA certificate in a fresh temporary directory, removed when the JVM exits. */
  private static Path writeCa(TestCertificateAuthority ca) throws IOException {
    Path dir = Files.createTempDirectory("guise-capture-");
    dir.toFile().deleteOnExit();
    Path file = dir.resolve("ca.pem");
    Files.writeString(file, Pem.encode(ca.certificate()), StandardCharsets.US_ASCII);
    file.toFile().deleteOnExit();
    return file;
  }
}
