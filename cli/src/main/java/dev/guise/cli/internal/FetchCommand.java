package dev.guise.cli.internal;

import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
import dev.guise.pool.ConnectionLease;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyChoice;
import dev.guise.pool.proxy.ProxyRouting;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code guise fetch URL}: one request through the pool machinery (engine, profile, verification,
 * retries within one deadline), the response printed to stdout.
 */
final class FetchCommand implements Command {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  @Override
  public String name() {
    return "fetch";
  }

  @Override
  public String summary() {
    return "send one request through the pool and print the response";
  }

  @Override
  public String help() {
    return """
    usage: guise fetch URL [--connect-to IP] [--engine NAME] [--profile NAME] [--ca FILE.pem]
                          [--header 'Name: value']... [--http1] [--timeout SECONDS] [--verbose]
                          [--proxy URL]...

    Sends one GET request through Guise's pool (the engine presenting the profile's TLS and
    HTTP/2 fingerprint and header order, certificate and host name verification on, retries
    within one deadline) and prints the status line, the headers and the body to stdout.
    Exit code 0 when a response came (whatever its status), 3 with one line
    'error: KIND: message' on stderr when the request failed, 2 for a usage error.

    options:
      --connect-to IP    connect to this IP; SNI, Host and certificate checks still use the
                         URL's host (no DNS lookup)
      --engine NAME      TLS engine (default: the most faithful found: bouncycastle,
                         conscrypt, jdk); 'guise profiles' lists them
      --profile NAME     fingerprint profile (default chrome)
      --ca FILE.pem      also trust the certificates in this PEM file (on top of the system's)
      --header 'N: v'    add or replace a request header (repeatable)
      --http1            offer only HTTP/1.1 in ALPN
      --timeout SECONDS  deadline for the whole request, retries included (default 30)
      --verbose          also print the negotiated TLS and HTTP facts ('* ' lines) and stack
                         traces for errors
      --proxy URL        go out through this proxy, never directly: http://, https://, socks5://
                         or socks5h://, with user:password@ if it asks; several make a rotation
                         (round robin; a retry goes through another). The password is never
                         printed
    """;
  }

  @Override
  public ArgsSpec spec() {
    return ArgsSpec.withPositional(name(), "URL")
        .value("connect-to")
        .value("engine")
        .value("profile")
        .value("ca")
        .repeated("header")
        .flag("http1")
        .value("timeout")
        .repeated("proxy");
  }

  @Override
  public int run(ParsedArgs args, Io io) throws Exception {
    URI url = parseUrl(args.positional(0), args);
    Duration timeout = args.seconds("timeout").orElse(Duration.ofSeconds(30));
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(url).timeout(timeout);
      for (String header : args.values("header")) {
        int colon = header.indexOf(':');
        if (colon <= 0) {
          throw args.usageError("--header takes 'Name: value', not '" + header + "'");
        }
        request.header(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
      }
    } catch (IllegalArgumentException e) {
      throw args.usageError(e.getMessage());
    }
    InetAddress connectTo = args.value("connect-to").map(ip -> ipLiteral(ip, args)).orElse(null);
    TrustPolicy trust = TrustPolicy.systemDefaults();
    if (args.value("ca").isPresent()) {
      List<X509Certificate> anchors = Pem.readCertificates(Path.of(args.value("ca").get()), args);
      trust = trust.withExtraAnchors(anchors);
    }
    Engines.Choice choice =
        Engines.choose(args.value("engine"), args.value("profile"), "chrome", args);
    PoolConfig.Builder config =
        PoolConfig.builder()
            .engine(choice.name())
            .profile(choice.offer().profile())
            .trust(trust)
            .timeouts(
                t ->
                    t.withConnect(min(timeout, Duration.ofSeconds(30)))
                        .withRequest(timeout)
                        .withAcquire(timeout))
            // One request to one host: banning its IP after repeated refusals would only hide the
            // cause.
            .healthChecks(h -> h.withStrikesToBan(1000));
    if (args.flag("http1")) {
      config.alpn(List.of(HttpProtocol.HTTP_1_1.alpn()));
    }
    if (!args.values("proxy").isEmpty()) {
      config.proxies(proxies(args));
    }
    HttpRequest built = request.build();
    long started = System.nanoTime();
    try (HotConnectionPool pool = HotConnectionPool.create(config.build());
        GuiseClient client = new GuiseClient(pool)) {
      if (connectTo != null) {
        pool.addIps(built.host(), built.port(), List.of(connectTo));
      }
      if (io.verbose()) {
        describeConnection(pool, built, connectTo, choice, io);
      }
      // A failure is a ClassifiedIOException: Cli prints "error: KIND: message" and exits 3.
      HttpResponse response = client.send(built, connectTo);
      print(response, io, pool, System.nanoTime() - started);
      return 0;
    }
  }

  /**
   * Opens (or reuses) the connection the request will take and prints what its handshake agreed on.
   * The lease goes back to the pool idle, so the request then reuses that very connection; when
   * opening fails, the request itself reports the failure.
   */
  private static void describeConnection(
      HotConnectionPool pool, HttpRequest request, InetAddress ip, Engines.Choice choice, Io io) {
    try (ConnectionLease lease =
        ip != null ? pool.connectionToIp(request.uri(), ip) : pool.connection(request.uri())) {
      NegotiatedTls tls = lease.tls();
      TlsEndpoint endpoint = lease.endpoint();
      io.out()
          .println(
              "* engine "
                  + choice.name()
                  + ", profile "
                  + tls.profile()
                  + " ("
                  + tls.fidelity()
                  + ")");
      io.out()
          .println(
              "* connected to "
                  + endpoint.ip().getHostAddress()
                  + " port "
                  + endpoint.port()
                  + " for "
                  + endpoint.host()
                  + " (SNI, Host and certificate checks use "
                  + endpoint.host()
                  + ")");
      io.out()
          .println(
              "* "
                  + tls.protocol()
                  + ", "
                  + tls.cipherSuite()
                  + tls.namedGroup().map(g -> ", group " + g).orElse("")
                  + ", ALPN "
                  + tls.alpn().orElse("(none)")
                  + " -> "
                  + lease.protocol().alpn());
      if (!tls.peerCertificates().isEmpty()) {
        X509Certificate leaf = tls.peerCertificates().get(0);
        io.out()
            .println(
                "* server certificate: "
                    + leaf.getSubjectX500Principal().getName()
                    + ", issued by "
                    + leaf.getIssuerX500Principal().getName()
                    + ", valid until "
                    + leaf.getNotAfter().toInstant());
      }
    } catch (IOException e) {
      io.out().println("* could not open a connection ahead of the request: " + e.getMessage());
    }
  }

  private static void print(HttpResponse response, Io io, HotConnectionPool pool, long tookNanos) {
    if (io.verbose()) {
      var stats = pool.stats();
      io.out()
          .printf(
              "* answered by %s over %s, %s connection; %d attempt(s), %d retried; %.1f ms%n",
              response.endpoint().ip().getHostAddress(),
              response.protocol().alpn(),
              response.reusedConnection() ? "a reused" : "a new",
              stats.retries() + 1,
              stats.retries(),
              tookNanos / 1e6);
    }
    io.out()
        .println(
            (response.protocol() == HttpProtocol.HTTP_2 ? "HTTP/2 " : "HTTP/1.1 ")
                + response.status());
    for (Header h : response.headers()) {
      io.out().println(h.name() + ": " + h.value());
    }
    io.out().println();
    io.out().write(response.body(), 0, response.body().length);
    io.out().flush();
  }

  private static URI parseUrl(String text, ParsedArgs args) {
    try {
      URI url = new URI(text);
      if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
        throw args.usageError("URL must be https://host[:port]/path, not '" + text + "'");
      }
      return url;
    } catch (URISyntaxException e) {
      throw args.usageError("not a URL: '" + text + "'");
    }
  }

  /** The --proxy URLs as a round-robin rotation; a bad URL is a usage error (password redacted). */
  private static ProxyRouting proxies(ParsedArgs args) throws CliException {
    List<Proxy> proxies = new ArrayList<>();
    for (String url : args.values("proxy")) {
      try {
        Proxy p = Proxy.parse(url);
        if (!proxies.contains(p)) {
          proxies.add(p);
        }
      } catch (IllegalArgumentException e) {
        throw args.usageError("--proxy: " + e.getMessage());
      }
    }
    return ProxyRouting.of(proxies).withChoice(ProxyChoice.roundRobin());
  }

  /** An IP literal; never a DNS lookup (the point of --connect-to is to choose the address). */
  private static InetAddress ipLiteral(String text, ParsedArgs args) {
    String t =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    if (!IPV4.matcher(t).matches() && !(t.contains(":") && t.matches("[0-9a-fA-F:.]+"))) {
      throw args.usageError("--connect-to takes an IP address, not '" + text + "'");
    }
    try {
      return InetAddress.getByName(t); // a literal: parsed, not looked up
    } catch (UnknownHostException e) {
      throw args.usageError("--connect-to takes an IP address, not '" + text + "'");
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
