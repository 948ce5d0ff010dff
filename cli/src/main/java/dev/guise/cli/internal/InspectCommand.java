package dev.guise.cli.internal;

import dev.guise.api.HttpProtocol;
import dev.guise.fingerprint.AkamaiFingerprint;
import dev.guise.fingerprint.Ja4;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.TestServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code guise inspect}: the fingerprint echo server. Any client pointed at it gets its own JA4,
 * Akamai fingerprint and headers back as JSON, and the command prints one line per connection.
 */
final class InspectCommand implements Command {
  /** How often the server's connection records are read. */
  private static final Duration POLL = Duration.ofMillis(50);

  /** A connection that sent its hello but no request by then is printed with what is known. */
  private static final Duration WAIT_FOR_REQUEST = Duration.ofSeconds(10);

  @Override
  public String name() {
    return "inspect";
  }

  @Override
  public String summary() {
    return "run the fingerprint echo server; print each client's JA4 and Akamai fingerprint";
  }

  @Override
  public String help() {
    return """
    usage: guise inspect [--bind 127.0.0.1] [--port 8443] [--max-connections N] [--duration SECONDS]

    Runs the fingerprint echo server (HTTPS, HTTP/2 and HTTP/1.1) on a loopback address. It
    prints the URL to point any client at and the path of its CA certificate (a fresh CA per
    run; give it to curl with --cacert, to 'guise fetch' with --ca), then one line per
    connection with the client's JA4 and Akamai HTTP/2 fingerprint. GET /fingerprint answers
    the full details as JSON; /headers the request's headers in wire order. Runs until Ctrl-C.

    options:
      --bind IP            loopback address to listen on (default 127.0.0.1)
      --port N             port (default 8443; 0 picks a free one)
      --max-connections N  stop after N connections have been printed
      --duration SECONDS   stop after this long
      --verbose            also print each connection's JA3, TLS version, cipher and SNI
    """;
  }

  @Override
  public ArgsSpec spec() {
    return ArgsSpec.of(name())
        .value("bind")
        .value("port")
        .value("max-connections")
        .value("duration");
  }

  @Override
  public int run(ParsedArgs args, Io io) throws Exception {
    InetAddress bind = bindAddress(args.value("bind").orElse("127.0.0.1"), args);
    int port = args.intValue("port", 8443, 0, 65_535);
    int maxConnections = args.intValue("max-connections", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
    Optional<Duration> duration = args.seconds("duration");

    TestServer server;
    try {
      server =
          TestServer.builder().addresses(List.of(bind)).port(port).hostNames("localhost").build();
    } catch (IllegalArgumentException e) {
      throw args.usageError(e.getMessage());
    }
    try (server) {
      try {
        server.start();
      } catch (BindException e) {
        throw new CliException(
            CliException.FAILED,
            "cannot listen on "
                + bind.getHostAddress()
                + ":"
                + port
                + ": "
                + e.getMessage()
                + " (try --port 0 for a free port)",
            e);
      }
      Path caFile = writeCa(server);
      String host =
          bind.getHostAddress().equals("127.0.0.1")
              ? "localhost"
              : bind.getHostAddress().contains(":")
                  ? "[" + bind.getHostAddress() + "]"
                  : bind.getHostAddress();
      String url = "https://" + host + ":" + server.port() + "/fingerprint";
      io.out()
          .println(
              "guise inspect: fingerprint echo server on "
                  + bind.getHostAddress()
                  + " port "
                  + server.port());
      io.out().println("  URL  " + url);
      io.out().println("  CA   " + caFile);
      io.out().println("  try  curl --cacert " + caFile + " " + url);
      io.out().println("       ./guise fetch " + url + " --ca " + caFile);
      io.out()
          .println(
              "one line per connection"
                  + (duration.isPresent() || maxConnections < Integer.MAX_VALUE
                      ? ""
                      : "; Ctrl-C to stop")
                  + ":");
      io.out().flush();
      watch(server, maxConnections, duration, io);
    }
    return 0;
  }

  /** Prints connections as they become known, until enough were printed or time is up. */
  private static void watch(
      TestServer server, int maxConnections, Optional<Duration> duration, Io io)
      throws InterruptedException {
    long deadline = duration.map(d -> System.nanoTime() + d.toNanos()).orElse(Long.MAX_VALUE);
    Set<Long> printed = new HashSet<>();
    int count = 0;
    while (count < maxConnections) {
      boolean timeUp = System.nanoTime() - deadline >= 0;
      for (ConnectionRecord r : server.connections()) {
        if (count >= maxConnections) {
          break;
        }
        if (!printed.contains(r.id()) && (timeUp || complete(r))) {
          printed.add(r.id());
          count++;
          io.out().println(line(r, io.verbose()));
          io.out().flush();
        }
      }
      if (timeUp) {
        return;
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /**
   * Whether everything a line shows is known: the Akamai fingerprint comes with the first HTTP/2
   * HEADERS, so wait for it (or for the first HTTP/1.1 request, the connection's end, or a while).
   */
  private static boolean complete(ConnectionRecord r) {
    if (r.closed() || r.failure().isPresent()) {
      return true;
    }
    if (r.ja4().isEmpty() || r.protocol().isEmpty()) {
      return false;
    }
    if (r.protocol().get() == HttpProtocol.HTTP_2
        ? r.akamaiFingerprint().isPresent()
        : !r.requests().isEmpty()) {
      return true;
    }
    return Duration.between(r.acceptedAt(), Instant.now()).compareTo(WAIT_FOR_REQUEST) > 0;
  }

  static String line(ConnectionRecord r, boolean verbose) {
    StringBuilder sb = new StringBuilder();
    sb.append("#")
        .append(r.id())
        .append(' ')
        .append(r.clientAddress().getAddress().getHostAddress())
        .append(':')
        .append(r.clientAddress().getPort())
        .append(' ')
        .append(r.protocol().map(HttpProtocol::alpn).orElse("-"))
        .append("  JA4 ")
        .append(r.ja4().map(Ja4::ja4).orElse("-"))
        .append("  Akamai ")
        .append(
            r.akamaiFingerprint()
                .map(AkamaiFingerprint::value)
                .orElse(r.protocol().orElse(null) == HttpProtocol.HTTP_1_1 ? "- (HTTP/1.1)" : "-"));
    if (verbose) {
      sb.append("  ")
          .append(r.tlsVersion().orElse("-"))
          .append(' ')
          .append(r.cipherSuite().orElse("-"))
          .append("  SNI ")
          .append(r.clientHello().flatMap(h -> h.serverName()).orElse("-"))
          .append("  JA3 ")
          .append(r.ja3().map(j -> j.hash()).orElse("-"));
    }
    r.failure().ifPresent(f -> sb.append("  failed: ").append(Cli.oneLine(f)));
    return sb.toString();
  }

  private static InetAddress bindAddress(String text, ParsedArgs args) {
    try {
      if (!text.matches("[0-9a-fA-F:.\\[\\]]+")) {
        throw args.usageError("--bind takes an IP address, not '" + text + "'");
      }
      InetAddress a = InetAddress.getByName(text.replace("[", "").replace("]", ""));
      if (!a.isLoopbackAddress()) {
        throw args.usageError(
            "--bind must be a loopback address (127.0.0.0/8 or ::1), not " + text);
      }
      return a;
    } catch (UnknownHostException e) {
      throw args.usageError("--bind takes an IP address, not '" + text + "'");
    }
  }

  /** The server's CA certificate in a fresh temporary directory, removed when the JVM exits. */
  private static Path writeCa(TestServer server) throws IOException {
    Path dir = Files.createTempDirectory("guise-inspect-");
    dir.toFile().deleteOnExit();
    Path file = dir.resolve("ca.pem");
    Files.writeString(
        file, Pem.encode(server.certificateAuthority().certificate()), StandardCharsets.US_ASCII);
    file.toFile().deleteOnExit();
    return file;
  }
}
